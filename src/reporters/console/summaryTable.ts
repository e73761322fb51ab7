import Table from 'cli-table3';
import type { ChalkInstance } from 'chalk';
import type { GateFailure, GateVerdict, RunReport } from '../../types.js';
import { formatCount, formatMs, formatPointsDelta, formatRateWithInterval, formatScore, formatTokens, formatUsd } from '../format.js';
import { changesOfKind, headline, variantRows, type VariantRow } from '../summaryRows.js';
import { describeFailure, runDetails, splitGateFailures, CASES_MEANING } from '../runDetails.js';
import { maxOf } from '../../util/arrays.js';
import { cutToWidth, DEFAULT_COLUMNS, displayWidth, wrapLine } from './width.js';
import { variantErrors } from '../../results/errorDigest.js';
import { describeErrorGroup } from '../errorGroups.js';
import { escapeControlChars as safe } from '../../util/controlChars.js';

interface Column {
  head: string;
  align: 'left' | 'right';
  cell(row: VariantRow): string;
}

/**
 * Columns in the order shown; DROP_ORDER says which go first when the terminal is too narrow
 * (they are then stacked under the table, one line per suite × variant).
 */
function columns(c: ChalkInstance, withBaseline: boolean): Column[] {
  const cols: Column[] = [
    { head: 'Suite', align: 'left', cell: (r) => safe(r.suite) },
    { head: 'Variant', align: 'left', cell: (r) => safe(r.summary.name) },
    { head: 'Model', align: 'left', cell: (r) => safe(r.summary.model) },
    {
      head: 'Pass rate (95% CI)',
      align: 'right',
      cell: ({ summary: v }) => {
        const rate = formatRateWithInterval(v.passRate, v.passRateCI95);
        return v.cases === 0 ? c.dim('no cases') : v.passed === v.cases ? c.green(rate) : c.yellow(rate);
      },
    },
    { head: 'Score', align: 'right', cell: (r) => formatScore(r.summary.meanScore) },
    { head: 'Cost', align: 'right', cell: (r) => formatUsd(r.summary.costUsd) },
    { head: 'Tokens', align: 'right', cell: (r) => formatTokens(r.summary.tokens) },
    { head: 'p50', align: 'right', cell: (r) => formatMs(r.summary.latencyMs?.p50) },
    { head: 'p95', align: 'right', cell: (r) => formatMs(r.summary.latencyMs?.p95) },
    { head: 'Errors', align: 'right', cell: (r) => (r.summary.errors > 0 ? c.red(formatCount(r.summary.errors)) : '0') },
  ];
  if (withBaseline) {
    cols.push({
      head: 'vs baseline',
      align: 'right',
      cell: ({ comparison }) => {
        if (!comparison) return c.dim('n/a');
        const text = `${formatPointsDelta(comparison.diff)}${comparison.significant ? ' (significant)' : ''}`;
        return comparison.significant ? (comparison.diff < 0 ? c.red(text) : c.green(text)) : text;
      },
    });
  }
  return cols;
}

/** Least needed first: these leave the table (to the lines under it) when it does not fit. */
const DROP_ORDER = ['Tokens', 'Model', 'p50', 'Score', 'Cost', 'p95', 'Errors'];
/** Suite and variant names are cut to no less than this when even the narrowest table is too wide. */
const MIN_NAME = 8;

function draw(cols: Column[], rows: VariantRow[], c: ChalkInstance, nameMax: number): string {
  const table = new Table({
    head: cols.map((col) => c.bold(col.head)),
    // cli-table3 colours headers and borders itself unless told not to; colour is chalk's job here.
    style: { head: [], border: [] },
    colAligns: cols.map((col) => col.align),
  });
  for (const row of rows) table.push(cols.map((col) => (col.head === 'Suite' || col.head === 'Variant' ? cutToWidth(col.cell(row), nameMax) : col.cell(row))));
  return table.toString();
}

const widest = (text: string): number => maxOf(text.split('\n').map(displayWidth), 0);

/**
 * The end-of-run table, one row per suite × variant, with the change against the baseline when
 * there is one, at most `width` columns wide: columns the width cannot hold are dropped from the
 * table and stacked under it (`suite / variant: Model … · Tokens …`), names are cut last.
 */
