import path from 'node:path';
import type { CaseChange, ComparisonReport, ResolvedSuite } from '../types.js';
import { casePassRateInterval } from '../stats/intervals.js';
import { mcnemarExact } from '../stats/mcnemar.js';
import { binomialCdf } from '../stats/distributions.js';
import { withinCasePermutationTest } from '../stats/permutation.js';
import { pairedDifferenceInterval, type IntervalMethod } from '../stats/pairedDifference.js';
import type { PairedCounts } from '../stats/scoreInterval.js';
import { benjaminiHochberg } from '../stats/multipleTesting.js';
import { pointsPhrase, powerAdvice, samplingNoise, signedPoints, type PowerAdvice } from '../stats/power.js';

export { signedPoints };
import { nonInferiorityTest, type NonInferiorityResult } from '../stats/nonInferiority.js';
import { inShard, type Shard } from '../plan/shard.js';
import { fingerprintChanges, type FingerprintChange } from '../results/fingerprint.js';
import { aliasWarning, describeFingerprintChange } from './fingerprintWarnings.js';
import { skippedLineWarnings } from './readWarnings.js';
import { readRunOutcomes, type CaseOutcome, type OutcomeSet, type VariantOutcomes } from '../results/outcomes.js';
import { baselineOutcomes, readBaseline } from '../results/baseline.js';

/**
 * Case-by-case comparison of two sides (a baseline or run A = before, a run or run B = after):
 * cases paired by id, per suite × variant pass rates with Wilson intervals, the paired
 * difference with a score interval (Tango; clustered by case with repeats), an exact paired test
 * (McNemar; the within-case permutation test with repeats),
 * Benjamini–Hochberg across all pairs compared, the minimum detectable drop, optional
 * non-inferiority, and the cases that moved.
 */

export const DEFAULT_ALPHA = 0.05;

export interface SideStats {
  /** Passing samples and samples, over the paired cases. */
  passes: number;
  n: number;
  /** Mean over paired cases of each case's pass rate (repeats pooled within the case). */
  passRate: number;
  /** Wilson 95% interval with cases as the unit (Σ case pass rates out of the number of cases). */
  ci95: [number, number];
  model: string | null;
  meanCostUsd: number | null;
  latencyMs: { p50: number | null; p95: number | null };
  /** Typical samples per case. */
  repeats: number;
  flaky: number;
}

export interface VariantComparison {
  suite: string;
  /** The after side's variant (the one being judged). */
  variant: string;
  /** The before side's variant: the same name unless variants were paired explicitly. */
  beforeVariant: string;
  pairedCases: number;
  addedCases: number;
  removedCases: number;
  passRateBefore: number;
  passRateAfter: number;
  /** Mean per-case difference after − before. */
  diff: number;
  /**
   * 95% score interval of the change (see stats/scoreInterval.ts), widened to reach 0 when the
   * exact test finds no significant change at 5%, so the interval and the test never disagree.
   */
  diffCI95: [number, number];
  ciMethod: IntervalMethod;
  /** What the score interval is computed from, for one-sided bounds at a margin (the gate's). */
  scoreCounts: PairedCounts;
  /** Two-sided p-value of "no change". */
  pValue: number | null;
  /** One-sided p-value of "no drop" (small when after is worse), from the same exact test. */
  pDrop: number | null;
  /** Which test gave pValue and pDrop. */
  test: 'mcnemar-exact' | 'permutation-exact' | 'permutation-normal' | null;
  /** Benjamini–Hochberg adjusted p-value across every pair in this comparison. */
  pAdjusted: number | null;
  alpha: number;
  /** pAdjusted < alpha and the 95% interval excludes 0: the test and the interval agree. */
  significant: boolean;
  before: SideStats;
  after: SideStats;
  /** Paired cases whose pass rate fell (harmful) or rose (helpful). */
  flips: { harmful: number; helpful: number };
  power: PowerAdvice;
  cost: { before: number | null; after: number | null; ratio: number | null };
  /** p50 latency before / after: above 1 means after is faster. */
  latency: { p50Before: number | null; p50After: number | null; speedup: number | null };
  fingerprintChanges: FingerprintChange[];
  /** Paired cases whose vars or expected changed under the same id. */
  editedCases: string[];
  nonInferiority?: NonInferiorityResult & { candidate: string; incumbent: string; sentence: string };
  [extra: string]: unknown;
}

