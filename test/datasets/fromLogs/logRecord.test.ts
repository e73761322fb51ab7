import { describe, expect, it } from 'vitest';
import { exchangeOf } from '../../../src/datasets/fromLogs/logRecord.js';
import { allocate } from '../../../src/datasets/fromLogs/index.js';

describe('reading one logged exchange', () => {
  it('reads a gateway request/response pair', () => {
    const line = {
      request: { model: 'gpt-4o-mini', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello!' }, { role: 'user', content: [{ type: 'text', text: 'Order 42?' }] }] },
      response: { choices: [{ message: { role: 'assistant', content: 'Shipped.' } }] },
    };
    expect(exchangeOf(line)).toEqual({ model: 'gpt-4o-mini', system: 'Be brief.', history: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello!' }], input: 'Order 42?', response: 'Shipped.' });
  });

  it('reads the chat fine-tuning shape, whose last assistant message is the answer', () => {
    expect(exchangeOf({ messages: [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'A' }] })).toEqual({ history: [], input: 'Q', response: 'A' });
  });

  it('reads a flat record with a completion, and one with no answer', () => {
    expect(exchangeOf({ model: 'm', messages: [{ role: 'user', content: 'Q' }], completion: 'A' })).toEqual({ model: 'm', history: [], input: 'Q', response: 'A' });
    expect(exchangeOf({ messages: [{ role: 'user', content: 'Q' }] })).toEqual({ history: [], input: 'Q' });
  });

  it('says why a line cannot be used', () => {
    expect(exchangeOf([1, 2])).toEqual({ problem: 'not a JSON object' });
    expect(exchangeOf({ prompt: 'x' })).toEqual({ problem: 'no `messages` list of { role, content }' });
    expect(exchangeOf({ messages: [{ role: 'system', content: 'x' }] })).toEqual({ problem: 'no user message' });
  });
});

describe('allocating a sample over strata', () => {
  it('is proportional, by largest remainder', () => {
    // 900/1000 × 50 = 45, 100/1000 × 50 = 5.
    expect(allocate([900, 100], 50)).toEqual([45, 5]);
    // 10 × 6/10 = 6, 10 × 3/10 = 3, 10 × 1/10 = 1.
    expect(allocate([60, 30, 10], 10)).toEqual([6, 3, 1]);
    // Quotas 3.33, 3.33, 3.33: floors 3+3+3, the one left goes to the first largest remainder.
    expect(allocate([5, 5, 5], 10)).toEqual([4, 3, 3]);
  });

  it('gives a rare stratum one row, and never more rows than a stratum has', () => {
    // 2 × 998/1000 = 1.996 → 1 after the rare one takes its row; 2 × 2/1000 → 0, raised to 1.
    expect(allocate([998, 2], 2)).toEqual([1, 1]);
    expect(allocate([3, 4], 10)).toEqual([3, 4]);
  });
});
