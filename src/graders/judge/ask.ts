import { isStop } from '../../errors.js';
import type { ChatMessage, JsonSchema, ModelCaller } from '../../types.js';
import { JudgeError } from './judgeError.js';
import type { JudgeSpend } from './spend.js';
import type { Parsed } from './verdict.js';

/** One judge request: everything but the verdict parser. */
export interface JudgeRequest {
  /** The judge's model name under `models:`. */
  model: string;
  messages: ChatMessage[];
  params: Record<string, unknown>;
  /** The verdict's JSON Schema, asked as structured output. */
  responseFormat: JsonSchema;
  signal?: AbortSignal;
  /** Which judge sample this is (`judgeRepeat`): samples are cached apart. */
  sample?: number;
}

/** How much of a bad reply is echoed back in the re-ask: enough to show the mistake. */
const ECHO_CHARS = 2000;

/**
 * Asks the judge for a verdict; on a reply that does not parse or validate, asks once more in
 * the same conversation, saying what was wrong. A second bad reply, or a failed model call, is
 * a JudgeError (the case errors; spend so far is kept). Aborts and budget stops pass through
 * untouched so the runner can stop.
 *
 * `formatHint` is the sentence telling the judge the expected JSON shape.
 */
export async function askVerdict<T>(
  caller: ModelCaller,
  req: JudgeRequest,
  parse: (reply: string) => Parsed<T>,
  formatHint: string,
  grader: string,
  spend: JudgeSpend,
): Promise<{ verdict: T; reasked: boolean }> {
  const first = await callJudge(caller, req, req.messages, grader, spend);
  const parsed = parse(first);
  if (parsed.ok) return { verdict: parsed.verdict, reasked: false };

  const reask: ChatMessage[] = [
    ...req.messages,
    { role: 'assistant', content: first.length > ECHO_CHARS ? `${first.slice(0, ECHO_CHARS)}…` : first },
    { role: 'user', content: `Your reply could not be used: ${parsed.problem}. ${formatHint} Reply with that JSON object only.` },
  ];
  const second = await callJudge(caller, req, reask, grader, spend);
  const again = parse(second);
  if (again.ok) return { verdict: again.verdict, reasked: true };
  throw new JudgeError(
    grader,
    `judge "${req.model}" gave no valid verdict, even when asked again: first ${parsed.problem}; then ${again.problem}`,
    spend,
  );
}

async function callJudge(caller: ModelCaller, req: JudgeRequest, messages: ChatMessage[], grader: string, spend: JudgeSpend): Promise<string> {
  try {
    const result = await caller.call(
      req.model,
      { messages, params: req.params, responseFormat: req.responseFormat },
      { signal: req.signal, purpose: 'judge', ...(req.sample ? { sample: req.sample } : {}) },
    );
    spend.add(result);
    return result.text;
  } catch (err) {
    if (isStop(err)) throw err;
    throw new JudgeError(grader, `judge "${req.model}" call failed: ${err instanceof Error ? err.message : String(err)}`, spend, { cause: err });
  }
}
