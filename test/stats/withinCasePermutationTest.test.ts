import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { withinCasePermutationTest, EXACT_PERMUTATION_MAX_WORK } from '../../src/stats/permutation.js';
import { mcnemarExact } from '../../src/stats/mcnemar.js';
import { binomialCdf } from '../../src/stats/distributions.js';

const one = (before: boolean, after: boolean) => ({ before: { passes: before ? 1 : 0, n: 1 }, after: { passes: after ? 1 : 0, n: 1 } });

describe('within-case permutation test', () => {
  it('with one sample per side it is the exact McNemar test (1 case down, 8 up, 5 unchanged → 0.0390625)', () => {
    // 2·P(Bin(9, ½) ≤ 1) = 2·10/512 = 0.0390625
    const cases = [one(true, false), ...Array.from({ length: 8 }, () => one(false, true)), ...Array.from({ length: 5 }, () => one(true, true))];
    const r = withinCasePermutationTest(cases);
    expect(r.method).toBe('exact');
    expect(r.pValue).toBeCloseTo(0.0390625, 12);
    // One-sided for a drop: S = 8 − 1 = 7, P(S ≤ 7) = 1 − P(all 9 up) = 1 − 1/512
    expect(r.pDrop).toBeCloseTo(1 - 1 / 512, 12);
  });

  it('unequal repeat counts, enumerated by hand: p = 9/16 two-sided, 3/8 for a drop', () => {
    // Cases (before passes/n, after passes/n): (1/1, 0/3), (1/1, 1/3), (0/1, 2/3); observed Σd = −1.
    // Brute force in python over every choice of which samples are "after" (4·4·4 = 64 relabellings,
    // fractions): P(|S| ≥ 1) = 36/64, P(S ≤ −1) = 24/64.
    const r = withinCasePermutationTest([
      { before: { passes: 1, n: 1 }, after: { passes: 0, n: 3 } },
      { before: { passes: 1, n: 1 }, after: { passes: 1, n: 3 } },
      { before: { passes: 0, n: 1 }, after: { passes: 2, n: 3 } },
    ]);
    expect(r.pValue).toBeCloseTo(9 / 16, 12);
    expect(r.pDrop).toBeCloseTo(3 / 8, 12);
  });

  it('cases whose samples all agree carry no information, and no change at all gives p = 1', () => {
    expect(withinCasePermutationTest([one(true, true), one(false, false)])).toEqual({ pValue: 1, pDrop: 1, method: 'exact' });
  });

  it('falls back to the normal approximation beyond the exact work limit', () => {
    // 3000 cases × (1 vs 7 repeats): L = 7, g = 8, range ≈ 3000·8·… > limit; one-way drops make p tiny.
    const cases = Array.from({ length: 3000 }, (_, i) => ({ before: { passes: 1, n: 1 }, after: { passes: i % 3 === 0 ? 3 : 6, n: 7 } }));
    const r = withinCasePermutationTest(cases);
    expect(3000 * 3000 * 8).toBeGreaterThan(EXACT_PERMUTATION_MAX_WORK);
    expect(r.method).toBe('normal');
    expect(r.pDrop).toBeLessThan(1e-6);
  });

  it('agrees with exact McNemar (two-sided) and the binomial tail (one-sided) for any one-sample counts', () => {
    fc.assert(
      fc.property(fc.nat(30), fc.nat(30), fc.nat(10), (b, c, same) => {
        const cases = [...Array.from({ length: b }, () => one(true, false)), ...Array.from({ length: c }, () => one(false, true)), ...Array.from({ length: same }, () => one(true, true))];
        const r = withinCasePermutationTest(cases);
        expect(r.pValue).toBeCloseTo(mcnemarExact(b, c), 10);
        expect(r.pDrop).toBeCloseTo(b + c === 0 ? 1 : binomialCdf(c, b + c, 0.5), 10);
      }),
      { numRuns: 200 },
    );
  });
});
