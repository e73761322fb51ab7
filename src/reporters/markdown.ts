import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { GateVerdict, RunReport } from '../types.js';
import { redactSecrets } from '../util/secrets.js';
import { escapeControlChars } from '../util/controlChars.js';
import { pushAll } from '../util/arrays.js';
import { writeFileAtomic } from '../results/store.js';
import { formatCount, formatMs, formatPercent, formatPointsDelta, formatRateWithInterval, formatScore, formatUsd } from './format.js';
import { appendStepSummary, gateFailureAnnotations, isGithubActions } from './githubActions.js';
import { changesOfKind, failureScope, headline, variantRows } from './summaryRows.js';
import type { Reporter, StoredRun } from './types.js';
import { variantErrors } from '../results/errorDigest.js';

export const MARKDOWN_REPORT_FILE = 'summary.md';

/** Newly failing cases listed before "and N more": the summary stays a summary. */
const TOP_CHANGES = 10;
const MAX_CELL = 120;

/**
 * Text from a config, dataset or model placed in Markdown: one line, no table-breaking `|`, and
 * no markup. GitHub renders raw HTML and links in a job summary, so `<`, `>` become entities and
 * the punctuation that opens links, emphasis, code or a table cell is backslash-escaped (a case id
 * like `[x](javascript:...)` stays text). Control characters are made visible (escapeControlChars).
 */
export function mdText(text: string, max = MAX_CELL): string {
  const oneLine = escapeControlChars(text).replace(/\s+/g, ' ').trim();
  const cut = oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
  return cut.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/[\\`*_[\]|~]/g, '\\$&');
}

/** Inline code for an id; backticks inside are replaced so the span cannot be closed early. */
function mdCode(text: string, max = 80): string {
  const oneLine = escapeControlChars(text).replace(/\s+/g, ' ').replace(/`/g, "'");
  const cut = oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
  return `\`${cut.replace(/\|/g, '\\|')}\``;
}

