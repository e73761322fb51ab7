import { pairedCounts, scoreInterval, type PairedCounts, type ScoreMethod } from './scoreInterval.js';

export type IntervalMethod = ScoreMethod;

export interface MeanDifference {
  /** Number of cases (clusters). */
  n: number;
  /** Mean of the per-case differences dᵢ. */
  mean: number;
}

/**
 * Mean of paired per-case differences dᵢ = (pass rate of case i after) − (before), repeats pooled
 * within the case: the cases are the independent units (Miller 2024, "Adding Error Bars to
 * Evals"), so correlated samples of one case are not counted as independent evidence.
 */
export function meanDifference(d: readonly number[]): MeanDifference {
  let sum = 0;
  for (const x of d) sum += x;
  return { n: d.length, mean: d.length ? sum / d.length : 0 };
}

export interface DifferenceInterval extends MeanDifference {
  ci: [number, number];
  method: IntervalMethod;
  /** The counts the score interval was computed from (for one-sided bounds and margin tests). */
  counts: PairedCounts;
}

/**
 * The 95% (or `confidence`) interval of a paired mean difference: Tango's score interval (its
 * moment-matched clustered form with repeats, see scoreInterval.ts). It has honest coverage at
 * every n from 10 cases up, and never has zero width.
 */
export function pairedDifferenceInterval(d: readonly number[], confidence = 0.95): DifferenceInterval {
  const counts = pairedCounts(d);
  return { ...meanDifference(d), ci: scoreInterval(counts, confidence), method: counts.method, counts };
}
