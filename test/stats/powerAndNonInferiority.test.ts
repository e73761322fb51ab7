import { describe, expect, it } from 'vitest';
import { casesNeeded, minFlipsForSignificance, minimumDetectableDrop, powerAdvice, repeatsNeeded } from '../../src/stats/power.js';
import { nonInferiorityTest } from '../../src/stats/nonInferiority.js';

describe('minimum detectable drop at 80% power', () => {
  it('six one-way flips are the fewest an exact test can call significant at α = 0.05 (2/64 < 0.05 ≤ 2/32)', () => {
    expect(minFlipsForSignificance(0.05)).toBe(6);
    expect(minFlipsForSignificance(0.01)).toBe(8); // 2/256 < 0.01 ≤ 2/128
  });

  it('cases needed for a 5-point drop with no noise: ψ = δ = 0.05 → (1.96·√0.05 + 0.8416·√0.0475)²/0.0025 = 154.6 → 155', () => {
    // 1.96·0.22361 = 0.43827; 0.8416·0.21794 = 0.18342; (0.62169)² = 0.38650; /0.0025 = 154.6 (above the 6/0.05 = 120 floor)
    expect(casesNeeded(0.05, { cases: 100, repeats: 1, alpha: 0.05, secondMoment: 0, noise: 0 })).toBe(155);
  });

  it('100 noise-free cases detect a drop between 7.5 and 8 points', () => {
    // δ = 0.08: (1.96·√0.08 + 0.8416·√0.0736)²/0.0064 = 95.7 ≤ 100; δ = 0.075: 102.3 > 100
    const mde = minimumDetectableDrop({ cases: 100, repeats: 1, alpha: 0.05, secondMoment: 0, noise: 0 })!;
    expect(mde).toBeGreaterThan(0.075);
    expect(mde).toBeLessThan(0.08);
  });

  it('fewer cases than the fewest significant flips can detect nothing', () => {
    expect(minimumDetectableDrop({ cases: 5, repeats: 1, alpha: 0.05, secondMoment: 0, noise: 0 })).toBeNull();
  });

  it('flaky cases: more repeats average noise away — 100 cases, 3 repeats, E[d²] = 0.1 of which noise 0.08 → 8 repeats for a 10-point drop', () => {
    // ψ(R) = 0.08·3/R + max(0.02, 0.1); n(0.1) = (1.96√ψ + 0.8416√(ψ − 0.01))²/0.01
    // R = 7: ψ = 0.134286 → 103.0 > 100; R = 8: ψ = 0.13 → 99.6 ≤ 100
    const input = { cases: 100, repeats: 3, alpha: 0.05, secondMoment: 0.1, noise: 0.08 };
    expect(repeatsNeeded(0.1, input)).toBe(8);
    // At R = 3: ψ = 0.18 → (1.96·0.42426 + 0.8416·0.41231)²/0.01 = 138.9 → 139 cases
    expect(casesNeeded(0.1, input)).toBe(139);
    const advice = powerAdvice(input, 0.1);
    expect(advice.warning).toContain('to detect a 10-point drop you need about 139 cases or 8 repeats');
  });

  it('no warning for margin 0 ("any significant drop") or a margin above the MDE; no repeats advice without measurable noise', () => {
    const input = { cases: 100, repeats: 1, alpha: 0.05, secondMoment: 0, noise: 0 };
    expect(powerAdvice(input, 0).warning).toBeNull();
    expect(powerAdvice(input, 0.1).warning).toBeNull();
    const low = powerAdvice(input, 0.05);
    expect(low.warning).toContain('to detect a 5-point drop you need about 155 cases');
    expect(low.repeatsNeeded).toBeNull();
  });
});

describe('non-inferiority of a candidate', () => {
  // 40 cases: 4 flip to fail (−1), 2 flip to pass (+1), 34 unchanged
  // mean = −2/40 = −0.05; SS = 4·0.95² + 2·1.05² + 34·0.05² = 3.61 + 2.205 + 0.085 = 5.9
  // sd = √(5.9/39) = 0.388950; SE = 0.061498; one-sided 95% lower bound = −0.05 − 1.644854·0.061498 = −0.151155
  const d = [...new Array<number>(4).fill(-1), 1, 1, ...new Array<number>(34).fill(0)];

  it('the lower bound matches the worked value', () => {
    const r = nonInferiorityTest(d, 0.2);
    expect(r.method).toBe('clustered-normal');
    expect(r.lowerBound).toBeCloseTo(-0.151155, 5);
  });

  it('flips exactly at the margin: non-inferior at 15.2 points, not at 15.1', () => {
    expect(nonInferiorityTest(d, 0.152).nonInferior).toBe(true);
    expect(nonInferiorityTest(d, 0.151).nonInferior).toBe(false);
  });
});
