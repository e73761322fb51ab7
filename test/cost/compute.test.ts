import { describe, expect, it } from 'vitest';
import { addUsage, costOf } from '../../src/cost/compute.js';

describe('costOf', () => {
  it('prices uncached input, cached input and output at their own rates (USD per 1M tokens)', () => {
    // gpt-4o: 2.50 in, 1.25 cached, 10 out
    const cost = costOf({ input: 1000, cachedInput: 400, output: 500 }, { input: 2.5, cachedInput: 1.25, output: 10 });
    expect(cost).toBeCloseTo((600 * 2.5 + 400 * 1.25 + 500 * 10) / 1e6, 12);
    expect(cost).toBeCloseTo(0.007, 12);
  });

  it('prices cached input as input when the model has no cached rate', () => {
    expect(costOf({ input: 1_000_000, cachedInput: 500_000, output: 0 }, { input: 3, output: 15 })).toBeCloseTo(3, 12);
  });

  it('costs nothing for free models and never counts more cached than input', () => {
    expect(costOf({ input: 10, cachedInput: 0, output: 10 }, { input: 0, output: 0 })).toBe(0);
    expect(costOf({ input: 100, cachedInput: 500, output: 0 }, { input: 1, cachedInput: 0.1, output: 1 })).toBeCloseTo(100 * 0.1 / 1e6, 15);
  });

  it('adds usages field by field', () => {
    expect(addUsage({ input: 1, output: 2, cachedInput: 3 }, { input: 10, output: 20, cachedInput: 30 })).toEqual({ input: 11, output: 22, cachedInput: 33 });
  });
});