export interface Comparison extends ComparisonReport {
  before: string;
  after: string;
  variants: VariantComparison[];
  /** What changed on purpose (prompt, model, params) and which variants had nothing to pair with. */
  notes: string[];
}

export interface VariantPair {
  suite?: string;
  before: string;
  after: string;
}

export interface SuiteCompareSettings {
  /** Significance level (the regression rule's alpha; default 0.05). */
  alpha?: number;
  /** The regression rule's margin (0..1), for the power warning. */
  margin?: number;
  /** Non-inferiority margin (0..1) for this suite. */
  nonInferiorityMargin?: number;
  /** The variant the others are judged against for non-inferiority (suite option nonInferiority.incumbent). */
  incumbent?: string;
}

export interface CompareOptions {
  suites?: Record<string, SuiteCompareSettings>;
  /** Non-inferiority margin for every pair (compare --non-inferiority); overrides suites'. */
  nonInferiorityMargin?: number;
  /**
   * Explicit pairs instead of pairing by name: variant `before` of the before side with variant
   * `after` of the after side, in `suite` (or in every suite having both).
   */
  variantPairs?: VariantPair[];
}

/** Settings per suite from the config: regression alpha and margin, non-inferiority margin. */
export function compareSettingsFromConfig(suites: ResolvedSuite[]): Record<string, SuiteCompareSettings> {
  const out: Record<string, SuiteCompareSettings> = {};
  for (const s of suites) {
    const ni = s.options['nonInferiority'] as { margin?: number; incumbent?: string } | undefined;
    out[s.name] = {
      alpha: s.gate?.regression?.alpha,
      margin: s.gate?.regression?.margin,
      nonInferiorityMargin: typeof ni?.margin === 'number' ? ni.margin : undefined,
      incumbent: typeof ni?.incumbent === 'string' ? ni.incumbent : undefined,
    };
  }
  return out;
}

interface Pair {
  before: CaseOutcome;
  after: CaseOutcome;
  caseId: string;
  d: number;
}

const rate = (c: CaseOutcome): number => (c.n > 0 ? c.passes / c.n : 0);
const median = (xs: number[]): number => {
  if (xs.length === 0) return 1;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
};
/**
 * Exact McNemar when every case has one sample on each side; otherwise the within-case
 * permutation test, exact under "no change" for any repeat counts (stats/permutation.ts).
 */
function pairedTest(pairs: Pair[]): { pValue: number | null; pDrop: number | null; test: VariantComparison['test'] } {
  if (pairs.length === 0) return { pValue: null, pDrop: null, test: null };
  if (pairs.every((p) => p.before.n === 1 && p.after.n === 1)) {
    let b = 0;
    let c = 0;
    for (const p of pairs) {
      if (p.d < 0) b++;
      else if (p.d > 0) c++;
    }
    // One-sided: P(at least b of the b + c discordant pairs go down) under Binomial(b + c, ½).
    return { pValue: mcnemarExact(b, c), pDrop: b + c === 0 ? 1 : binomialCdf(c, b + c, 0.5), test: 'mcnemar-exact' };
  }
  const r = withinCasePermutationTest(pairs);
  return { pValue: r.pValue, pDrop: r.pDrop, test: r.method === 'exact' ? 'permutation-exact' : 'permutation-normal' };
}

/** The significance level at which the displayed 95% interval and the test are made to agree. */
const INTERVAL_TEST_ALPHA = 0.05;

/** The interval, widened to reach 0 when the test does not reject "no change" (never narrowed). */
function agreeWithTest(ci: [number, number], pValue: number | null): [number, number] {
  if (pValue === null || pValue < INTERVAL_TEST_ALPHA) return ci;
  return [Math.min(ci[0], 0), Math.max(ci[1], 0)];
}

