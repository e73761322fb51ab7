import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { PRICE_TABLE, PRICES_AS_OF, batchPrice, lookupPrice, resolvePrice, unknownPriceWarning } from '../../src/cost/prices.js';
import type { ModelPrice } from '../../src/types.js';
import { testModel } from '../fake-llm/testConfig.js';

interface VendorPrices {
  openai: { models: Record<string, [string, string, string]>; batch: Record<string, [string, string]> };
  anthropic: { ids: Record<string, string[]>; models: Record<string, [string, string, string, string, string]>; batch: Record<string, [string, string]> };
}

const vendor = JSON.parse(readFileSync(new URL('./vendorPrices.json', import.meta.url), 'utf8')) as VendorPrices;

/** A page's figure (`$0.075`, `$6.25 / MTok`) in USD; `-` (no such rate) is undefined. */
function money(text: string): number | undefined {
  if (text === '-') return undefined;
  const m = /^\$(\d+(?:\.\d+)?)(?: \/ MTok)?$/.exec(text);
  if (!m) throw new Error(`not a price: ${text}`);
  return Number(m[1]);
}

describe('price table', () => {
  it('is dated', () => {
    expect(PRICES_AS_OF).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  // Every table row against the vendors' figures, copied by hand from their pages into
  // vendorPrices.json: a typo in either file shows here.
  const openaiRows = Object.entries(vendor.openai.models);
  it.each(openaiRows)('prices %s as OpenAI\'s pricing page lists it', (id, [input, cached, output]) => {
    const expected: ModelPrice = { input: money(input)!, output: money(output) ?? 0 };
    if (money(cached) !== undefined) expected.cachedInput = money(cached)!;
    expect(PRICE_TABLE[id]).toEqual(expected);
  });

  const anthropicRows = Object.entries(vendor.anthropic.ids).flatMap(([row, ids]) => ids.map((id) => [id, row] as const));
  it.each(anthropicRows)('prices %s as Anthropic\'s pricing page lists "%s"', (id, row) => {
    const [input, write5m, write1h, hits, output] = vendor.anthropic.models[row as keyof typeof vendor.anthropic.models];
    expect(PRICE_TABLE[id]).toEqual({ input: money(input), cacheWrite: money(write5m), cacheWrite1h: money(write1h), cachedInput: money(hits), output: money(output) });
  });

  it('has no row the vendor pages do not list, and misses none they do', () => {
    const listed = [...openaiRows.map(([id]) => id), ...anthropicRows.map(([id]) => id)].sort();
    expect(Object.keys(PRICE_TABLE).sort()).toEqual(listed);
  });

  it.each(Object.entries(vendor.anthropic.batch))('batch-prices %s at Anthropic\'s batch page rates', (row, [input, output]) => {
    for (const id of vendor.anthropic.ids[row as keyof typeof vendor.anthropic.ids]) {
      const batch = batchPrice(PRICE_TABLE[id]!, 'anthropic');
      expect(batch.input).toBeCloseTo(money(input)!, 12);
      expect(batch.output).toBeCloseTo(money(output)!, 12);
    }
  });

  it.each(Object.entries(vendor.openai.batch))('batch-prices %s at OpenAI\'s batch rates', (id, [input, output]) => {
    const batch = batchPrice(PRICE_TABLE[id]!, 'openai');
    expect(batch.input).toBeCloseTo(money(input)!, 12);
    expect(batch.output).toBeCloseTo(money(output) ?? 0, 12);
  });

  it('batch-prices cache reads and writes at half too (Anthropic: the discount applies to all usage)', () => {
    // Claude Sonnet 4.5: 5m write $3.75, 1h write $6, hit $0.30 → $1.875, $3, $0.15 in a batch.
    expect(batchPrice({ input: 3, cachedInput: 0.3, cacheWrite: 3.75, cacheWrite1h: 6, output: 15 }, 'anthropic')).toEqual({ input: 1.5, cachedInput: 0.15, cacheWrite: 1.875, cacheWrite1h: 3, output: 7.5 });
  });

  it.each([
    ['gpt-4o-2024-08-06', 'gpt-4o'],
    ['gpt-4o-mini-2024-07-18', 'gpt-4o-mini'],
    ['gpt-4o-2024-05-13', 'gpt-4o-2024-05-13'],
    ['gpt-4.1-nano-2025-04-14', 'gpt-4.1-nano'],
    ['o3-mini-2025-01-31', 'o3-mini'],
    ['gpt-4-0613', 'gpt-4'],
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
    ['claude-opus-4-1-20250805', 'claude-opus-4-1'],
    ['claude-opus-4-20250514', 'claude-opus-4'],
    ['claude-3-5-haiku-latest', 'claude-3-5-haiku'],
    ['gpt-5.2', 'gpt-5.2'],
  ])('matches %s to %s by its snapshot suffix', (id, expected) => {
    expect(lookupPrice(id)?.id).toBe(expected);
  });

  it.each(['gpt-5.6-sol', 'gpt-4o-audio-preview', 'gpt-5.3-chat-latest', 'claude-opus-5', 'llama3.1', 'gpt-4o-mini-tts'])('does not guess a price for %s', (id) => {
    expect(lookupPrice(id)).toBeUndefined();
  });

  it('lets a model price override the table and treats echo as free', () => {
    const price = { input: 1, output: 2 };
    expect(resolvePrice(testModel('m', { provider: 'openai', model: 'gpt-4o', price }))).toEqual({ kind: 'config', price });
    expect(resolvePrice(testModel('m', { provider: 'openai', model: 'gpt-4o' }))).toEqual({ kind: 'table', id: 'gpt-4o', price: PRICE_TABLE['gpt-4o'] });
    expect(resolvePrice(testModel('m', { provider: 'echo' })).kind).toBe('local');
    expect(resolvePrice(testModel('local', { provider: 'openai-compatible', model: 'llama3.1' })).kind).toBe('unknown');
  });

  it('warns about an unknown price with the fix', () => {
    const w = unknownPriceWarning(testModel('local', { provider: 'openai-compatible', model: 'llama3.1' }));
    expect(w).toContain('model "local"');
    expect(w).toContain('price:');
  });
});