function table(head: string[], rows: string[][], align: Array<'l' | 'r'>): string[] {
  // One separator cell per header cell, or GitHub does not render the table.
  const separators = head.map((_, i) => (align[i] === 'r' ? ' ---: ' : ' --- '));
  return [`| ${head.join(' | ')} |`, `|${separators.join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

/** The summary.md text: verdict line, table per suite × variant, gate failures, top newly failing cases. */
export function renderMarkdownSummary(report: RunReport, verdict: GateVerdict): string {
  const h = headline(report, verdict);
  const lines: string[] = [];
  lines.push(`### ${h.passed ? '✅' : '❌'} llm-eval ${h.word}: ${mdText(h.detail, 300)}`);
  lines.push('');
  const against = report.comparison ? ` · compared with ${mdCode(report.comparison.against)}` : '';
  lines.push(`Run ${mdCode(report.runId)}${against}`);
  lines.push('');

  const rows = variantRows(report);
  const withBaseline = Boolean(report.comparison);
  const head = ['Suite', 'Variant', 'Model', 'Pass rate (95% CI)', 'Mean score', 'Cost', 'p95 latency', 'Errors'];
  if (withBaseline) head.push('vs baseline');
  pushAll(
    lines,
    table(
      head,
      rows.map(({ suite, summary: v, comparison: c }) => {
        const cells = [mdText(suite), mdText(v.name), mdText(v.model), formatRateWithInterval(v.passRate, v.passRateCI95), formatScore(v.meanScore), formatUsd(v.costUsd), formatMs(v.latencyMs?.p95), formatCount(v.errors)];
        if (withBaseline) cells.push(c ? `${formatPointsDelta(c.diff)}${c.significant ? ' ⚠️ significant' : ''}` : 'n/a');
        return cells;
      }),
      ['l', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
  );

  const errored = variantErrors(report);
  if (errored.length) {
    lines.push('', '#### Errored cases', '');
    for (const v of errored) {
      lines.push(`- **${mdText(`${v.suite} / ${v.variant}`)}**: ${formatCount(v.errors)} of ${formatCount(v.cases)} cases errored`);
      for (const g of v.groups) lines.push(`  - ${formatCount(g.cases)} case${g.cases === 1 ? '' : 's'}: ${mdText(g.message, 300)}`);
      if (v.moreMessages > 0) lines.push(`  - …and ${formatCount(v.moreMessages)} more distinct error${v.moreMessages === 1 ? '' : 's'}: see results.jsonl`);
    }
  }

  if (verdict.failures.length) {
    lines.push('', '#### Gate failures', '');
    for (const f of verdict.failures) {
      const cases = f.cases?.length ? ` (cases: ${f.cases.slice(0, 5).map((c) => mdCode(c)).join(', ')}${f.cases.length > 5 ? ` and ${f.cases.length - 5} more` : ''})` : '';
      lines.push(`- **${mdText(failureScope(f))}** ${mdCode(f.rule)}: ${mdText(f.message, 300)}${cases}`);
    }
  }

  const failing = changesOfKind(report, 'newly-failing');
  if (failing.length) {
    lines.push('', `#### Newly failing cases (${formatCount(failing.length)})`, '');
    pushAll(
      lines,
      table(
        ['Suite', 'Variant', 'Case', 'Before', 'After'],
        failing.slice(0, TOP_CHANGES).map((c) => [mdText(c.suite), mdText(c.variant), mdCode(c.caseId), c.before ? `${c.before.passes}/${c.before.n}` : 'n/a', c.after ? `${c.after.passes}/${c.after.n}` : 'n/a']),
        ['l', 'l', 'l', 'r', 'r'],
      ),
    );
    if (failing.length > TOP_CHANGES) lines.push('', `…and ${formatCount(failing.length - TOP_CHANGES)} more: see report.html.`);
  }
  const passing = changesOfKind(report, 'newly-passing').length;
  if (passing) lines.push('', `${formatCount(passing)} case${passing === 1 ? '' : 's'} newly passing.`);
  if (report.warnings.length) {
    lines.push('', '<details><summary>Warnings</summary>', '');
    for (const w of report.warnings) lines.push(`- ${mdText(w, 300)}`);
    lines.push('', '</details>');
  }
  const total = report.totals.cases;
  if (total) lines.push('', `<sub>${formatCount(total)} case records · overall pass ${formatPercent(report.totals.passed / total)}</sub>`);
  return redactSecrets(lines.join('\n') + '\n');
}

export interface MarkdownReporterOptions {
  /** Where summary.md goes (default: the run folder). */
  outDir?: string;
  /** Read for GITHUB_STEP_SUMMARY and GITHUB_ACTIONS (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Where `::error` annotations are printed (default: process.stdout). */
  stdout?: NodeJS.WritableStream;
}

/**
 * Writes summary.md; appends it to $GITHUB_STEP_SUMMARY when set; under GitHub Actions prints an
 * `::error` annotation per gate failure so the failure shows on the pull request.
 */
export async function writeMarkdownSummary(run: StoredRun, verdict: GateVerdict, opts: MarkdownReporterOptions = {}): Promise<string> {
  const env = opts.env ?? process.env;
  const markdown = renderMarkdownSummary(run.report, verdict);
  const dir = opts.outDir ?? run.dir;
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(path.join(dir, MARKDOWN_REPORT_FILE), markdown);
  await appendStepSummary(env, markdown);
  if (isGithubActions(env) && verdict.failures.length) {
    const out = opts.stdout ?? process.stdout;
    out.write(gateFailureAnnotations(verdict.failures).map((l) => redactSecrets(l)).join('\n') + '\n');
  }
  return markdown;
}

export function markdownReporter(opts: MarkdownReporterOptions = {}): Reporter {
  return {
    name: 'md',
    async onRunEnd(run, verdict) {
      await writeMarkdownSummary(run, verdict, opts);
    },
  };
}