function sideStats(v: VariantOutcomes, cases: CaseOutcome[]): SideStats {
  let passes = 0;
  let n = 0;
  let rateSum = 0;
  let flaky = 0;
  for (const c of cases) {
    passes += c.passes;
    n += c.n;
    rateSum += rate(c);
    if (c.passes > 0 && c.passes < c.n) flaky++;
  }
  const m = cases.length;
  return {
    passes,
    n,
    passRate: m ? rateSum / m : 0,
    ci95: casePassRateInterval(cases).ci95,
    model: v.model,
    meanCostUsd: v.meanCostUsd,
    latencyMs: v.latencyMs,
    repeats: median(cases.map((c) => c.n)),
    flaky,
  };
}

const bareModel = (id: string | null): string | null => (id && id.includes(':') ? id.slice(id.indexOf(':') + 1) : id);

function ratio(a: number | null, b: number | null): number | null {
  return a === null || b === null || b === 0 ? null : a / b;
}

/** Two significant figures: 0.4, 1.3, 12. */
function fmtRatio(x: number): string {
  return x >= 10 ? x.toFixed(0) : String(Number(x.toPrecision(2)));
}

/** "it costs 0.4× and is 1.3× as fast at p50" */
export function costLatencyPhrase(cost: number | null, speedup: number | null): string {
  const c = cost === null ? 'its cost is unknown' : `it costs ${fmtRatio(cost)}×`;
  if (speedup === null) return `${c}; its latency is unknown`;
  const l = speedup >= 1 ? `is ${fmtRatio(speedup)}× as fast at p50` : `is ${fmtRatio(1 / speedup)}× slower at p50`;
  return cost === null ? `${c}; it ${l}` : `${c} and ${l}`;
}


/** How a non-inferiority bound was computed, as said in the verdict sentence. */
export function nonInferiorityMethodPhrase(r: Pick<NonInferiorityResult, 'method' | 'confidence'>): string {
  const name = r.method === 'tango-score' ? 'Tango score bound' : 'Tango score bound, clustered by case';
  return `one-sided ${Math.round(r.confidence * 100)}% ${name}`;
}

function nonInferioritySentence(candidate: string, incumbent: string, r: NonInferiorityResult, flips: { harmful: number; helpful: number }, cost: number | null, speedup: number | null): string {
  const how = nonInferiorityMethodPhrase(r);
  const head = r.nonInferior
    ? r.lowerBound > 0
      ? `${candidate} is no worse than ${incumbent} by more than ${pointsPhrase(r.margin)}; it is better, by at least ${pointsPhrase(r.lowerBound)} (lower bound +${signedPoints(r.lowerBound)} pts, ${how})`
      : `${candidate} is no worse than ${incumbent} by more than ${pointsPhrase(r.margin)} (lower bound ${signedPoints(r.lowerBound)} pts, ${how})`
    : `${candidate} is not shown to be within ${pointsPhrase(r.margin)} of ${incumbent} (lower bound ${signedPoints(r.lowerBound)} pts, ${how})`;
  const flipText = `it flips ${flips.harmful} case${flips.harmful === 1 ? '' : 's'} to fail and ${flips.helpful} to pass`;
  return `${head}; ${flipText}; ${costLatencyPhrase(cost, speedup)}`;
}

