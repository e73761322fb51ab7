import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { signFlipTest, EXACT_SIGN_FLIP_MAX_WORK } from '../../src/stats/signFlip.js';
import { mcnemarExact } from '../../src/stats/mcnemar.js';

describe('paired sign-flip test on per-case differences', () => {
  it('with ±1 differences it is the exact McNemar test (1 case down, 8 up, 5 unchanged → 0.0390625)', () => {
    const weights = [-1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0];
    expect(signFlipTest(weights).pValue).toBeCloseTo(mcnemarExact(1, 8), 12);
    expect(signFlipTest(weights).method).toBe('exact');
  });

  it('enumerates weighted sign assignments: weights 1,2,3 (sum 6) → only ±6 reach |S| ≥ 6, 2 of 8 → 0.25', () => {
    // sums of ±1 ±2 ±3: 6, 4, 2, 0, 0, −2, −4, −6
    expect(signFlipTest([1, 2, 3]).pValue).toBeCloseTo(0.25, 12);
  });

  it('weights 3,1,−1 (sum 3) → |S| ≥ 3 for 5,3,3,−3,−3,−5: 6 of 8 → 0.75', () => {
    expect(signFlipTest([3, 1, -1]).pValue).toBeCloseTo(0.75, 12);
  });

  it('a zero observed sum gives p = 1', () => {
    expect(signFlipTest([1, 2, -3]).pValue).toBe(1);
    expect(signFlipTest([]).pValue).toBe(1);
  });

  it('falls back to the normal approximation beyond the exact work limit: 5100 up, 4900 down → z = 200/100 = 2, p = 0.0455', () => {
    const weights = [...new Array<number>(5100).fill(1), ...new Array<number>(4900).fill(-1)];
    expect(weights.length * (weights.length + 1)).toBeGreaterThan(EXACT_SIGN_FLIP_MAX_WORK);
    const r = signFlipTest(weights);
    expect(r.method).toBe('normal');
    // 2·(1 − Φ(2)) = 0.0455003
    expect(r.pValue).toBeCloseTo(0.0455003, 5);
  });

  it('rejects non-integer weights (the caller scales to a common denominator)', () => {
    expect(() => signFlipTest([0.5])).toThrow(RangeError);
  });

  it('agrees with exact McNemar for any counts of ±1 differences', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 20 }), (b, c, same) => {
        const weights = [...new Array<number>(b).fill(-1), ...new Array<number>(c).fill(1), ...new Array<number>(same).fill(0)];
        expect(signFlipTest(weights).pValue).toBeCloseTo(mcnemarExact(b, c), 10);
      }),
    );
  });
});
