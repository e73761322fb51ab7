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
