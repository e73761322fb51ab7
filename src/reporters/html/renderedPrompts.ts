import { ConfigError } from '../../errors.js';
import { parseTemplateFile } from '../../prompts/parseTemplate.js';
import { PromptRenderer } from '../../prompts/render.js';
import { cutText, promptKey, type PromptTexts } from '../../results/promptTexts.js';
import type { CaseChange, CaseRecord, PromptTemplate } from '../../types.js';
import type { RenderedMessages, RenderedPrompts } from './explainFormat.js';

/** Rendered prompts are embedded for at most this many cases, each cut to this many characters. */
export const MAX_RENDERED_CASES = 2_000;
export const MAX_RENDERED_CHARS = 8 * 1024;

const key = (...parts: string[]): string => parts.join('\u0000');

/** cutText's marker: a template stored cut (results/promptTexts.ts) renders to something never sent. */
const CUT_MARK = /\n… \(cut at \d+ characters of \d+\)$/;

/** prompts.json keeps a template's text but not its file name: a YAML template is the one with a `messages:` key. */
function parseStored(ref: string, text: string): PromptTemplate {
  const at = ref.lastIndexOf('#');
  const nameVersion = at < 0 ? ref : ref.slice(0, at);
  const sep = nameVersion.lastIndexOf('@');
  const name = sep < 0 ? nameVersion : nameVersion.slice(0, sep);
  const version = sep < 0 ? '' : nameVersion.slice(sep + 1);
  const ext = /^messages[ \t]*:/m.test(text) ? 'yaml' : 'md';
  return parseTemplateFile(`${ref}.${ext}`, Buffer.from(text, 'utf8'), name, version);
}

function problem(err: unknown): string {
  if (err instanceof ConfigError) return err.issues.map((i) => i.message).join('; ');
  return err instanceof Error ? err.message : String(err);
}

/** `[role, text]` pairs cut to `max` characters in all; the message where the cut falls says so. */
function bounded(messages: Array<{ role: string; content: string }>, max: number): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let left = max;
  for (const { role, content } of messages) {
    if (left <= 0) {
      out.push([role, `… (not shown: the messages of a case are cut at ${max} characters)`]);
      break;
    }
    out.push([role, cutText(content, left)]);
    left -= content.length;
  }
  return out;
}

/**
 * Renders, while report.html's rows are written, the messages sent for each case the page can
 * explain: a failing (or errored) record, or one whose outcome changed against the baseline;
 * and, for a changed case whose prompt hash moved, the baseline's template with the same vars.
 * Conversation cases are left out: their records carry the transcript itself.
 */
export class CasePromptRenderer {
  private readonly renderer = new PromptRenderer();
  private readonly templates = new Map<string, PromptTemplate | string>();
  private readonly changed: Set<string>;
  private readonly cases = new Set<string>();
  private readonly omittedCases = new Set<string>();
  private readonly out: RenderedPrompts = { byCase: {}, templateErrors: {}, maxCases: MAX_RENDERED_CASES, maxChars: MAX_RENDERED_CHARS, omitted: 0 };

  /**
   * `texts`: template text by `name@version#hash` (the run's prompts.json and the baseline's);
   * `baselinePrompts`: `suite \0 variant` → the baseline's prompt.
   */
  constructor(
    private readonly texts: PromptTexts,
    changes: readonly CaseChange[],
    private readonly baselinePrompts: Record<string, string>,
  ) {
    this.changed = new Set(changes.filter((c) => c.change === 'newly-failing' || c.change === 'newly-passing').map((c) => key(c.suite, c.variant, c.caseId)));
  }

  consider(rec: CaseRecord): void {
    if (rec.transcript) return;
    const changed = this.changed.has(key(rec.suite, rec.variant, rec.caseId));
    if (rec.pass && !rec.error && !changed) return;
    const caseKey = key(rec.suite, rec.caseId);
    if (!this.cases.has(caseKey)) {
      if (this.cases.size >= MAX_RENDERED_CASES) {
        this.omittedCases.add(caseKey);
        return;
      }
      this.cases.add(caseKey);
    }
    const now = promptKey(rec.prompt);
    this.renderInto(rec, now);
    const before = changed ? this.baselinePrompts[key(rec.suite, rec.variant)] : undefined;
    if (before && before !== now) this.renderInto(rec, before);
  }

  get result(): RenderedPrompts {
    this.out.omitted = this.omittedCases.size;
    return this.out;
  }

  private renderInto(rec: CaseRecord, prompt: string): void {
    const k = key(rec.suite, rec.caseId, prompt);
    if (k in this.out.byCase) return;
    const template = this.template(prompt);
    if (typeof template === 'string') this.out.templateErrors[prompt] = template;
    else this.out.byCase[k] = this.render(prompt, template, rec.vars ?? {});
  }

  private render(prompt: string, template: PromptTemplate, vars: Record<string, unknown>): RenderedMessages {
    try {
      return { m: bounded(this.renderer.render(template, vars).messages, MAX_RENDERED_CHARS) };
    } catch (err) {
      return { error: `cannot render ${prompt} for this case: ${problem(err)}` };
    }
  }

  /** The parsed template, or why there is none. */
  private template(prompt: string): PromptTemplate | string {
    let t = this.templates.get(prompt);
    if (t !== undefined) return t;
    const text = this.texts[prompt];
    if (text === undefined) t = `the text of ${prompt} is not stored with the run (prompts.json) or the baseline`;
    else if (CUT_MARK.test(text)) t = `the text of ${prompt} was stored cut (it is longer than the stored limit), so it cannot be rendered`;
    else {
      try {
        t = parseStored(prompt, text);
      } catch (err) {
        t = `cannot read the stored text of ${prompt}: ${problem(err)}`;
      }
    }
    this.templates.set(prompt, t);
    return t;
  }
}
