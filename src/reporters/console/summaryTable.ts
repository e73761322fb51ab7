import Table from 'cli-table3';
import type { ChalkInstance } from 'chalk';
import type { GateVerdict, RunReport } from '../../types.js';
import { formatCount, formatMs, formatPointsDelta, formatRateWithInterval, formatScore, formatTokens, formatUsd } from '../format.js';
import { changesOfKind, failureScope, headline, variantRows } from '../summaryRows.js';
import { variantErrors } from '../../results/errorDigest.js';
import { describeErrorGroup } from '../errorGroups.js';
import { escapeControlChars as safe } from '../../util/controlChars.js';

/** The end-of-run table, one row per suite × variant, with the change against the baseline when there is one. */
export function renderSummaryTable(report: RunReport, c: ChalkInstance): string {
  const rows = variantRows(report);
  const withBaseline = Boolean(report.comparison);
  const head = ['Suite', 'Variant', 'Model', 'Pass rate (95% CI)', 'Score', 'Cost', 'Tokens', 'p50', 'p95', 'Errors'];
  if (withBaseline) head.push('vs baseline');
  const table = new Table({
    head: head.map((h) => c.bold(h)),
    // cli-table3 colours headers and borders itself unless told not to; colour is chalk's job here.
    style: { head: [], border: [] },
    colAligns: ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  });
  for (const { suite, summary: v, comparison } of rows) {
    const rate = formatRateWithInterval(v.passRate, v.passRateCI95);
    const row = [
      safe(suite),
      safe(v.name),
      safe(v.model),
      v.cases === 0 ? c.dim('no cases') : v.passed === v.cases ? c.green(rate) : c.yellow(rate),
      formatScore(v.meanScore),
      formatUsd(v.costUsd),
      formatTokens(v.tokens),
      formatMs(v.latencyMs?.p50),
      formatMs(v.latencyMs?.p95),
      v.errors > 0 ? c.red(formatCount(v.errors)) : '0',
    ];
    if (withBaseline) {
      if (!comparison) row.push(c.dim('n/a'));
      else {
        const text = `${formatPointsDelta(comparison.diff)}${comparison.significant ? ' (significant)' : ''}`;
        row.push(comparison.significant ? (comparison.diff < 0 ? c.red(text) : c.green(text)) : text);
      }
    }
    table.push(row);
  }
  return table.toString();
}

/** `✔ PASSED all gates passed · 1,000 cases · …` in green, or the FAILED form in red. */
export function renderVerdictLine(report: RunReport, verdict: GateVerdict, c: ChalkInstance): string {
  const h = headline(report, verdict);
  const mark = h.passed ? c.green.bold(`✔ ${h.word}`) : c.red.bold(`✖ ${h.word}`);
  return `${mark} ${safe(h.detail)}`;
}

/** Gate failures and the baseline movement, under the table. */
export function renderGateDetails(report: RunReport, verdict: GateVerdict, c: ChalkInstance): string[] {
  const lines: string[] = [];
  for (const f of verdict.failures) {
    const cases = f.cases?.length ? c.dim(safe(` (cases: ${f.cases.slice(0, 5).join(', ')}${f.cases.length > 5 ? `, +${f.cases.length - 5} more` : ''})`)) : '';
    lines.push(`  ${c.red('✖')} ${c.bold(safe(failureScope(f)))} ${safe(f.rule)}: ${safe(f.message)}${cases}`);
  }
  if (report.comparison) {
    const failing = changesOfKind(report, 'newly-failing').length;
    const passing = changesOfKind(report, 'newly-passing').length;
    lines.push(`  vs ${safe(report.comparison.against)}: ${failing ? c.red(`${formatCount(failing)} newly failing`) : '0 newly failing'}, ${passing ? c.green(`${formatCount(passing)} newly passing`) : '0 newly passing'}`);
  }
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
