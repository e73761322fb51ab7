import { describe, expect, it } from 'vitest';
import { PRICE_TABLE, PRICES_AS_OF, lookupPrice, resolvePrice, unknownPriceWarning } from '../../src/cost/prices.js';
import { testModel } from '../fake-llm/testConfig.js';

describe('price table', () => {
  it('is dated and lists current OpenAI and Anthropic models with input, output and cached rates', () => {
    expect(PRICES_AS_OF).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const id of ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-4.1-mini', 'o3', 'o4-mini', 'gpt-5', 'gpt-5-mini', 'claude-sonnet-4-5', 'claude-opus-4-1', 'claude-haiku-4-5', 'claude-3-7-sonnet']) {
      const p = PRICE_TABLE[id];
      expect(p, id).toBeDefined();
      expect(p!.input).toBeGreaterThan(0);
      expect(p!.output).toBeGreaterThan(p!.input);
      expect(p!.cachedInput!).toBeLessThan(p!.input);
    }
  });

  it('prices OpenAI embeddings models by input tokens only, as openai.com/api/pricing lists them', () => {
    // USD per 1M input tokens: text-embedding-3-small $0.02, text-embedding-3-large $0.13, ada-002 $0.10.
    expect(lookupPrice('text-embedding-3-small')?.price).toEqual({ input: 0.02, output: 0 });
    expect(lookupPrice('text-embedding-3-large')?.price).toEqual({ input: 0.13, output: 0 });
    expect(lookupPrice('text-embedding-ada-002')?.price).toEqual({ input: 0.1, output: 0 });
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
