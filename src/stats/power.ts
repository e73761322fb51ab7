import { normalQuantile } from './distributions.js';

/**
 * How big a drop a paired comparison of this many cases and repeats can reliably see.
 *
 * Planning model (normal approximation for paired proportions, Connor 1987, generalised from
 * discordant pairs to per-case mean differences dᵢ): a drop δ is carried by a fraction δ of
 * cases flipping from pass to fail, on top of the sampling noise that flaky cases add to every
 * dᵢ. With ψ = E[dᵢ²] (for one sample per case, the discordance rate),
 *
 *   n(δ) = (z₁₋α/₂·√ψ + z_power·√(ψ − δ²))² / δ²
 *
 * where ψ = ψ₀ + δ (Connor: the discordance under the alternative is the background churn ψ₀
 * plus the δ of cases that newly fail), and ψ₀ = noise·r/R + signal: the noise part of the
 * observed E[dᵢ²] shrinks with more repeats R (a mean of R Bernoulli samples has variance
 * p(1−p)/R), the rest (cases that flip both ways between the runs) does not.
 * The level is α/m for m pairs compared at once: with Benjamini–Hochberg, a single real drop
 * among m pairs that did not move must reach p ≤ α/m to be flagged.
 * A continuity correction brings the normal approximation in line with the exact tests used.
 * No test on n cases can flag fewer than k_min = ⌈log₂(2m/α)⌉ one-way flips (the best exact
 * p-value for k flips and none back is 2·2⁻ᵏ), so n(δ) ≥ k_min/δ as well.
 */

export const DEFAULT_POWER = 0.8;

export interface PowerInput {
  /** Paired cases. */
  cases: number;
  /** Samples per case on each side (the typical repeat count). */
  repeats: number;
  /** Two-sided significance level of the test. */
  alpha: number;
  /** Target power (default 0.8). */
  power?: number;
  /** Observed mean of dᵢ² over the paired cases. */
  secondMoment: number;
  /** The part of `secondMoment` that is within-case sampling noise (0 when not estimable, i.e. one repeat). */
  noise: number;
  /** Pairs compared at once and adjusted by Benjamini–Hochberg (default 1). */
  comparisons?: number;
  /**
   * Observed mean of |dᵢ|. The gate also needs the score interval, which with repeats counts each
   * change as a fractional discordant pair (variance from Σ|dᵢ|, not Σdᵢ²): planning uses the
   * larger of the two discordances, the |dᵢ| one scaled by √(repeats/R) for R repeats (a mean of R
   * samples moves by about 1/√R). Equal to `secondMoment` with one sample per case.
   */
  meanAbsolute?: number;
}

/** The per-pair level a drop must reach when `comparisons` pairs share one BH adjustment. */
function planningAlpha(input: PowerInput): number {
  return input.alpha / Math.max(1, input.comparisons ?? 1);
}

/** Fewest one-way flips (and none the other way) that an exact two-sided test can call significant at alpha. */
export function minFlipsForSignificance(alpha: number): number {
  return Math.floor(Math.log2(2 / alpha)) + 1;
}

function planningSecondMoment(delta: number, input: PowerInput, repeats: number): number {
  const noise = Math.max(0, input.noise);
  const signal = Math.max(0, input.secondMoment - noise);
  const squared = (noise * input.repeats) / repeats + signal + delta;
  if (input.meanAbsolute === undefined) return squared;
  return Math.max(squared, input.meanAbsolute * Math.sqrt(input.repeats / repeats) + delta);
}

/** Cases needed to detect a drop of `delta` (0..1) with the given power, at `repeats` samples per case. */
export function casesNeeded(delta: number, input: PowerInput, repeats = input.repeats): number {
  if (!(delta > 0)) return Infinity;
  const alpha = planningAlpha(input);
  const zA = normalQuantile(1 - alpha / 2);
  const zB = normalQuantile(input.power ?? DEFAULT_POWER);
  const psi = Math.min(1, planningSecondMoment(delta, input, repeats));
  const n = (zA * Math.sqrt(psi) + zB * Math.sqrt(Math.max(0, psi - delta * delta))) ** 2 / (delta * delta);
  // Continuity correction (as Fleiss's for two proportions): the exact test needs about one more
  // net flip than the normal approximation, nδ − 1 in place of nδ, so n_cc = n/4·(1 + √(1 + 4/(nδ)))².
  const nCorrected = (n / 4) * (1 + Math.sqrt(1 + 4 / (n * delta))) ** 2;
  return Math.ceil(Math.max(nCorrected, minFlipsForSignificance(alpha) / delta) - 1e-9);
}

