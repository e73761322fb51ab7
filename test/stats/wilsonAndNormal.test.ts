import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../src/stats/intervals.js';
import { erfc, normalCdf, normalQuantile } from '../../src/stats/distributions.js';

describe('Wilson score interval', () => {
  it('8/10 → [0.4902, 0.9433]', () => {
    // z² = 3.8415, denominator 1 + z²/10 = 1.38415
    // centre = (0.8 + z²/20)/1.38415 = 0.992073/1.38415 = 0.716738
    // half = z·√(0.8·0.2/10 + z²/400)/1.38415 = 1.96·√0.0256037/1.38415 = 0.226581
    const [lo, hi] = wilsonInterval(8, 10);
    expect(lo).toBeCloseTo(0.4902, 4);
    expect(hi).toBeCloseTo(0.9433, 4);
  });

  it('10/10 does not collapse to [1, 1]: lower bound 10/(10 + z²) = 0.7225', () => {
    const [lo, hi] = wilsonInterval(10, 10);
    expect(lo).toBeCloseTo(10 / (10 + 1.959963984540054 ** 2), 6);
    expect(hi).toBeCloseTo(1, 12);
  });
});

describe('standard normal', () => {
  it('quantiles and CDF agree with tables', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 8);
    expect(normalQuantile(0.95)).toBeCloseTo(1.644853627, 8);
    expect(normalQuantile(0.8)).toBeCloseTo(0.841621234, 8);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306, 7);
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.1586553, 6);
  });
});

describe('complementary error function', () => {
  // Reference values: Python's math.erfc.
  it('matches reference values to ~1e-13 relative on both sides of the series/continued-fraction switch and in far tails', () => {
    const reference: Array<[number, number]> = [
      [0.5, 0.4795001221869535],
      [1, 0.15729920705028513],
      [2, 0.004677734981047266],
      [2.49, 0.000429287867733913],
      [2.51, 0.0003857054817242798],
      [3, 2.209049699858544e-5],
      [5, 1.5374597944280349e-12],
      [10, 2.088487583762545e-45],
    ];
    for (const [x, want] of reference) expect(Math.abs(erfc(x) - want) / want).toBeLessThan(1e-12);
    expect(erfc(-1)).toBeCloseTo(2 - 0.15729920705028513, 14);
  });
});
