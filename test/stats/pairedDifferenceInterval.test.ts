import { describe, expect, it } from 'vitest';
import {
  BOOTSTRAP_BELOW_CASES,
  bootstrapInterval,
  clusteredInterval,
  meanDifference,
  pairedDifferenceInterval,
} from '../../src/stats/pairedDifference.js';

describe('clustered (Miller 2024) interval of a paired difference', () => {
  it('worked example: d = [−1, −1, 0, 0, 0, 1, 0, −1, 0, 0]', () => {
    // mean = −2/10 = −0.2
    // squared deviations: three −1s: 0.64 each (1.92); six 0s: 0.04 each (0.24); one +1: 1.44 → SS = 3.6
    // sd = √(3.6/9) = √0.4 = 0.632456; SE = sd/√10 = 0.2
    // 95% CI = −0.2 ± 1.959964·0.2 = [−0.591993, 0.191993]
    const d = [-1, -1, 0, 0, 0, 1, 0, -1, 0, 0];
    const md = meanDifference(d);
    expect(md.mean).toBeCloseTo(-0.2, 12);
    expect(md.sd).toBeCloseTo(0.632456, 6);
    expect(md.se).toBeCloseTo(0.2, 12);
    const [lo, hi] = clusteredInterval(d);
    expect(lo).toBeCloseTo(-0.591993, 6);
    expect(hi).toBeCloseTo(0.191993, 6);
  });

  it('repeats pooled within cases: d = [0, −1/3, −2/3, 1/3] → mean −1/6, SE = √(5/108) = 0.215166', () => {
    // deviations from −1/6: 1/6, −1/6, −1/2, 1/2 → SS = 1/36 + 1/36 + 1/4 + 1/4 = 5/9; var = 5/27; SE = √(5/27/4)
    const d = [0, -1 / 3, -2 / 3, 1 / 3];
    const [lo, hi] = clusteredInterval(d);
    expect(lo).toBeCloseTo(-1 / 6 - 1.959964 * Math.sqrt(5 / 108), 5);
    expect(hi).toBeCloseTo(-1 / 6 + 1.959964 * Math.sqrt(5 / 108), 5);
  });

  it('identical runs give a zero-width interval at 0', () => {
    expect(clusteredInterval([0, 0, 0, 0])).toEqual([0, 0]);
  });
});

describe('paired bootstrap for few cases', () => {
  const d = [-1, -1, 0, 0, 0, 1, 0, -1, 0, 0];

  it('is used below the case threshold and the clustered interval from it on', () => {
    expect(pairedDifferenceInterval(d).method).toBe('paired-bootstrap');
    const many = Array.from({ length: BOOTSTRAP_BELOW_CASES }, (_, i) => d[i % d.length]!);
    expect(pairedDifferenceInterval(many).method).toBe('clustered-normal');
  });

  it('is deterministic for a seed, brackets the mean, and is close to the clustered interval', () => {
    const a = bootstrapInterval(d, 0.95, { seed: 7 });
    const b = bootstrapInterval(d, 0.95, { seed: 7 });
    expect(a).toEqual(b);
    expect(a[0]).toBeLessThan(-0.2);
    expect(a[1]).toBeGreaterThan(-0.2);
    // Bootstrap SE uses 1/n rather than 1/(n−1): ≈ 0.19 vs 0.2, so the ends sit within ~0.1 of [−0.59, 0.19].
    expect(Math.abs(a[0] - -0.592)).toBeLessThan(0.1);
    expect(Math.abs(a[1] - 0.192)).toBeLessThan(0.1);
    // Resampled means are multiples of 1/10: the ends are on that grid (up to interpolation).
    expect(a[1]).toBeLessThanOrEqual(0.2);
  });
});