/**
 * Minimum detectable drop (0..1) at the target power for `input.cases` cases: the smallest δ
 * whose required case count fits. null when even a drop of 100% could not be detected (fewer
 * cases than the fewest flips a test can call significant).
 */
export function minimumDetectableDrop(input: PowerInput, repeats = input.repeats): number | null {
  if (input.cases < 1 || casesNeeded(1, input, repeats) > input.cases) return null;
  let lo = 0;
  let hi = 1;
  // casesNeeded decreases in δ; 50 halvings pin δ far below a printed tenth of a point.
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2;
    if (casesNeeded(mid, input, repeats) <= input.cases) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * Repeats per case needed to detect `delta` with the current cases, or null when more repeats
 * cannot get there: with one repeat the noise cannot be measured, with no flaky cases there is
 * no noise to average away, and the k_min flips floor does not move with repeats.
 */
export function repeatsNeeded(delta: number, input: PowerInput, maxRepeats = 100): number | null {
  if (input.repeats < 2 || input.noise <= 0) return null;
  for (let r = input.repeats + 1; r <= maxRepeats; r++) {
    if (casesNeeded(delta, input, r) <= input.cases) return r;
  }
  return null;
}

/**
 * Within-case sampling noise of dᵢ = p̂ᵢ(after) − p̂ᵢ(before), averaged over cases: each side's
 * mean of r Bernoulli samples has variance p(1−p)/r, estimated without bias by p̂(1−p̂)/(r−1).
 * A side with one sample contributes nothing (its noise is not estimable).
 */
export function samplingNoise(pairs: ReadonlyArray<{ before: { passes: number; n: number }; after: { passes: number; n: number } }>): number {
  if (pairs.length === 0) return 0;
  const part = (s: { passes: number; n: number }) => {
    if (s.n < 2) return 0;
    const p = s.passes / s.n;
    return (p * (1 - p)) / (s.n - 1);
  };
  let sum = 0;
  for (const pr of pairs) sum += part(pr.before) + part(pr.after);
  return sum / pairs.length;
}

export interface PowerAdvice {
  /** Minimum detectable drop at 80% power, 0..1; null if nothing is detectable. */
  mde: number | null;
  power: number;
  alpha: number;
  cases: number;
  repeats: number;
  /** For the configured margin, when it is below the MDE. */
  casesNeeded: number | null;
  repeatsNeeded: number | null;
  /** "to detect a 5-point drop you need about N cases or R repeats", when margin > 0 and margin < MDE. */
  warning: string | null;
}

/** Formats a 0..1 difference as points (percentage points), e.g. 0.05 → "5". */
export function points(x: number, digits = 1): string {
  const v = Math.round(x * 100 * 10 ** digits) / 10 ** digits;
  return String(Object.is(v, -0) ? 0 : v);
}

/** Signed points with a real minus sign, as in tables and sentences: −2.1 */
export function signedPoints(x: number): string {
  const s = points(x);
  return s.startsWith('-') ? `−${s.slice(1)}` : s;
}

/** "1 point", "5 points", "2.5 points". */
export function pointsPhrase(x: number): string {
  const p = points(x);
  return `${p} point${p === '1' || p === '-1' ? '' : 's'}`;
}

/**
 * The MDE of this comparison and, when a positive `margin` is below it, how many cases or
 * repeats would bring it down to the margin. A margin of 0 means "any significant drop" and has
 * nothing to be compared with, so it never warns.
 */
export function powerAdvice(input: PowerInput, margin: number): PowerAdvice {
  const mde = minimumDetectableDrop(input);
  const power = input.power ?? DEFAULT_POWER;
  const base = { mde, power, alpha: input.alpha, cases: input.cases, repeats: input.repeats };
  if (!(margin > 0) || (mde !== null && mde <= margin)) return { ...base, casesNeeded: null, repeatsNeeded: null, warning: null };
  const n = casesNeeded(margin, input);
  const r = repeatsNeeded(margin, input);
  const have = mde === null ? 'no drop is detectable with these cases' : `the smallest drop detectable at ${Math.round(power * 100)}% power is ${pointsPhrase(mde)}`;
  const warning =
    `margin ${pointsPhrase(margin)} is below what ${input.cases} cases × ${input.repeats} repeats can detect (${have}): ` +
    `to detect a ${points(margin)}-point drop you need about ${n} cases` +
    (r !== null ? ` or ${r} repeats` : '');
  return { ...base, casesNeeded: n, repeatsNeeded: r, warning };
}
