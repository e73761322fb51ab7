import { toolCallsText } from '../util/toolCallText.js';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { CaseRecord, GateFailure, GateVerdict, RunReport } from '../types.js';
import { redactSecrets } from '../util/secrets.js';
import { escapeControlChars } from '../util/controlChars.js';
import { pushAll } from '../util/arrays.js';
import { writeFileAtomic } from '../results/store.js';
import { formatCount, formatMs, formatPercent, formatPointsDelta, formatRateWithInterval, formatScore, formatUsd } from './format.js';
import { appendStepSummary, gateFailureAnnotations, isGithubActions } from './githubActions.js';
import { changesOfKind, costDeltas, failureDetail, failureScope, headline, relativeChange, variantRows } from './summaryRows.js';
import { caseUrl, reportPageUrl, REPORT_URL_ENV } from './caseLink.js';
import type { Reporter, StoredRun } from './types.js';
import { variantErrors } from '../results/errorDigest.js';
import { requestIdNote } from './errorGroups.js';
import { CASES_MEANING, runDetails, splitGateFailures } from './runDetails.js';

export const MARKDOWN_REPORT_FILE = 'summary.md';

/** Newly failing cases listed before "and N more": the summary stays a summary. */
const TOP_CHANGES = 10;
const MAX_CELL = 120;

/** Hidden in the rendered comment; a workflow finds its earlier comment by it and edits it in place. */
export const COMMENT_MARKER = '<!-- llm-eval-report -->';

/**
 * Text from a config, dataset or model placed in Markdown: one line, no table-breaking `|`, and
 * no markup. GitHub renders raw HTML and links in a job summary, so `<`, `>` become entities and
 * the punctuation that opens links, emphasis, code or a table cell is backslash-escaped (a case id
 * like `[x](javascript:...)` stays text). Control characters are made visible (escapeControlChars).
 * A long text is cut at a space, so an id inside it is never cut in half.
 */
export function mdText(text: string, max = MAX_CELL): string {
  const oneLine = escapeControlChars(text).replace(/\s+/g, ' ').trim();
  return cutAtWord(oneLine, max).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/[\\`*_[\]|~]/g, '\\$&');
}

function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  // At the last space that fits, or after the first word when even that is longer.
  const before = text.lastIndexOf(' ', max - 1);
  const at = before > 0 ? before : text.indexOf(' ', max);
  return at < 0 ? text : `${text.slice(0, at).replace(/[\s,;:]+$/, '')} …`;
}

/** Inline code for an id, whole; backticks inside are replaced so the span cannot be closed early. */
function mdCode(text: string): string {
  const oneLine = escapeControlChars(text).replace(/\s+/g, ' ').replace(/`/g, "'");
  return `\`${oneLine.replace(/\|/g, '\\|')}\``;
}

/** A case id as inline code, linked to its case in report.html when the report's URL is known. */
function caseRef(suite: string, caseId: string, reportUrl: string | undefined): string {
  return reportUrl ? `[${mdCode(caseId)}](${caseUrl(reportUrl, suite, caseId)})` : mdCode(caseId);
}

