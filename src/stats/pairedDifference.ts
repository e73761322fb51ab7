import { normalQuantile } from './distributions.js';
import { seededRandom } from './rng.js';

/** Below this many paired cases the interval comes from a paired bootstrap rather than the CLT. */
export const BOOTSTRAP_BELOW_CASES = 30;
export const DEFAULT_BOOTSTRAP_RESAMPLES = 10_000;

export type IntervalMethod = 'clustered-normal' | 'paired-bootstrap';

export interface MeanDifference {
  /** Number of cases (clusters). */
  n: number;
  /** Mean of the per-case differences dᵢ. */
  mean: number;
  /** Sample standard deviation of dᵢ (n − 1 denominator); 0 when n < 2. */
  sd: number;
  /** Cluster-robust standard error of the mean: sd / √n. */
  se: number;
}

/**
 * Mean and cluster-robust standard error of paired per-case differences, as in Miller (2024),
 * "Adding Error Bars to Evals", §paired differences: with dᵢ = (mean pass rate of case i after)
 * − (before), repeats pooled within the case, the cases are the independent clusters and
 * SE = sd(dᵢ)/√n. Pairing removes the between-case variance that an unpaired comparison of two
 * pass rates would carry, and pooling repeats inside a case keeps correlated samples from being
 * counted as independent evidence.
 */
export function meanDifference(d: readonly number[]): MeanDifference {
  const n = d.length;
  if (n === 0) return { n: 0, mean: 0, sd: 0, se: 0 };
  let sum = 0;
  for (const x of d) sum += x;
  const mean = sum / n;
  if (n < 2) return { n, mean, sd: 0, se: 0 };
  let ss = 0;
  for (const x of d) ss += (x - mean) * (x - mean);
  const sd = Math.sqrt(ss / (n - 1));
  return { n, mean, sd, se: sd / Math.sqrt(n) };
}

/** Two-sided CLT interval mean ± z·SE on the clustered SE (Miller 2024, eq. for paired differences). */
export function clusteredInterval(d: readonly number[], confidence = 0.95): [number, number] {
  const { mean, se } = meanDifference(d);
  const z = normalQuantile(1 - (1 - confidence) / 2);
  return [mean - z * se, mean + z * se];
}

/** One-sided lower bound mean − z·SE (z = Φ⁻¹(confidence), 1.645 at 95%). */
export function clusteredLowerBound(d: readonly number[], confidence = 0.95): number {
  const { mean, se } = meanDifference(d);
  return mean - normalQuantile(confidence) * se;
}

export interface BootstrapOptions {
  resamples?: number;
  seed?: number;
}

/**
 * Sorted means of paired-bootstrap resamples: cases are drawn with replacement (a case's
 * before and after travel together, so the pairing survives), each resample's mean difference
 * recorded. Seeded, so the same inputs give the same interval everywhere.
 */
export function bootstrapMeans(d: readonly number[], opts: BootstrapOptions = {}): Float64Array {
  const n = d.length;
  const b = opts.resamples ?? DEFAULT_BOOTSTRAP_RESAMPLES;
  const rand = seededRandom(opts.seed ?? 1);
  const means = new Float64Array(b);
  for (let r = 0; r < b; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += d[Math.floor(rand() * n)]!;
    means[r] = sum / n;
  }
  return means.sort();
}

/** The q-quantile of sorted values (linear interpolation between order statistics, type 7). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Percentile paired-bootstrap interval of the mean difference (Efron), for few cases. */
export function bootstrapInterval(d: readonly number[], confidence = 0.95, opts: BootstrapOptions = {}): [number, number] {
  if (d.length === 0) return [0, 0];
  const means = bootstrapMeans(d, opts);
  const tail = (1 - confidence) / 2;
  return [quantileSorted(means, tail), quantileSorted(means, 1 - tail)];
}

/** One-sided percentile-bootstrap lower bound (the (1 − confidence) quantile of resampled means). */
export function bootstrapLowerBound(d: readonly number[], confidence = 0.95, opts: BootstrapOptions = {}): number {
  if (d.length === 0) return 0;
  return quantileSorted(bootstrapMeans(d, opts), 1 - confidence);
}

export interface DifferenceInterval extends MeanDifference {
  ci: [number, number];
  method: IntervalMethod;
}

/**
 * The 95% (or `confidence`) interval of a paired mean difference: the clustered CLT interval
 * when there are enough cases for it to be honest, a paired bootstrap below
 * BOOTSTRAP_BELOW_CASES cases, where the normal approximation is too narrow.
 */
export function pairedDifferenceInterval(d: readonly number[], confidence = 0.95, opts: BootstrapOptions = {}): DifferenceInterval {
  const md = meanDifference(d);
  if (d.length < BOOTSTRAP_BELOW_CASES) {
    return { ...md, ci: bootstrapInterval(d, confidence, opts), method: 'paired-bootstrap' };
  }
  return { ...md, ci: clusteredInterval(d, confidence), method: 'clustered-normal' };
}

/** One-sided lower bound with the same method choice as `pairedDifferenceInterval`. */
export function pairedLowerBound(d: readonly number[], confidence = 0.95, opts: BootstrapOptions = {}): { bound: number; method: IntervalMethod } {
  if (d.length < BOOTSTRAP_BELOW_CASES) return { bound: bootstrapLowerBound(d, confidence, opts), method: 'paired-bootstrap' };
  return { bound: clusteredLowerBound(d, confidence), method: 'clustered-normal' };
}
