import { appendFile, open } from 'node:fs/promises';
import type { GateFailure } from '../types.js';
import { failureScope } from './summaryRows.js';
import { escapeControlChars } from '../util/controlChars.js';

/**
 * GitHub Actions integration: workflow commands (`::error ...::message`) that the runner turns
 * into annotations, and the job summary file. Escapes follow the runner's own toolkit: `%`, CR
 * and LF in a message; additionally `:` and `,` in a property such as `title`. Other control
 * characters are made visible (escapeControlChars): the runner's log is a terminal too.
 */

export function escapeWorkflowData(text: string): string {
  return escapeControlChars(text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

export function escapeWorkflowProperty(text: string): string {
  return escapeWorkflowData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** GitHub shows at most 10 error annotations per step; the rest are summarised in one. */
export const MAX_ANNOTATIONS = 10;

/** One `::error` line per gate failure, ready to print on stdout. */
export function gateFailureAnnotations(failures: GateFailure[], max = MAX_ANNOTATIONS): string[] {
  const shown = failures.length > max ? failures.slice(0, max - 1) : failures;
  const lines = shown.map((f) => {
    const title = `llm-eval gate failed: ${failureScope(f)} (${f.rule})`;
    const cases = f.cases?.length ? ` Cases: ${f.cases.slice(0, 10).join(', ')}${f.cases.length > 10 ? ` and ${f.cases.length - 10} more` : ''}.` : '';
    return `::error title=${escapeWorkflowProperty(title)}::${escapeWorkflowData(f.message + cases)}`;
  });
  if (shown.length < failures.length) {
    const rest = failures.length - shown.length;
    lines.push(`::error title=${escapeWorkflowProperty('llm-eval gate failed')}::${escapeWorkflowData(`${rest} more gate failures: see summary.md or report.html.`)}`);
  }
  return lines;
}

export function isGithubActions(env: NodeJS.ProcessEnv): boolean {
  return env.GITHUB_ACTIONS === 'true';
}

/** Whether a file exists, is not empty and its last byte is not a newline. */
async function endsMidLine(file: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return false;
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } finally {
    await handle.close();
  }
}

/**
 * Appends Markdown to the job summary when the runner provides one ($GITHUB_STEP_SUMMARY),
 * starting on a new line when an earlier step left the file mid-line (or the heading would not render).
 */
export async function appendStepSummary(env: NodeJS.ProcessEnv, markdown: string): Promise<boolean> {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return false;
  const lead = (await endsMidLine(file)) ? '\n' : '';
  await appendFile(file, lead + (markdown.endsWith('\n') ? markdown : `${markdown}\n`));
  return true;
}
