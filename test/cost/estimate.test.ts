import { describe, expect, it } from 'vitest';
import { DEFAULT_OUTPUT_TOKENS, estimateCall, estimateRequestTokens, expectedOutputTokens } from '../../src/cost/estimate.js';
import { testModel } from '../fake-llm/testConfig.js';

const messages = [
  { role: 'system' as const, content: 'You are terse.' },
  { role: 'user' as const, content: 'hello world' },
];

describe('token estimates', () => {
  it('counts o200k tokens of each message plus the chat framing', async () => {
    const est = await estimateRequestTokens(messages, 10);
    // "You are terse." = 4 tokens, "hello world" = 2 tokens; 3 per message + 3 for the reply.
    expect(est).toEqual({ input: 4 + 2 + 3 * 2 + 3, output: 10 });
  });

  it('approximates Claude counts above the o200k count, and adds a response schema', async () => {
    const openai = await estimateRequestTokens(messages);
    const claude = await estimateRequestTokens(messages, undefined, { family: 'anthropic' });
    expect(claude.input).toBeGreaterThan(openai.input);
    const withSchema = await estimateRequestTokens(messages, undefined, { responseFormat: { type: 'object', properties: { label: { type: 'string' } } } });
    expect(withSchema.input).toBeGreaterThan(openai.input + 5);
    expect(openai.output).toBe(DEFAULT_OUTPUT_TOKENS);
  });

  it('guesses output from max_tokens when it is smaller than the default', () => {
    expect(expectedOutputTokens({ max_tokens: 5 })).toBe(5);
    expect(expectedOutputTokens({ max_completion_tokens: 10_000 })).toBe(DEFAULT_OUTPUT_TOKENS);
    expect(expectedOutputTokens({})).toBe(DEFAULT_OUTPUT_TOKENS);
  });

  it('prices an estimate with the model price, and returns null for an unknown one', async () => {
    const priced = await estimateCall(testModel('fast', { provider: 'openai', model: 'gpt-4o-mini' }), { messages, params: { max_tokens: 100 } });
    expect(priced.tokens.output).toBe(100);
    expect(priced.costUsd).toBeCloseTo((priced.tokens.input * 0.15 + 100 * 0.6) / 1e6, 12);
    const unknown = await estimateCall(testModel('local', { provider: 'openai-compatible', model: 'llama3.1' }), { messages, params: {} });
    expect(unknown.costUsd).toBeNull();
  });
});
