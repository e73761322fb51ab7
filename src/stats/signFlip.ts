import { normalUpperTail } from './distributions.js';

/** Above this many DP cell updates the exact distribution gives way to its normal approximation. */
export const EXACT_SIGN_FLIP_MAX_WORK = 50_000_000;

export interface SignFlipResult {
  pValue: number;
  /** 'exact': full permutation distribution; 'normal': its CLT approximation for very large inputs. */
  method: 'exact' | 'normal';
}

/**
 * Two-sided paired sign-flip (permutation) test of H0 "the change has no effect" on per-case
 * differences given as integers (the caller scales rational differences to a common
 * denominator). Under H0 the before and after samples of a case are exchangeable, so each
 * difference is equally likely to carry either sign; the p-value is P(|Σ ±wᵢ| ≥ |Σ wᵢ|) over all
 * 2^m sign assignments, computed exactly by dynamic programming over subset sums.
 *
 * With one sample per case every difference is −1, 0 or +1, and this is exactly the exact
 * McNemar test; with repeats it is its natural generalisation to per-case mean pass rates
 * (cases as clusters, repeats pooled), with no normality assumption.
 */
export function signFlipTest(weights: readonly number[]): SignFlipResult {
  const w: number[] = [];
  let observed = 0;
  let total = 0;
  let sumSquares = 0;
  for (const x of weights) {
    if (!Number.isInteger(x)) throw new RangeError(`signFlipTest: weights must be integers, got ${x}`);
    if (x === 0) continue;
    observed += x;
    const a = Math.abs(x);
    w.push(a);
    total += a;
    sumSquares += a * a;
  }
  if (w.length === 0) return { pValue: 1, method: 'exact' };
  const target = Math.abs(observed);

  if (w.length * (total + 1) > EXACT_SIGN_FLIP_MAX_WORK) {
    // S = Σ ±wᵢ has mean 0 and variance Σ wᵢ² under H0; with this many terms the CLT is tight.
    const z = target / Math.sqrt(sumSquares);
    return { pValue: Math.min(1, 2 * normalUpperTail(z)), method: 'normal' };
  }

  // T = sum of the weights given a + sign; S = 2T − total. prob[t] = P(T = t).
  // In place, from the top down (as in a 0/1 knapsack): prob[t] ← ½·prob[t] + ½·prob[t − a].
  const prob = new Float64Array(total + 1);
  prob[0] = 1;
  let reach = 0;
  for (const a of w) {
    reach += a;
    for (let t = reach; t >= 0; t--) prob[t] = 0.5 * prob[t]! + (t >= a ? 0.5 * prob[t - a]! : 0);
  }
  let p = 0;
  for (let t = 0; t <= total; t++) {
    // Integer comparison: no floating tie problems at the observed value.
    if (Math.abs(2 * t - total) >= target) p += prob[t]!;
  }
  return { pValue: Math.min(1, p), method: 'exact' };
}
