import type { CaseChange, GateConfig, GateFailure, RegressionGateConfig } from '../types.js';
import type { Comparison, VariantComparison } from '../comparison/compare.js';
import type { VariantOutcomes } from '../results/outcomes.js';
import { points, pointsPhrase, signedPoints } from '../stats/power.js';
import { benjaminiHochberg } from '../stats/multipleTesting.js';
import { scorePValueBelow, scoreUpperBound } from '../stats/scoreInterval.js';

/**
 * The statistical gate rules (pure): `regression` against a baseline, `passAllRepeats`, and the
 * non-inferiority verdict of `compare`. Each failure names the rule that fired and the cases to
 * look at first.
 */

export const DEFAULT_REGRESSION: RegressionGateConfig = { alpha: 0.05, margin: 0 };
/** Cases listed in a failure message (all of them stay in the comparison report). */
export const CASES_LISTED = 10;

/**
 * The regression rule that applies to a suite. An explicit `gate.regression` wins (missing
 * alpha/margin take the defaults). Passing a baseline (`run --baseline`, `compare`) is a request
 * for regression gating, so a suite without its own rule gets the default one (alpha 0.05,
 * margin 0). Without a baseline there is nothing to regress against: null.
 */
export function regressionRuleFor(gate: GateConfig | undefined, baselineGiven: boolean): RegressionGateConfig | null {
  if (!baselineGiven) return null;
  const r = gate?.regression as Partial<RegressionGateConfig> | undefined;
  return { alpha: r?.alpha ?? DEFAULT_REGRESSION.alpha, margin: r?.margin ?? DEFAULT_REGRESSION.margin };
}

/**
 * With a baseline, a suite that sets no gate is judged by the regression rule alone, not by
 * the default "every case must pass": a baseline records which cases already fail, and CI is
 * asking whether this change made things worse.
 */
