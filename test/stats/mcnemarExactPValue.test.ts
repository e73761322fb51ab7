import { describe, expect, it } from 'vitest';
import { mcnemarExact } from '../../src/stats/mcnemar.js';
import { binomialCdf } from '../../src/stats/distributions.js';

describe('exact McNemar test on discordant pairs', () => {
  it('b=1, c=8 gives 2·P(X ≤ 1 | n=9, ½) = 2·(1 + 9)/512 = 0.0390625', () => {
    expect(mcnemarExact(1, 8)).toBeCloseTo(0.0390625, 12);
    // The test is symmetric in which way the pairs moved.
    expect(mcnemarExact(8, 1)).toBeCloseTo(0.0390625, 12);
  });

  it('six one-way flips and none back is the fewest that reach p < 0.05: 2/64 = 0.03125, while five give 2/32 = 0.0625', () => {
    expect(mcnemarExact(6, 0)).toBeCloseTo(0.03125, 12);
    expect(mcnemarExact(5, 0)).toBeCloseTo(0.0625, 12);
  });

  it('no discordant pair, or as many each way, is no evidence at all: p = 1', () => {
    expect(mcnemarExact(0, 0)).toBe(1);
    // 2·P(X ≤ 3 | 6) = 2·42/64 = 1.3125, capped at 1
    expect(mcnemarExact(3, 3)).toBe(1);
  });

  it('b=2, c=10: 2·(1 + 12 + 66)/4096 = 158/4096 = 0.03857421875', () => {
    expect(mcnemarExact(2, 10)).toBeCloseTo(158 / 4096, 12);
  });

  it('rejects counts that are not non-negative integers', () => {
    expect(() => mcnemarExact(-1, 2)).toThrow(RangeError);
    expect(() => mcnemarExact(1.5, 2)).toThrow(RangeError);
  });

  it('binomial CDF stays exact where naive products underflow (n = 2000)', () => {
    // P(X ≤ 1000 | 2000, ½) = ½ + ½·P(X = 1000); P(X = 1000) ≈ 1/√(π·1000) = 0.017839 (Stirling)
    expect(binomialCdf(1000, 2000, 0.5)).toBeCloseTo(0.5 + 0.5 * 0.0178390, 5);
  });
});
