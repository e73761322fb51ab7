import { binomialCdf } from './distributions.js';

/**
 * Exact McNemar test for paired pass/fail outcomes (one sample per case on each side).
 * Only discordant pairs carry information: b cases went pass → fail, c went fail → pass.
 * Under H0 (no change) each discordant pair is equally likely either way, so b ~ Binomial(b+c, ½);
 * the two-sided p-value doubles the smaller tail (the "exact" or binomial McNemar test, which
 * unlike the χ² version stays valid when b + c is small, as it is in most eval diffs).
 */
export function mcnemarExact(b: number, c: number): number {
  if (!Number.isInteger(b) || !Number.isInteger(c) || b < 0 || c < 0) {
    throw new RangeError(`mcnemarExact: counts must be non-negative integers, got b=${b}, c=${c}`);
  }
  const n = b + c;
  if (n === 0) return 1;
  return Math.min(1, 2 * binomialCdf(Math.min(b, c), n, 0.5));
}
