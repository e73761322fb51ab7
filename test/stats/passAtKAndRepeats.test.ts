import { describe, expect, it } from 'vitest';
import { passAtK, passHatK, repeatStats } from '../../src/stats/repeats.js';

describe('pass@k (Chen et al. 2021) and pass^k', () => {
  it('n=5 samples, c=2 correct, k=2: pass@2 = 1 − C(3,2)/C(5,2) = 1 − 3/10 = 0.7; pass^2 = C(2,2)/C(5,2) = 0.1', () => {
    expect(passAtK(5, 2, 2)).toBeCloseTo(0.7, 12);
    expect(passHatK(5, 2, 2)).toBeCloseTo(0.1, 12);
  });

  it('n=4, c=1, k=2: pass@2 = 1 − C(3,2)/C(4,2) = 0.5; pass^2 = 0', () => {
    expect(passAtK(4, 1, 2)).toBeCloseTo(0.5, 12);
    expect(passHatK(4, 1, 2)).toBe(0);
  });

  it('with fewer failures than k, pass@k is 1; with k = 1 both equal c/n', () => {
    expect(passAtK(3, 1, 3)).toBe(1);
    expect(passAtK(10, 7, 1)).toBeCloseTo(0.7, 12);
    expect(passHatK(10, 7, 1)).toBeCloseTo(0.7, 12);
  });

  it('rejects k > n', () => {
    expect(() => passAtK(2, 1, 3)).toThrow(RangeError);
  });
});

describe('repeat statistics of a variant', () => {
  it('worked example: cases a 3/3, b 1/3, c 0/3, d 2/3', () => {
    const s = repeatStats([
      { caseId: 'a', passes: 3, n: 3 },
      { caseId: 'b', passes: 1, n: 3 },
      { caseId: 'c', passes: 0, n: 3 },
      { caseId: 'd', passes: 2, n: 3 },
    ]);
    expect(s.k).toBe(3);
    // mean pass probability = (1 + 1/3 + 0 + 2/3)/4 = 0.5
    expect(s.meanPassProbability).toBeCloseTo(0.5, 12);
    // pass@3 per case: 1, 1 (2 failures < 3), 0, 1 → 0.75
    expect(s.passAtK).toBeCloseTo(0.75, 12);
    // pass^3 per case: 1, 0, 0, 0 → 0.25
    expect(s.passHatK).toBeCloseTo(0.25, 12);
    expect(s.flaky).toBe(2);
    expect(s.alwaysPass).toBe(1);
    expect(s.neverPass).toBe(1);
    expect(s.histogram).toEqual([1, 1, 1, 1]);
    // b and d are equally far from ½: ties by id
    expect(s.flakyCases).toEqual(['b', 'd']);
  });
});

describe('repeat statistics at scale', () => {
  it('300,000 cases (one sample each) do not overflow the stack; k = 1 and pass@1 = the pass rate', () => {
    // Case i passes when i is even: 150,000 of 300,000 pass, so every rate is 0.5 (by hand).
    const cases = Array.from({ length: 300_000 }, (_, i) => ({ caseId: `c${i}`, passes: i % 2 === 0 ? 1 : 0, n: 1 }));
    const s = repeatStats(cases);
    expect(s.cases).toBe(300_000);
    expect(s.k).toBe(1);
    expect(s.meanPassProbability).toBe(0.5);
    expect(s.passAtK).toBe(0.5);
  });
});