function compareVariant(
  before: VariantOutcomes,
  after: VariantOutcomes,
  sides: { before: OutcomeSet; after: OutcomeSet },
  settings: SuiteCompareSettings,
  niMargin: number | undefined,
  comparedPairs: number,
): { cmp: VariantComparison; changes: CaseChange[] } {
  // A sharded side only ran its shard: cases outside it are neither added nor removed.
  const inOther = (shard: Shard | null) => (id: string) => !shard || inShard(id, shard);
  const beforeInScope = inOther(sides.after.shard);
  const afterInScope = inOther(sides.before.shard);
  const pairs: Pair[] = [];
  const changes: CaseChange[] = [];
  const editedCases: string[] = [];
  let added = 0;
  let removed = 0;
  const ids = [...after.cases.keys()].sort();
  for (const id of ids) {
    const a = after.cases.get(id)!;
    const b = before.cases.get(id);
    if (!b) {
      if (afterInScope(id)) {
        added++;
        changes.push({ suite: after.suite, variant: after.variant, caseId: id, change: 'added' });
      }
      continue;
    }
    if (a.n === 0 || b.n === 0) continue;
    const d = rate(a) - rate(b);
    pairs.push({ before: b, after: a, caseId: id, d });
    if (a.content && b.content && a.content !== b.content) editedCases.push(id);
    if (d !== 0) {
      changes.push({
        suite: after.suite,
        variant: after.variant,
        caseId: id,
        change: d < 0 ? 'newly-failing' : 'newly-passing',
        before: { passes: b.passes, n: b.n },
        after: { passes: a.passes, n: a.n },
      });
    }
  }
  for (const id of [...before.cases.keys()].sort()) {
    if (!after.cases.has(id) && beforeInScope(id)) {
      removed++;
      changes.push({ suite: after.suite, variant: after.variant, caseId: id, change: 'removed' });
    }
  }

  const d = pairs.map((p) => p.d);
  const interval = pairedDifferenceInterval(d, 0.95);
  const { pValue, pDrop, test } = pairedTest(pairs);
  const alpha = settings.alpha ?? DEFAULT_ALPHA;
  const b = sideStats(before, pairs.map((p) => p.before));
  const a = sideStats(after, pairs.map((p) => p.after));
  const flips = { harmful: d.filter((x) => x < 0).length, helpful: d.filter((x) => x > 0).length };
  const power = powerAdvice(
    {
      cases: pairs.length,
      repeats: Math.max(1, Math.round((a.repeats + b.repeats) / 2)),
      alpha,
      secondMoment: d.length ? d.reduce((s, x) => s + x * x, 0) / d.length : 0,
      meanAbsolute: d.length ? d.reduce((s, x) => s + Math.abs(x), 0) / d.length : 0,
      noise: samplingNoise(pairs),
      comparisons: comparedPairs,
    },
    settings.margin ?? 0,
  );
  const cost = { before: b.meanCostUsd, after: a.meanCostUsd, ratio: ratio(a.meanCostUsd, b.meanCostUsd) };
  const latency = { p50Before: b.latencyMs.p50, p50After: a.latencyMs.p50, speedup: ratio(b.latencyMs.p50, a.latencyMs.p50) };

  const cmp: VariantComparison = {
    suite: after.suite,
    variant: after.variant,
    beforeVariant: before.variant,
    pairedCases: pairs.length,
    addedCases: added,
    removedCases: removed,
    passRateBefore: b.passRate,
    passRateAfter: a.passRate,
    diff: pairs.length ? interval.mean : 0,
    // No paired case: nothing is known about the difference.
    diffCI95: pairs.length ? agreeWithTest(interval.ci, pValue) : [-1, 1],
    ciMethod: interval.method,
    scoreCounts: interval.counts,
    pValue,
    pDrop,
    test,
    pAdjusted: null,
    alpha,
    significant: false,
    before: b,
    after: a,
    flips,
    power,
    cost,
    latency,
    fingerprintChanges: fingerprintChanges(before.fingerprint, after.fingerprint),
    editedCases,
  };

  if (niMargin !== undefined && pairs.length > 0) {
    const r = nonInferiorityTest(d, niMargin, 0.95);
    const models = { cand: bareModel(a.model), inc: bareModel(b.model) };
    const [candidate, incumbent] =
      models.cand && models.inc && models.cand !== models.inc
        ? [models.cand, models.inc]
        : after.variant !== before.variant
          ? [after.variant, before.variant]
          : [`${after.suite}/${after.variant} in ${sides.after.label}`, sides.before.label];
    cmp.nonInferiority = { ...r, candidate, incumbent, sentence: nonInferioritySentence(candidate, incumbent, r, flips, cost.ratio, latency.speedup) };
  }
  return { cmp, changes };
}