function table(head: string[], rows: string[][], align: Array<'l' | 'r'>): string[] {
  // One separator cell per header cell, or GitHub does not render the table.
  const separators = head.map((_, i) => (align[i] === 'r' ? ' ---: ' : ' --- '));
  return [`| ${head.join(' | ')} |`, `|${separators.join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

/** +25.0%, −6.1%, ±0.0% (a change too small to show has no sign). */
function signedPercent(change: number | null): string {
  if (change === null) return 'n/a';
  const text = formatPercent(Math.abs(change));
  if (text === formatPercent(0)) return `±${text}`;
  return change > 0 ? `+${text}` : `−${text}`;
}

/** Arguments shown per tool call in summary.md: a pull request comment, not a log. */
const MAX_TOOL_ARGS_CHARS = 80;

/** Cases of a run without a baseline that failed at least one sample: the first few and how many in all. */
export interface FailingCases {
  /** `toolCalls`: the case's tool calls as one line (util/toolCallText.ts), when it made any. */
  cases: Array<{ suite: string; variant: string; caseId: string; toolCalls?: string }>;
  total: number;
}

export interface MarkdownSummaryOptions {
  /** Where report.html is published: case ids link to `<url>#case=<suite>/<id>` (default: plain ids). */
  reportUrl?: string;
  /** Failing cases, listed when there is no baseline to list newly failing ones (see failingCases). */
  failing?: FailingCases;
}

/** Reads results.jsonl once for the failing cases, keeping the first `max` of them. */
export async function failingCases(records: AsyncIterable<CaseRecord>, max = TOP_CHANGES): Promise<FailingCases> {
  const seen = new Set<string>();
  const cases: FailingCases['cases'] = [];
  for await (const r of records) {
    if (r.pass) continue;
    const key = `${r.suite}\u0000${r.variant}\u0000${r.caseId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (cases.length < max) cases.push({ suite: r.suite, variant: r.variant, caseId: r.caseId, ...(r.toolCalls?.length ? { toolCalls: toolCallsText(r.toolCalls, MAX_TOOL_ARGS_CHARS) } : {}) });
  }
  return { cases, total: seen.size };
}

/**
 * The summary.md text, shaped as a pull request comment: the verdict line first, a table per
 * suite × variant, the regressions (or, without a baseline, the failing cases) linked to
 * report.html, the cost against the baseline, errors, gate failures, and a hidden marker last.
 */
export function renderMarkdownSummary(report: RunReport, verdict: GateVerdict, opts: MarkdownSummaryOptions = {}): string {
  const h = headline(report, verdict);
  const lines: string[] = [];
  lines.push(`### ${h.passed ? '✅' : '❌'} llm-eval ${h.word}: ${mdText(h.detail, 300)}`);
  lines.push('');
  const against = report.comparison ? ` · compared with ${mdCode(report.comparison.against)}` : '';
  const full = opts.reportUrl ? ` · [full report](${reportPageUrl(opts.reportUrl)})` : '';
  lines.push(`Run ${mdCode(report.runId)}${against}${full}`);
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
  const withSteps = rows.filter(({ summary: v }) => v.steps);
  if (withSteps.length) {
    lines.push('');
    for (const { suite, summary: v } of withSteps) {
      lines.push(`- Steps in **${mdText(`${suite} / ${v.name}`)}**: ${v.steps!.mean} model calls per case on average, at most ${formatCount(v.steps!.max)}`);
    }
  }

  const failing = changesOfKind(report, 'newly-failing');
  if (failing.length) {
    lines.push('', `#### Regressions: ${formatCount(failing.length)} newly failing case${failing.length === 1 ? '' : 's'}`, '');
    pushAll(
      lines,
      table(
        ['Suite', 'Variant', 'Case', 'Before', 'After'],
        failing.slice(0, TOP_CHANGES).map((c) => [mdText(c.suite), mdText(c.variant), caseRef(c.suite, c.caseId, opts.reportUrl), c.before ? `${c.before.passes}/${c.before.n}` : 'n/a', c.after ? `${c.after.passes}/${c.after.n}` : 'n/a']),
        ['l', 'l', 'l', 'r', 'r'],
      ),
    );
    if (failing.length > TOP_CHANGES) lines.push('', `…and ${formatCount(failing.length - TOP_CHANGES)} more: see report.html.`);
  } else if (!withBaseline && opts.failing?.total) {
    const f = opts.failing;
    lines.push('', `#### Failing cases (${formatCount(f.total)})`, '');
    if (f.cases.some((c) => c.toolCalls !== undefined)) {
      const rows = f.cases.map((c) => [mdText(c.suite), mdText(c.variant), caseRef(c.suite, c.caseId, opts.reportUrl), c.toolCalls === undefined ? '' : mdCode(c.toolCalls)]);
      pushAll(lines, table(['Suite', 'Variant', 'Case', 'Tool calls'], rows, ['l', 'l', 'l', 'l']));
    } else {
      pushAll(lines, table(['Suite', 'Variant', 'Case'], f.cases.map((c) => [mdText(c.suite), mdText(c.variant), caseRef(c.suite, c.caseId, opts.reportUrl)]), ['l', 'l', 'l']));
    }
    if (f.total > f.cases.length) lines.push('', `…and ${formatCount(f.total - f.cases.length)} more: see report.html.`);
  }
  const passing = changesOfKind(report, 'newly-passing').length;
  if (passing) lines.push('', `${formatCount(passing)} case${passing === 1 ? '' : 's'} newly passing.`);

  const costs = costDeltas(report);
  if (costs.length) {
    // Both sides weighted by this run's samples, so the change is the change in cost per sample.
    const before = costs.reduce((s, c) => s + c.before * c.samples, 0);
    const after = costs.reduce((s, c) => s + c.after * c.samples, 0);
    lines.push('', `#### Cost vs baseline: ${formatUsd(before)} → ${formatUsd(after)} (${signedPercent(relativeChange(before, after))})`, '');
    pushAll(
      lines,
      table(
        // Per 1,000 samples: a single call often costs less than the $0.0001 a cell shows.
        ['Suite', 'Variant', 'Cost per 1,000 samples', 'Change'],
        costs.map((c) => [mdText(c.suite), mdText(c.variant), `${formatUsd(c.before * 1000)} → ${formatUsd(c.after * 1000)}`, signedPercent(relativeChange(c.before, c.after))]),
        ['l', 'l', 'r', 'r'],
      ),
    );
    lines.push('', '<sub>Candidate calls over the cases both runs have, at each side\'s cost per sample.</sub>');
  }

  const errored = variantErrors(report);
  if (errored.length) {
    lines.push('', '#### Errored cases', '');
    for (const v of errored) {
      lines.push(`- **${mdText(`${v.suite} / ${v.variant}`)}**: ${formatCount(v.errors)} of ${formatCount(v.cases)} cases errored`);
      for (const g of v.groups) lines.push(`  - ${formatCount(g.cases)} case${g.cases === 1 ? '' : 's'}: ${mdText(g.message, 300)}${g.requestId !== undefined ? ` ${mdText(requestIdNote(g))}` : ''}`);
      if (v.moreMessages > 0) lines.push(`  - …and ${formatCount(v.moreMessages)} more distinct error${v.moreMessages === 1 ? '' : 's'}: see results.jsonl`);
    }
  }

  for (const section of runDetails(report)) {
    lines.push('', `#### ${section.title}`, '');
    for (const l of section.lines) lines.push(`- ${mdText(l, 400)}`);
  }

  const { fresh, preExisting } = splitGateFailures(report, verdict);
  const failureLine = (f: GateFailure): string => {
    const cases = f.cases?.length ? ` (cases: ${f.cases.slice(0, 5).map((c) => mdCode(c)).join(', ')}${f.cases.length > 5 ? ` and ${formatCount(f.cases.length - 5)} more` : ''})` : '';
    return `- **${mdText(failureScope(f))}** ${mdCode(f.rule)}: ${mdText(failureDetail(f), 300)}${cases}`;
  };
  if (fresh.length) {
    lines.push('', '#### Gate failures', '');
    for (const f of fresh) lines.push(failureLine(f));
  }
  if (preExisting.length) {
    lines.push('', `#### Pre-existing gate failures (already failing in ${mdCode(report.comparison!.against)})`, '');
    for (const f of preExisting) lines.push(failureLine(f));
  }

  const total = report.totals.cases;
  if (total) lines.push('', `<sub>${formatCount(total)} records · overall pass ${formatPercent(report.totals.passed / total)} · ${mdText(CASES_MEANING, 400)}</sub>`);
  lines.push('', COMMENT_MARKER);
  return redactSecrets(lines.join('\n') + '\n');
}

export interface MarkdownReporterOptions {
  /** Where summary.md goes (default: the run folder). */
  outDir?: string;
  /** Read for GITHUB_STEP_SUMMARY and GITHUB_ACTIONS (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Where `::error` annotations are printed (default: process.stdout). */
  stdout?: NodeJS.WritableStream;
  /** Where report.html is published, for case links (default: $LLM_EVAL_REPORT_URL; none: plain ids). */
  reportUrl?: string;
}

/**
 * Writes summary.md; appends it to $GITHUB_STEP_SUMMARY when set; under GitHub Actions prints an
 * `::error` annotation per gate failure so the failure shows on the pull request.
 */
export async function writeMarkdownSummary(run: StoredRun, verdict: GateVerdict, opts: MarkdownReporterOptions = {}): Promise<string> {
  const env = opts.env ?? process.env;
  const reportUrl = opts.reportUrl ?? (env[REPORT_URL_ENV]?.trim() || undefined);
  const failing = run.report.comparison ? undefined : await failingCases(run.cases());
  const markdown = renderMarkdownSummary(run.report, verdict, { ...(reportUrl ? { reportUrl } : {}), ...(failing ? { failing } : {}) });
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
