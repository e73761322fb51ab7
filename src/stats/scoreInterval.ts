import { normalCdf, normalQuantile } from './distributions.js';

/**
 * Score intervals and score tests for a paired difference of pass rates, Δ = p(after) − p(before),
 * with the cases as the unit.
 *
 * One sample per case (Tango 1998, "Equivalence test and confidence interval for the difference
 * in proportions for the paired-sample design", Stat Med 17:891–908): with n cases, c that went
 * fail → pass and b that went pass → fail,
 *
 *   Z(Δ₀) = (c − b − nΔ₀) / √(n·(2·p̃ + Δ₀(1 − Δ₀)))
 *
 * where p̃ is the maximum-likelihood estimate of P(pass → fail) under the constraint Δ = Δ₀:
 * p̃ = (√(B² − 4AC) − B) / (2A), A = 2n, B = −b − c + (2n − c + b)·Δ₀, C = −b·Δ₀(1 − Δ₀).
 * The interval is {Δ₀ : |Z(Δ₀)| ≤ z}. Because the variance is evaluated under Δ₀ rather than at
 * the observed difference, it never collapses: 20 identical cases give a one-sided 95% lower
 * bound of −11.9 points, not 0 (−19.6 with the continuity correction below, which llm-eval uses:
 * |c − b − nΔ₀| is reduced by 1 towards 0). Fagerland, Lydersen & Laake (2014), "Recommended tests and confidence
 * intervals for paired binomial proportions", Stat Med 33:2850–2875, recommend it at every n.
 *
 * With repeats each case's change dᵢ (after pass rate − before pass rate) lies in [−1, 1] and the
 * case stays the unit: dᵢ counts as a fractional discordant pair, b′ = Σ max(−dᵢ, 0) and
 * c′ = Σ max(dᵢ, 0), in Tango's formulas. Since dᵢ² ≤ |dᵢ|, the trinomial with these counts has at
 * least the variance of the real dᵢ, so the interval is conservative; it is exactly Tango's with
 * one sample per case. (Matching the second moment instead, with changes of typical size
 * Σdᵢ²/Σ|dᵢ|, covered only 91–93% in simulation when a few cases drop fully among many flaky ones:
 * rare large drops make dᵢ skewed.)
 */

export type ScoreMethod = 'tango-score' | 'tango-score-clustered';

/** Counts that define a paired score interval: n cases, (fractional) pass→fail b and fail→pass c. */
export interface PairedCounts {
  n: number;
  b: number;
  c: number;
  method: ScoreMethod;
}

/** The counts of per-case differences dᵢ ∈ [−1, 1] for the score interval (see the module comment). */
export function pairedCounts(d: readonly number[]): PairedCounts {
  let down = 0;
  let up = 0;
  let fractional = false;
  for (const x of d) {
    if (x < 0) down -= x;
    else up += x;
    if (x !== 0 && Math.abs(x) !== 1) fractional = true;
  }
  return { n: d.length, b: down, c: up, method: fractional ? 'tango-score-clustered' : 'tango-score' };
}

/**
 * Continuity correction on c − b, in cases: McNemar's (Edwards 1948), |c − b| − 1. Computed
 * exactly over all outcomes (docs/statistics.md), plain Tango rejects "the drop is at most the
 * margin" in up to 4.2% of runs at the boundary (one-sided 2.5% level) and declares a 5-point-worse
 * candidate non-inferior in up to 5.5% (5% level); corrected, at most 2.1% and 4.4%.
 */
export const CONTINUITY_CORRECTION = 1;

/** Tango's Z(Δ₀) for the (possibly fractional) counts, with continuity correction `cc`. */
function tangoZ(n: number, b: number, c: number, delta0: number, cc: number): number {
  const A = 2 * n;
  const B = -b - c + (2 * n - c + b) * delta0;
  const C = -b * delta0 * (1 - delta0);
  const disc = Math.max(0, B * B - 4 * A * C);
  const pTilde = Math.max(0, (Math.sqrt(disc) - B) / (2 * A));
  const variance = n * (2 * pTilde + delta0 * (1 - delta0));
  const raw = c - b - n * delta0;
  const numerator = Math.sign(raw) * Math.max(0, Math.abs(raw) - cc);
  if (!(variance > 0)) return numerator === 0 ? 0 : numerator > 0 ? Infinity : -Infinity;
  return numerator / Math.sqrt(variance);
}

/** The score statistic of H0 "Δ = delta0" for these counts (positive when after looks better than delta0). */
export function scoreStatistic(k: PairedCounts, delta0: number, cc = CONTINUITY_CORRECTION): number {
  return tangoZ(k.n, k.b, k.c, delta0, cc);
}

/**
 * The Δ₀ where Z(Δ₀) = z: Z falls from +∞ to −∞ as Δ₀ goes from −1 to 1,
 * so bisection finds it; 60 halvings pin it far below a printed tenth of a point.
 */
function solve(k: PairedCounts, z: number, cc: number): number {
  let lo = -1;
  let hi = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (tangoZ(k.n, k.b, k.c, mid, cc) > z) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** One-sided lower confidence bound of Δ at `confidence` (95% ⇒ z = 1.645); `cc` 0 for plain Tango. */
export function scoreLowerBound(k: PairedCounts, confidence = 0.95, cc = CONTINUITY_CORRECTION): number {
  if (k.n === 0) return -1;
  return solve(k, normalQuantile(confidence), cc);
}

/** One-sided upper confidence bound of Δ at `confidence`. */
export function scoreUpperBound(k: PairedCounts, confidence = 0.95, cc = CONTINUITY_CORRECTION): number {
  if (k.n === 0) return 1;
  return solve(k, -normalQuantile(confidence), cc);
}

/** Two-sided interval at `confidence`: the values of Δ₀ the two-sided score test does not reject. */
export function scoreInterval(k: PairedCounts, confidence = 0.95, cc = CONTINUITY_CORRECTION): [number, number] {
  const tail = (1 + confidence) / 2;
  return [scoreLowerBound(k, tail, cc), scoreUpperBound(k, tail, cc)];
}

/** One-sided p-value of H0 "Δ ≥ delta0" against "Δ < delta0" (small when the data say Δ is below delta0). */
export function scorePValueBelow(k: PairedCounts, delta0: number, cc = CONTINUITY_CORRECTION): number {
  if (k.n === 0) return 1;
  return normalCdf(scoreStatistic(k, delta0, cc));
}