export function baselineReplacesDefaultRule(gate: GateConfig | undefined, baselineGiven: boolean): boolean {
  return baselineGiven && gate === undefined;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const fmtP = (p: number): string => (p < 0.0001 ? p.toExponential(1) : p < 0.01 ? p.toFixed(4) : p.toFixed(3));

function describeCase(c: CaseChange): string {
  return c.before && c.after ? `${c.caseId} (${c.before.passes}/${c.before.n} → ${c.after.passes}/${c.after.n})` : c.caseId;
}

/** Newly failing cases of one compared pair, in the comparison's order (biggest drops first). */
export function casesToLookAt(comparison: Pick<Comparison, 'changes'>, v: Pick<VariantComparison, 'suite' | 'variant'>): CaseChange[] {
  return comparison.changes.filter((c) => c.change === 'newly-failing' && c.suite === v.suite && c.variant === v.variant);
}

/**
 * The one-sided p-value of a pair's drop hypothesis H0 "the drop is at most `margin`": with a
 * margin of 0, the exact test of "no change" (McNemar, or the within-case permutation test with
 * repeats), one-sided; with a margin, Tango's score test at Δ₀ = −margin (clustered by case with
 * repeats), the test whose inversion gives the interval's upper bound.
 */
export function dropPValue(v: Pick<VariantComparison, 'pDrop' | 'scoreCounts' | 'pairedCases'>, margin: number): number | null {
  if (v.pairedCases === 0) return null;
  return margin > 0 ? scorePValueBelow(v.scoreCounts, -margin) : v.pDrop;
}

/** Names the test behind `dropPValue`, for the failure message. */
function dropTestName(v: Pick<VariantComparison, 'test' | 'ciMethod'>, margin: number): string {
  if (margin > 0) return v.ciMethod === 'tango-score' ? 'one-sided Tango score test at the margin' : 'one-sided Tango score test at the margin, clustered by case';
  return v.test === 'mcnemar-exact' ? 'one-sided exact McNemar test' : v.test === 'permutation-exact' ? 'one-sided exact within-case permutation test' : 'one-sided within-case permutation test (normal approximation)';
}

/**
 * Fails a compared suite × variant when the data show a drop larger than the margin: H0 "the
 * drop is at most the margin" is rejected one-sided at alpha/2 (the upper end of a two-sided
 * 1 − alpha interval; see dropPValue for the tests), after Benjamini–Hochberg across the drop
 * hypotheses of every pair compared, and the interval's upper bound is below −margin as well
 * (with a margin, the same statement; without, it keeps the verdict and the interval in step).
 * The margin is tested, not compared with the observed drop: a true drop at the margin fails at
 * most about alpha/2 of the time (docs/statistics.md). A drop within noise passes.
 */
export function regressionFailures(comparison: Comparison, ruleFor: (suite: string) => RegressionGateConfig | null): GateFailure[] {
  const rules = comparison.variants.map((v) => ruleFor(v.suite));
  const raw = comparison.variants.map((v, i) => (rules[i] ? dropPValue(v, rules[i].margin) : null));
  const adjusted = benjaminiHochberg(raw);
  const failures: GateFailure[] = [];
  comparison.variants.forEach((v, i) => {
    const rule = rules[i];
    const p = raw[i];
    const pAdj = adjusted[i];
    if (!rule || p === null || p === undefined || pAdj === null || pAdj === undefined || !(pAdj < rule.alpha / 2)) return;
    // The test and the interval must agree: the interval's upper bound must be below −margin too.
    const upper = scoreUpperBound(v.scoreCounts, 1 - rule.alpha / 2);
    if (!(upper < -rule.margin)) return;
    const drop = -v.diff;
    const look = casesToLookAt(comparison, v);
    const where = v.beforeVariant === v.variant ? `${v.suite}/${v.variant}` : `${v.suite}/${v.beforeVariant} → ${v.variant}`;
    const flaky = v.after.flaky ? `; ${v.after.flaky} flaky case(s) in this run` : '';
    const suspect = v.fingerprintChanges.some((c) => c.suspect) || v.editedCases.length ? ' (note: the comparison is flagged as not like for like, see warnings)' : '';
    const confidence = Math.round((1 - rule.alpha / 2) * 1000) / 10;
    const marginText =
      rule.margin > 0
        ? `the drop is larger than the margin of ${pointsPhrase(rule.margin)}: the one-sided ${confidence}% upper bound of the change, ${signedPoints(upper)} pts, is below −${points(rule.margin)}`
        : 'the pass rate dropped';
    failures.push({
      suite: v.suite,
      variant: v.variant,
      rule: 'regression',
      message:
        `${where}: regression: pass rate fell ${pointsPhrase(drop)} (${pct(v.passRateBefore)} → ${pct(v.passRateAfter)}, ` +
        `95% CI of the change ${signedPoints(v.diffCI95[0])} to ${signedPoints(v.diffCI95[1])} pts, ${v.pairedCases} paired cases); ` +
        `${marginText} (${dropTestName(v, rule.margin)}: p = ${fmtP(p)}, BH-adjusted ${fmtP(pAdj)} < alpha/2 = ${rule.alpha / 2})` +
        `${flaky}${suspect}. Look first at: ${look.slice(0, CASES_LISTED).map(describeCase).join(', ')}${look.length > CASES_LISTED ? `, … (${look.length} newly failing)` : ''}`,
      cases: look.map((c) => c.caseId),
    });
  });
  return failures;
}

/** compare --non-inferiority: a pair fails when the candidate is not shown to be within the margin. */
export function nonInferiorityFailures(comparison: Comparison): GateFailure[] {
  const failures: GateFailure[] = [];
  for (const v of comparison.variants) {
    if (!v.nonInferiority || v.nonInferiority.nonInferior) continue;
    const look = casesToLookAt(comparison, v);
    failures.push({
      suite: v.suite,
      variant: v.variant,
      rule: 'nonInferiority',
      message: `${v.suite}: non-inferiority: ${v.nonInferiority.sentence}. Look first at: ${look.slice(0, CASES_LISTED).map(describeCase).join(', ') || 'no newly failing case'}`,
      cases: look.map((c) => c.caseId),
    });
  }
  return failures;
}

/**
 * gate.passAllRepeats: every case must pass every one of its repeats. Lists flaky cases (some
 * repeats pass) first — they are the ones a retry would hide — then cases that never pass.
 */
export function passAllRepeatsFailures(outcomes: VariantOutcomes[], enabled: (suite: string) => boolean): GateFailure[] {
  const failures: GateFailure[] = [];
  for (const v of outcomes) {
    if (!enabled(v.suite)) continue;
    const flaky: Array<[string, number]> = [];
    const never: string[] = [];
    for (const [id, c] of v.cases) {
      if (c.passes === c.n) continue;
      if (c.passes > 0) flaky.push([id, c.passes / c.n]);
      else never.push(id);
    }
    if (flaky.length === 0 && never.length === 0) continue;
    flaky.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    never.sort();
    const listed = [...flaky.map(([id]) => id), ...never];
    failures.push({
      suite: v.suite,
      variant: v.variant,
      rule: 'passAllRepeats',
      message:
        `${v.suite}/${v.variant}: passAllRepeats: ${flaky.length + never.length} of ${v.cases.size} cases did not pass every repeat ` +
        `(${flaky.length} flaky: repeats disagree; ${never.length} never pass). Look first at: ${listed.slice(0, CASES_LISTED).join(', ')}${listed.length > CASES_LISTED ? ', …' : ''}`,
      cases: listed,
    });
  }
  return failures;
}
