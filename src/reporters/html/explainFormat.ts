/**
 * What report.html embeds to explain a regression (types only, shared by the writer and the
 * page's script): the baseline's output of each changed case and the prompt template texts.
 */
export interface ExplainData {
  /** `suite \0 variant \0 caseId` → the baseline's output of that changed case (cut to a bound). */
  baselineOutputs: Record<string, string>;
  /** Prompt template text by `name@version#hash`, for a diff when a variant's prompt hash changed. */
  templates: Record<string, string>;
  /** `suite \0 variant` → the baseline's prompt, `name@version#hash`. */
  baselinePrompts: Record<string, string>;
}

/** The messages a template renders to for one case: `[role, text]` each, or why they could not be rendered. */
export type RenderedMessages = { m: Array<[role: string, text: string]> } | { error: string };

/**
 * The prompts sent for the cases report.html can explain (failing or changed against the
 * baseline), rendered when the report is written (case records do not store them). Written after
 * the rows, in the rows block.
 */
export interface RenderedPrompts {
  /** `suite \0 caseId \0 name@version#hash` → that case's messages under that template. */
  byCase: Record<string, RenderedMessages>;
  /** `name@version#hash` → why no case can be rendered with it (its text not stored, cut, unreadable): said once, not per case. */
  templateErrors: Record<string, string>;
  /** At most this many cases are rendered… */
  maxCases: number;
  /** …and this many characters per case (longer messages are cut, saying so). */
  maxChars: number;
  /** Failing or changed cases left unrendered by `maxCases`. */
  omitted: number;
}