export function renderSummaryTable(report: RunReport, c: ChalkInstance, width: number = DEFAULT_COLUMNS): string {
  const rows = variantRows(report);
  const all = columns(c, Boolean(report.comparison));
  let cols = all;
  const dropped: Column[] = [];
  let nameMax = maxOf(rows.map((r) => Math.max(displayWidth(r.suite), displayWidth(r.summary.name))), MIN_NAME);
  nameMax = Math.max(nameMax, MIN_NAME);
  let text = draw(cols, rows, c, nameMax);
  for (const name of DROP_ORDER) {
    if (widest(text) <= width) break;
    const col = cols.find((x) => x.head === name)!;
    dropped.push(col);
    cols = cols.filter((x) => x !== col);
    text = draw(cols, rows, c, nameMax);
  }
  while (widest(text) > width && nameMax > MIN_NAME) {
    nameMax--;
    text = draw(cols, rows, c, nameMax);
  }
  if (widest(text) > width) {
    // Too narrow for any table: one block per suite × variant, every column a labelled field.
    return rows
      .flatMap((row) => [c.bold(safe(`${row.suite} / ${row.summary.name}`)), ...wrapLine(`  ${all.slice(2).map((col) => `${col.head} ${col.cell(row)}`).join(' · ')}`, width)])
      .join('\n');
  }
  if (!dropped.length) return text;
  const stackedCols = all.filter((col) => dropped.includes(col));
  const stacked = rows.map((row) => {
    const parts = stackedCols.map((col) => `${col.head} ${col.cell(row)}`);
    return `  ${c.bold(safe(`${row.suite} / ${row.summary.name}`))}: ${parts.join(' · ')}`;
  });
  return [text, ...stacked.flatMap((l) => wrapLine(l, width))].join('\n');
}

/** `✔ PASSED all gates passed · 1,000 cases · …` in green, or the FAILED form in red. */
export function renderVerdictLine(report: RunReport, verdict: GateVerdict, c: ChalkInstance): string {
  const h = headline(report, verdict);
  const mark = h.passed ? c.green.bold(`✔ ${h.word}`) : c.red.bold(`✖ ${h.word}`);
  return `${mark} ${safe(h.detail)}`;
}

/** Gate failures (new ones, then those the baseline already had) and the baseline movement, under the table. */
export function renderGateDetails(report: RunReport, verdict: GateVerdict, c: ChalkInstance): string[] {
  const lines: string[] = [];
  const { fresh, preExisting } = splitGateFailures(report, verdict);
  const line = (f: GateFailure, mark: string): string => {
    const d = describeFailure(f);
    return `  ${mark} ${c.bold(safe(d.scope))} ${safe(d.rule)}: ${safe(d.detail)}`;
  };
  for (const f of fresh) lines.push(line(f, c.red('✖')));
  if (preExisting.length) {
    lines.push(`  Pre-existing (already failing in ${safe(report.comparison!.against)}):`);
    for (const f of preExisting) lines.push(line(f, c.yellow('•')));
  }
  if (report.comparison) {
    const failing = changesOfKind(report, 'newly-failing').length;
    const passing = changesOfKind(report, 'newly-passing').length;
    lines.push(`  vs ${safe(report.comparison.against)}: ${failing ? c.red(`${formatCount(failing)} newly failing`) : '0 newly failing'}, ${passing ? c.green(`${formatCount(passing)} newly passing`) : '0 newly passing'}`);
  }
  return lines;
}

/** What report.json knows beyond the table (warnings, notes, statistics, repeats, TTFT, pairwise), then what "cases" means. */
export function renderRunDetails(report: RunReport, c: ChalkInstance): string[] {
  const lines: string[] = [];
  for (const section of runDetails(report)) {
    lines.push(`  ${c.bold(section.title)}:`);
    for (const l of section.lines) lines.push(`    ${section.title === 'Warnings' ? c.yellow('!') : '•'} ${safe(l)}`);
  }
  lines.push(`  ${c.dim(CASES_MEANING)}`);
  return lines;
}

/** Per suite × variant with errored cases: how many, and the first distinct messages with their counts. */
export function renderErrorDigest(report: RunReport, c: ChalkInstance): string[] {
  const lines: string[] = [];
  for (const v of variantErrors(report)) {
    lines.push(`  ${c.red('✖')} ${c.bold(safe(`${v.suite} / ${v.variant}`))}: ${c.red(`${formatCount(v.errors)} of ${formatCount(v.cases)} cases errored`)}`);
    for (const g of v.groups) lines.push(`      ${safe(describeErrorGroup(g))}`);
    if (v.moreMessages > 0) lines.push(c.dim(`      …and ${formatCount(v.moreMessages)} more distinct error${v.moreMessages === 1 ? '' : 's'} (results.jsonl has every one)`));
  }
  return lines;
}

/** One line per variant that ran conversation cases: model calls (agent steps, turns) per case. */
export function renderStepsLines(report: RunReport, c: ChalkInstance): string[] {
  const lines: string[] = [];
  for (const suite of report.suites) {
    for (const v of suite.variants) {
      if (!v.steps) continue;
      lines.push(c.dim(`  steps ${safe(`${suite.name} / ${v.name}`)}: ${v.steps.mean} per case on average, at most ${formatCount(v.steps.max)} (${formatCount(v.steps.total)} model calls over ${formatCount(v.steps.cases)} case${v.steps.cases === 1 ? "" : "s"})`));
    }
  }
  return lines;
}
