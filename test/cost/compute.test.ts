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

  it('prices Anthropic cache writes at their own rates, not as plain input', () => {
    // Claude Sonnet 4.5 on platform.claude.com pricing: input $3, 5m write $3.75, 1h write $6, hit $0.30, output $15.
    const sonnet = { input: 3, cachedInput: 0.3, cacheWrite: 3.75, cacheWrite1h: 6, output: 15 };
    // 1,000 tokens written for 5 minutes: 1,000 × $3.75 / 1M = $0.00375 (as plain input it was $0.003).
    expect(costOf({ input: 1000, cachedInput: 0, cacheWrite: 1000, output: 0 }, sonnet)).toBeCloseTo(0.00375, 12);
    // 1,000 tokens written for an hour: 1,000 × $6 / 1M = $0.006.
    expect(costOf({ input: 1000, cachedInput: 0, cacheWrite: 1000, cacheWrite1h: 1000, output: 0 }, sonnet)).toBeCloseTo(0.006, 12);
    // 10,000 input = 5,000 plain ($0.015) + 2,000 read ($0.0006) + 2,000 5m writes ($0.0075) + 1,000 1h writes ($0.006);
    // 500 output ($0.0075) of which 200 reasoning, priced once with it. Total $0.0366.
    expect(costOf({ input: 10_000, cachedInput: 2000, cacheWrite: 3000, cacheWrite1h: 1000, output: 500, reasoning: 200 }, sonnet)).toBeCloseTo(0.0366, 12);
  });

  it('bills cache writes as input when the price has no write rate, and a 1-hour write at the 5-minute rate when it has no 1-hour rate', () => {
    // 1M written tokens at $2 input, no write rate: $2.
    expect(costOf({ input: 1_000_000, cachedInput: 0, cacheWrite: 1_000_000, cacheWrite1h: 1_000_000, output: 0 }, { input: 2, output: 8 })).toBeCloseTo(2, 12);
    // 1M 1-hour writes with only a 5m rate of $2.50: $2.50.
    expect(costOf({ input: 1_000_000, cachedInput: 0, cacheWrite: 1_000_000, cacheWrite1h: 1_000_000, output: 0 }, { input: 2, cacheWrite: 2.5, output: 8 })).toBeCloseTo(2.5, 12);
  });

  it('prices reasoning tokens as the output they are part of, never twice', () => {
    // o3 at $8 output: 1,000 output tokens, 800 of them reasoning: 1,000 × $8 / 1M = $0.008.
    expect(costOf({ input: 0, cachedInput: 0, output: 1000, reasoning: 800 }, { input: 2, cachedInput: 0.5, output: 8 })).toBeCloseTo(0.008, 12);
  });

  it('adds usages field by field', () => {
    expect(addUsage({ input: 1, output: 2, cachedInput: 3 }, { input: 10, output: 20, cachedInput: 30 })).toEqual({ input: 11, output: 22, cachedInput: 33 });
    expect(addUsage({ input: 1, output: 2, cachedInput: 0, cacheWrite: 5, reasoning: 1 }, { input: 10, output: 20, cachedInput: 0, cacheWrite1h: 4 })).toEqual({
      input: 11,
      output: 22,
      cachedInput: 0,
      cacheWrite: 5,
      cacheWrite1h: 4,
      reasoning: 1,
    });
  });
});
