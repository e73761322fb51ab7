import { pairedCounts, scoreLowerBound, type ScoreMethod } from './scoreInterval.js';

export interface NonInferiorityResult {
  margin: number;
  /** One-sided lower confidence bound of mean(candidate − incumbent). */
  lowerBound: number;
  confidence: number;
  method: ScoreMethod;
  /** True when the lower bound is above −margin: the candidate is no worse by more than the margin. */
  nonInferior: boolean;
}

/**
 * Non-inferiority of a candidate to an incumbent on the same cases (paired, cases as the unit):
 * H0 "the candidate is worse by at least `margin`" is rejected when the one-sided lower score
 * bound (Tango; clustered with repeats) of the mean per-case difference (candidate − incumbent)
 * lies above −margin: the score test of H0 at Δ₀ = −margin, one-sided at `confidence`
 * (95% ⇒ α = 0.05). The bound is never 0 for identical runs: 20 unchanged cases bound the
 * difference at −11.9 points only.
 */
export function nonInferiorityTest(d: readonly number[], margin: number, confidence = 0.95): NonInferiorityResult {
  if (!(margin >= 0)) throw new RangeError(`non-inferiority margin must be ≥ 0, got ${margin}`);
  const counts = pairedCounts(d);
  const bound = scoreLowerBound(counts, confidence);
  return { margin, lowerBound: bound, confidence, method: counts.method, nonInferior: d.length > 0 && bound > -margin };
}
