import { pairedLowerBound, type BootstrapOptions, type IntervalMethod } from './pairedDifference.js';

export interface NonInferiorityResult {
  margin: number;
  /** One-sided lower confidence bound of mean(candidate − incumbent). */
  lowerBound: number;
  confidence: number;
  method: IntervalMethod;
  /** True when the lower bound is above −margin: the candidate is no worse by more than the margin. */
  nonInferior: boolean;
}

/**
 * Non-inferiority of a candidate to an incumbent on the same cases (paired, cases as
 * clusters): H0 "the candidate is worse by at least `margin`" is rejected when the one-sided
 * lower bound of the mean per-case difference (candidate − incumbent) lies above −margin — the
 * confidence-interval form of the test, one-sided at `confidence` (95% ⇒ α = 0.05).
 */
export function nonInferiorityTest(d: readonly number[], margin: number, confidence = 0.95, opts: BootstrapOptions = {}): NonInferiorityResult {
  if (!(margin >= 0)) throw new RangeError(`non-inferiority margin must be ≥ 0, got ${margin}`);
  const { bound, method } = pairedLowerBound(d, confidence, opts);
  return { margin, lowerBound: bound, confidence, method, nonInferior: d.length > 0 && bound > -margin };
}