const CHANGE_ORDER: Record<CaseChange['change'], number> = { 'newly-failing': 0, 'newly-passing': 1, added: 2, removed: 3 };

/**
 * Most telling first: newly failing cases by the size of their drop (a case that passed every
 * repeat before and fails every one now leads), then by how many samples back it, then newly
 * passing the same way, then added and removed cases by id.
 */
export function orderChanges(changes: CaseChange[]): CaseChange[] {
  const move = (c: CaseChange) => (c.before && c.after ? Math.abs(c.after.passes / c.after.n - c.before.passes / c.before.n) : 0);
  const weight = (c: CaseChange) => (c.before?.n ?? 0) + (c.after?.n ?? 0);
  return [...changes].sort(
    (x, y) =>
      CHANGE_ORDER[x.change] - CHANGE_ORDER[y.change] ||
      move(y) - move(x) ||
      weight(y) - weight(x) ||
      x.suite.localeCompare(y.suite) ||
      x.variant.localeCompare(y.variant) ||
      (x.caseId < y.caseId ? -1 : x.caseId > y.caseId ? 1 : 0),
  );
}

/** Pairs suite × variant across the sides: by name, or as the explicit pairs say. */
function pairVariants(before: OutcomeSet, after: OutcomeSet, explicit?: VariantPair[]): { pairs: Array<[VariantOutcomes, VariantOutcomes]>; notes: string[] } {
  const pairs: Array<[VariantOutcomes, VariantOutcomes]> = [];
  const notes: string[] = [];
  if (explicit) {
    for (const p of explicit) {
      for (const a of after.variants.filter((v) => v.variant === p.after && (!p.suite || v.suite === p.suite))) {
        const b = before.variants.find((v) => v.suite === a.suite && v.variant === p.before);
        if (b) pairs.push([b, a]);
      }
    }
    return { pairs, notes };
  }
  for (const a of after.variants) {
    const b = before.variants.find((v) => v.suite === a.suite && v.variant === a.variant);
    if (b) pairs.push([b, a]);
    else notes.push(`${a.suite}/${a.variant} is not in ${before.label}: not compared`);
  }
  for (const b of before.variants) {
    if (!after.variants.some((v) => v.suite === b.suite && v.variant === b.variant)) notes.push(`${b.suite}/${b.variant} is in ${before.label} but not in ${after.label}: not compared`);
  }
  return { pairs, notes };
}

/**
 * Model deprecation inside one run: for every suite whose `nonInferiority` names an incumbent
 * variant, each other variant of that suite against the incumbent, with the suite's margin.
 * Null when no suite asks for it.
 */
export function compareWithIncumbents(run: OutcomeSet, settings: Record<string, SuiteCompareSettings>, opts: Omit<CompareOptions, 'variantPairs' | 'suites'> = {}): Comparison | null {
  const variantPairs: VariantPair[] = [];
  for (const v of run.variants) {
    const incumbent = settings[v.suite]?.incumbent;
    if (incumbent && v.variant !== incumbent && run.variants.some((x) => x.suite === v.suite && x.variant === incumbent)) {
      variantPairs.push({ suite: v.suite, before: incumbent, after: v.variant });
    }
  }
  return variantPairs.length ? compareOutcomes(run, run, { ...opts, suites: settings, variantPairs }) : null;
}

