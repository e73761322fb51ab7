import type { GateFailure, GateVerdict, RunReport } from '../types.js';
import type { Comparison, VariantComparison } from '../comparison/compare.js';
import { formatCount, formatMs, formatPercent, formatPoints, formatPValue } from './format.js';
import { failureDetail, failureScope } from './summaryRows.js';

/**
 * What report.json knows beyond the summary table, as plain-text lines that the terminal and
 * summary.md both print (each escapes and styles them its own way): the comparison's warnings and
 * notes, the statistics per compared variant (raw and Benjamini–Hochberg-adjusted p, flips, the
 * minimum detectable drop), repeats (pass@k, pass^k, flaky cases), time to first token, pairwise
 * judge results, and the gate failures split into new and pre-existing ones.
 */

export { CASES_MEANING } from './casesMeaning.js';

/** At most this many case ids are named in one line (the rest are counted). */
const IDS_LISTED = 5;

export interface DetailSection {
  title: string;
  lines: string[];
}

/** The fields a stored comparison may carry beyond ComparisonReport (runs before them lack them). */
type StoredVariantComparison = Partial<Pick<VariantComparison, 'pAdjusted' | 'flips' | 'power'>> & { suite: string; variant: string; pValue: number | null; pairedCases: number };

function storedComparison(report: RunReport): { variants: StoredVariantComparison[]; notes: string[]; warnings: string[] } | null {
  const c = report.comparison as (RunReport['comparison'] & Partial<Pick<Comparison, 'notes'>>) | undefined;
  if (!c) return null;
  return { variants: c.variants, notes: c.notes ?? [], warnings: c.warnings };
}

/** `a, b, c and 4 more` */
export function listIds(ids: readonly string[], max = IDS_LISTED): string {
  const shown = ids.slice(0, max).join(', ');
  return ids.length > max ? `${shown} and ${formatCount(ids.length - max)} more` : shown;
}

/** Rules that a baseline can have failed the same way: they judge the cases themselves, not the change. */
const CARRIED_RULES = new Set(['all-pass', 'minPassRate', 'passAllRepeats']);

/**
 * A gate failure is pre-existing when the baseline already failed it: its rule judges the cases
 * themselves (all-pass, minPassRate, passAllRepeats), its suite × variant was compared, and no
 * case of it is newly failing or new. Then every case failing now failed in the baseline too, so
 * the baseline failed the same rule (its pass rate was no higher).
 */
export function splitGateFailures(report: RunReport, verdict: GateVerdict): { fresh: GateFailure[]; preExisting: GateFailure[] } {
  const comparison = report.comparison;
  if (!comparison) return { fresh: verdict.failures, preExisting: [] };
  const compared = new Set(comparison.variants.map((v) => `${v.suite}\u0000${v.variant}`));
  const moved = new Set(comparison.changes.filter((c) => c.change === 'newly-failing' || c.change === 'added').map((c) => `${c.suite}\u0000${c.variant}`));
  const fresh: GateFailure[] = [];
  const preExisting: GateFailure[] = [];
  for (const f of verdict.failures) {
    const key = `${f.suite ?? ''}\u0000${f.variant ?? ''}`;
    const carried = CARRIED_RULES.has(f.rule) && f.suite !== undefined && f.variant !== undefined && compared.has(key) && !moved.has(key);
    (carried ? preExisting : fresh).push(f);
  }
  return { fresh, preExisting };
}

/** `tickets / v2 minPassRate: pass rate 80.0% … (cases: a, b)` without the scope repeated inside the message. */
export function describeFailure(f: GateFailure): { scope: string; rule: string; detail: string } {
  const cases = f.cases?.length ? ` (cases: ${listIds(f.cases)})` : '';
  return { scope: failureScope(f), rule: f.rule, detail: `${failureDetail(f)}${cases}` };
}

function statisticsLines(variants: StoredVariantComparison[]): string[] {
  return variants.map((v) => {
    const parts = [`p = ${formatPValue(v.pValue)}`];
    if (v.pAdjusted !== undefined) parts.push(`BH-adjusted p = ${formatPValue(v.pAdjusted)}`);
    if (v.flips) parts.push(`flips: ${formatCount(v.flips.harmful)} to fail, ${formatCount(v.flips.helpful)} to pass`);
    if (v.power) parts.push(v.power.mde === null ? 'no drop is detectable' : `min. detectable drop ${formatPoints(v.power.mde)}`);
    return `${v.suite} / ${v.variant} (${formatCount(v.pairedCases)} paired cases): ${parts.join(' · ')}`;
  });
}

function repeatLines(report: RunReport): string[] {
  const lines: string[] = [];
  for (const s of report.suites) {
    for (const v of s.variants) {
      const r = v.repeats;
      if (!r || r.k < 2) continue;
      const flaky = r.flaky ? `; flaky: ${listIds(r.flakyCases.length ? r.flakyCases : [])}${r.flakyCases.length < r.flaky ? ` (${formatCount(r.flaky)} in all)` : ''}` : '';
      lines.push(
        `${s.name} / ${v.name}: ${formatCount(r.cases)} cases × ${r.k} repeats · pass@${r.k} ${formatPercent(r.passAtK)} · pass^${r.k} ${formatPercent(r.passHatK)} · ${formatCount(r.flaky)} flaky${flaky}`,
      );
    }
  }
  return lines;
}

function ttftLines(report: RunReport): string[] {
  const lines: string[] = [];
  for (const s of report.suites) {
    for (const v of s.variants) {
      if (v.ttftMs) lines.push(`${s.name} / ${v.name}: TTFT p50 ${formatMs(v.ttftMs.p50)} · p95 ${formatMs(v.ttftMs.p95)}`);
    }
  }
  return lines;
}

function pairwiseLines(report: RunReport): string[] {
  const lines: string[] = [];
  for (const s of report.suites) {
    for (const p of s.pairwise ?? []) {
      const head = `${s.name}: ${p.a} vs ${p.b} (${p.grader}, judge ${p.judge})`;
      if (p.skipped) {
        lines.push(`${head}: not compared: ${p.skipped}`);
        continue;
      }
      const disagree = p.orderDisagreement ? ` (cases: ${listIds(p.disagreementCases)})` : '';
      lines.push(
        `${head}: ${formatCount(p.cases)} cases · win ${formatCount(p.wins)} / tie ${formatCount(p.ties)} / loss ${formatCount(p.losses)} · order disagreement ${formatCount(p.orderDisagreement)} (${formatPercent(p.orderDisagreementRate)})${disagree}`,
      );
    }
  }
  return lines;
}

/** The sections with something to say, in reading order. */
export function runDetails(report: RunReport): DetailSection[] {
  const sections: DetailSection[] = [];
  const comparison = storedComparison(report);
  const warnings = [...report.warnings, ...(comparison?.warnings ?? [])];
  if (warnings.length) sections.push({ title: 'Warnings', lines: [...new Set(warnings)] });
  if (comparison?.notes.length) sections.push({ title: 'Notes on the comparison', lines: comparison.notes });
  if (comparison?.variants.length) sections.push({ title: 'Against the baseline', lines: statisticsLines(comparison.variants) });
  const repeats = repeatLines(report);
  if (repeats.length) sections.push({ title: 'Repeats', lines: repeats });
  const ttft = ttftLines(report);
  if (ttft.length) sections.push({ title: 'Time to first token', lines: ttft });
  const pairwise = pairwiseLines(report);
  if (pairwise.length) sections.push({ title: 'Pairwise', lines: pairwise });
  return sections;
}
