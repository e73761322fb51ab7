/** The JSON in a model's output: the whole output, or the content of its fenced code block. */
export type ExtractedJson =
  | { ok: true; value: unknown; /** True when the JSON came out of a ``` fence. */ fenced: boolean }
  | { ok: false; error: string };

/** A fenced block: ``` and an optional language tag, the content, then the closing ```. */
const FENCE = /```[ \t]*([A-Za-z0-9_+-]*)[ \t]*\r?\n?([\s\S]*?)```/g;

/**
 * The text to parse. Models often wrap JSON in a Markdown fence, sometimes after a sentence
 * ("Here is the result: ```json ...```"): a block tagged `json` wins, else the first untagged
 * block, else the whole output. JSON is not searched for in free text: an output that is prose
 * with braces in it is not JSON, and a format grader should say so.
 */
export function jsonText(output: string): { text: string; fenced: boolean } {
  if (!output.includes('```')) return { text: output.trim(), fenced: false };
  let untagged: string | undefined;
  for (const m of output.matchAll(FENCE)) {
    const lang = (m[1] ?? '').toLowerCase();
    const body = m[2] ?? '';
    if (lang === 'json' || lang === 'json5' || lang === 'jsonc') return { text: body.trim(), fenced: true };
    if (lang === '' && untagged === undefined) untagged = body;
  }
  if (untagged !== undefined) return { text: untagged.trim(), fenced: true };
  return { text: output.trim(), fenced: false };
}

/** Parses the output's JSON (see jsonText); never throws. */
export function extractJson(output: string): ExtractedJson {
  const { text, fenced } = jsonText(output);
  if (text === '') return { ok: false, error: fenced ? 'the code block is empty' : 'the output is empty' };
  try {
    return { ok: true, value: JSON.parse(text), fenced };
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    return { ok: false, error: `not valid JSON${fenced ? ' (in the code block)' : ''}: ${detail}` };
  }
}
