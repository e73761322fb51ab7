import { describe, expect, it } from 'vitest';
import { pairedCounts, scoreInterval, scoreLowerBound, scorePValueBelow, scoreUpperBound } from '../../src/stats/scoreInterval.js';
import { pairedDifferenceInterval } from '../../src/stats/pairedDifference.js';

// Expected values: an independent implementation of Tango's (1998) statistic in python3, each
// bound the root of Z(Δ₀) = ±z found by scipy.optimize.brentq (z = scipy.stats.norm.ppf).
const counts = (n: number, b: number, c: number) => ({ n, b, c, method: 'tango-score' as const });

describe("Tango's score interval for a paired difference", () => {
  it('plain Tango with no discordant pair: one-sided 95% lower bounds −11.9, −8.3, −5.1 points at 20, 30, 50 cases (the audit\'s values)', () => {
    expect(scoreLowerBound(counts(20, 0, 0), 0.95, 0)).toBeCloseTo(-0.119158, 5);
    expect(scoreLowerBound(counts(30, 0, 0), 0.95, 0)).toBeCloseTo(-0.082724, 5);
    expect(scoreLowerBound(counts(50, 0, 0), 0.95, 0)).toBeCloseTo(-0.051333, 5);
  });

  it('plain Tango, two-sided 95%: 50 cases with 6 down and 2 up; 100 cases with 10 down and none up', () => {
    const [lo, hi] = scoreInterval(counts(50, 6, 2), 0.95, 0);
    expect(lo).toBeCloseTo(-0.207176, 5);
    expect(hi).toBeCloseTo(0.037138, 5);
    const [lo2, hi2] = scoreInterval(counts(100, 10, 0), 0.95, 0);
    expect(lo2).toBeCloseTo(-0.174366, 5);
    expect(hi2).toBeCloseTo(-0.055229, 5);
  });

  it('with the continuity correction llm-eval uses: the same inputs, wider', () => {
    expect(scoreLowerBound(counts(20, 0, 0))).toBeCloseTo(-0.196007, 5);
    expect(scoreLowerBound(counts(50, 0, 0))).toBeCloseTo(-0.084805, 5);
    const [lo, hi] = scoreInterval(counts(50, 6, 2));
    expect(lo).toBeCloseTo(-0.230238, 5);
    expect(hi).toBeCloseTo(0.061654, 5);
    const [lo2, hi2] = scoreInterval(counts(10, 0, 3));
    expect(lo2).toBeCloseTo(-0.190559, 5);
    expect(hi2).toBeCloseTo(0.687326, 5);
  });

  it('repeats: changes count as fractional discordant pairs (30 cases, three at −1/3, two at −1, one at +1/3 → b = 3, c = 1/3)', () => {
    const d = [-1 / 3, -1 / 3, -1 / 3, -1, -1, 1 / 3, ...new Array<number>(24).fill(0)];
    const k = pairedCounts(d);
    expect(k.method).toBe('tango-score-clustered');
    expect(k.b).toBeCloseTo(3, 12);
    expect(k.c).toBeCloseTo(1 / 3, 12);
    const [lo, hi] = scoreInterval(k);
    expect(lo).toBeCloseTo(-0.288261, 5);
    expect(hi).toBeCloseTo(0.097073, 5);
  });

  it('never has zero width: identical runs give an interval around 0, not [0, 0]', () => {
    const r = pairedDifferenceInterval(new Array<number>(200).fill(0));
    expect(r.mean).toBe(0);
    expect(r.ci[0]).toBeLessThan(-0.01);
    expect(r.ci[1]).toBeGreaterThan(0.01);
  });

  it('the one-sided bound, the p-value at a margin and the interval are one test: p = 2.5% exactly at the 97.5% upper bound', () => {
    const k = counts(100, 10, 0);
    const upper = scoreUpperBound(k, 0.975);
    expect(scorePValueBelow(k, upper)).toBeCloseTo(0.025, 6);
    expect(scorePValueBelow(k, upper + 0.001)).toBeLessThan(0.025);
    expect(scoreInterval(k)[1]).toBeCloseTo(upper, 9);
  });
});