/** Compares two sides already read (pure: the same inputs give the same report). */
export function compareOutcomes(before: OutcomeSet, after: OutcomeSet, opts: CompareOptions = {}): Comparison {
  const { pairs, notes } = pairVariants(before, after, opts.variantPairs);
  const warnings = [...skippedLineWarnings(before), ...skippedLineWarnings(after)];
  const variants: VariantComparison[] = [];
  let changes: CaseChange[] = [];
  for (const [b, a] of pairs) {
    const settings = opts.suites?.[a.suite] ?? {};
    // A suite's own margin applies to deprecation questions (one variant against another); a
    // run against its baseline answers the regression question instead, unless asked explicitly.
    const ni = opts.nonInferiorityMargin ?? (b.variant !== a.variant ? settings.nonInferiorityMargin : undefined);
    const r = compareVariant(b, a, { before, after }, settings, ni, pairs.length);
    variants.push(r.cmp);
    changes = changes.concat(r.changes);
  }

  // Benjamini–Hochberg over every pair tested in this comparison (all suites and variants).
  const adjusted = benjaminiHochberg(variants.map((v) => v.pValue));
  variants.forEach((v, i) => {
    v.pAdjusted = adjusted[i] ?? null;
    v.significant = v.pAdjusted !== null && v.pAdjusted < v.alpha && (v.diffCI95[0] > 0 || v.diffCI95[1] < 0);
  });

  const aliasSeen = new Set<string>();
  for (const v of variants) {
    const where = v.beforeVariant === v.variant ? `${v.suite}/${v.variant}` : `${v.suite}/${v.beforeVariant} → ${v.variant}`;
    if (v.pairedCases === 0) warnings.push(`${where}: no case in common between ${before.label} and ${after.label}: nothing to compare`);
    if (before.source === 'baseline' && v.addedCases > 0) {
      const ids = changes.filter((c) => c.change === 'added' && c.suite === v.suite && c.variant === v.variant).map((c) => c.caseId);
      warnings.push(
        `${where}: ${ids.length} case(s) missing from ${before.label}, so not gated against it: ${ids.slice(0, 20).join(', ')}${ids.length > 20 ? ', …' : ''}; save a new baseline from a complete run to gate them`,
      );
    }
    for (const c of v.fingerprintChanges) (c.suspect ? warnings : notes).push(describeFingerprintChange(where, c));
    if (v.editedCases.length) {
      warnings.push(
        `${where}: ${v.editedCases.length} case(s) changed content (vars or expected) under the same id, so before and after did not answer the same question: ${v.editedCases.slice(0, 10).join(', ')}${v.editedCases.length > 10 ? ', …' : ''}`,
      );
    }
    if (v.power.warning) warnings.push(`${where}: ${v.power.warning}`);
    if (v.pairedCases > 0 && v.before.repeats !== v.after.repeats) {
      warnings.push(
        `${where}: before has ${v.before.repeats} sample(s) per case and after ${v.after.repeats}: the within-case permutation test stays exact, but flaky cases look steadier on the side with more repeats; use the same repeat count on both sides where you can`,
      );
    }
    for (const model of [v.before.model, v.after.model]) {
      for (const id of (model ?? '').split(' + ')) {
        const w = id ? aliasWarning(id) : null;
        if (w && !aliasSeen.has(id)) {
          aliasSeen.add(id);
          warnings.push(w);
        }
      }
    }
  }
  return { against: before.label, before: before.label, after: after.label, variants, changes: orderChanges(changes), warnings, notes };
}

/**
 * Reads one side: a baseline file (a path to a .json file) or a run (id, folder, or `latest`
 * under `outDir`).
 */
export async function readSide(ref: string, outDir: string, resolveRun: (ref: string, outDir: string) => Promise<string>): Promise<OutcomeSet> {
  if (/\.json$/i.test(ref)) {
    const file = path.resolve(ref);
    return baselineOutcomes(await readBaseline(file), path.relative(process.cwd(), file) || file);
  }
  return readRunOutcomes(await resolveRun(ref, outDir));
}

/** `run --baseline FILE`: the run folder compared against a baseline file. */
export async function compareToBaseline(runDir: string, baselineFile: string, opts: CompareOptions = {}): Promise<Comparison> {
  const file = path.resolve(baselineFile);
  const before = baselineOutcomes(await readBaseline(file), path.relative(process.cwd(), file) || file);
  const after = await readRunOutcomes(runDir);
  return compareOutcomes(before, after, opts);
}
