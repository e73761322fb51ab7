import { describe, expect, it } from 'vitest';
import { casesNeeded, minFlipsForSignificance, minimumDetectableDrop, powerAdvice, repeatsNeeded } from '../../src/stats/power.js';
import { nonInferiorityTest } from '../../src/stats/nonInferiority.js';

// Expected values: Connor's formula with ψ = ψ₀ + δ and the continuity correction
// n_cc = n/4·(1 + √(1 + 4/(nδ)))², computed by hand and with scipy.stats.norm (python3).
describe('minimum detectable drop at 80% power', () => {
  it('six one-way flips are the fewest an exact test can call significant at α = 0.05 (2/64 < 0.05 ≤ 2/32)', () => {
    expect(minFlipsForSignificance(0.05)).toBe(6);
    expect(minFlipsForSignificance(0.01)).toBe(8); // 2/256 < 0.01 ≤ 2/128
  });

  it('cases needed for a 5-point drop with no churn: ψ = 0 + 0.05 → 154.6 by Connor, 192.5 → 193 with the continuity correction', () => {
    // (1.96·√0.05 + 0.8416·√0.0475)²/0.0025 = 154.60; 154.60/4·(1 + √(1 + 4/(154.60·0.05)))² = 192.52
    expect(casesNeeded(0.05, { cases: 100, repeats: 1, alpha: 0.05, secondMoment: 0, noise: 0 })).toBe(193);
  });

  it('background churn adds to the discordance (ψ₀ + δ), it does not hide under max(ψ₀, δ)', () => {
    // ψ₀ = 0.1: ψ = 0.15 for δ = 0.05 → more cases than with ψ = max(0.1, 0.05) = 0.1
    const churn = casesNeeded(0.05, { cases: 100, repeats: 1, alpha: 0.05, secondMoment: 0.1, noise: 0 });
    const maxRule = casesNeeded(0.05, { cases: 100, repeats: 1, alpha: 0.05, secondMoment: 0.05, noise: 0 });
    expect(churn).toBeGreaterThan(maxRule);
  });

  it('three pairs under one Benjamini–Hochberg adjustment plan at α/3: 245.0006 → 246 cases for a 5-point drop', () => {
    // z = Φ⁻¹(1 − 0.05/6) = 2.3940: (2.394·√0.05 + 0.8416·√0.0475)²/0.0025 → 245.0 after the correction
    expect(casesNeeded(0.05, { cases: 100, repeats: 1, alpha: 0.05, secondMoment: 0, noise: 0, comparisons: 3 })).toBe(246);
  });

  it('100 churn-free cases detect a drop of 9.5 points', () => {
    // root of n_cc(δ) = 100 (scipy brentq): δ = 0.0951550
    const mde = minimumDetectableDrop({ cases: 100, repeats: 1, alpha: 0.05, secondMoment: 0, noise: 0 })!;
    expect(mde).toBeCloseTo(0.095155, 5);
  });

  it('fewer cases than the fewest significant flips can detect nothing', () => {
    expect(minimumDetectableDrop({ cases: 5, repeats: 1, alpha: 0.05, secondMoment: 0, noise: 0 })).toBeNull();
  });

  it('flaky cases: more repeats average noise away — 150 cases, 3 repeats, E[d²] = 0.1 of which noise 0.08 → 5 repeats for a 10-point drop', () => {
    // ψ(R) = 0.08·3/R + 0.02 + 0.1; R = 4: ψ = 0.18 → 158.3 > 150; R = 5: ψ = 0.168 → 148.8 ≤ 150
    const input = { cases: 150, repeats: 3, alpha: 0.05, secondMoment: 0.1, noise: 0.08 };
    expect(repeatsNeeded(0.1, input)).toBe(5);
    // At R = 3: ψ = 0.2 → 174.02 → 175 cases
    expect(casesNeeded(0.1, input)).toBe(175);
    const advice = powerAdvice(input, 0.1);
    expect(advice.warning).toContain('to detect a 10-point drop you need about 175 cases or 5 repeats');
  });

  it('no warning for margin 0 ("any significant drop") or a margin above the MDE; no repeats advice without measurable noise', () => {
    const input = { cases: 100, repeats: 1, alpha: 0.05, secondMoment: 0, noise: 0 };
    expect(powerAdvice(input, 0).warning).toBeNull();
    expect(powerAdvice(input, 0.1).warning).toBeNull();
    const low = powerAdvice(input, 0.05);
    expect(low.warning).toContain('to detect a 5-point drop you need about 193 cases');
    expect(low.repeatsNeeded).toBeNull();
  });
});

describe('non-inferiority of a candidate', () => {
  // 40 cases: 4 flip to fail (−1), 2 flip to pass (+1), 34 unchanged. Tango's score statistic with
  // the continuity correction, solved with scipy's brentq: one-sided 95% lower bound −0.194708.
  const d = [...new Array<number>(4).fill(-1), 1, 1, ...new Array<number>(34).fill(0)];

  it('the lower bound matches the worked value', () => {
    const r = nonInferiorityTest(d, 0.2);
    expect(r.method).toBe('tango-score');
    expect(r.lowerBound).toBeCloseTo(-0.194708, 5);
  });

  it('flips exactly at the margin: non-inferior at 19.5 points, not at 19.4', () => {
    expect(nonInferiorityTest(d, 0.195).nonInferior).toBe(true);
    expect(nonInferiorityTest(d, 0.194).nonInferior).toBe(false);
  });

  it('two identical runs of 20 cases are no evidence of non-inferiority within 5 points', () => {
    // Was [0, 0] and "non-inferior" before; no discordant pair still leaves −19.6 points (scipy, with correction).
    const r = nonInferiorityTest(new Array<number>(20).fill(0), 0.05);
    expect(r.lowerBound).toBeCloseTo(-0.196007, 5);
    expect(r.nonInferior).toBe(false);
  });
});
