import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import { testModel } from '../fake-llm/testConfig.js';
import { loadProviderFactory } from '../../src/providers/registry.js';
import type { ModelProvider, ModelRequest, ResolvedModel } from '../../src/types.js';

// Usage the way the invoice counts it: prompt-cache writes and reads, reasoning tokens.

let llm: FakeLlm;

beforeAll(async () => {
  llm = await startFakeLlm();
});
afterAll(() => llm.close());
beforeEach(() => llm.reset());

async function provider(vendor: 'anthropic' | 'openai', fields: Partial<ResolvedModel> = {}): Promise<ModelProvider> {
  const factory = (await loadProviderFactory(vendor))!;
  const baseURL = vendor === 'anthropic' ? llm.anthropicBaseURL : llm.openaiBaseURL;
  const model = testModel('m', { provider: vendor, model: vendor === 'anthropic' ? 'claude-sonnet-4-5' : 'gpt-4o', baseURL, ...fields });
  return factory.create(model, { configDir: '.', env: { ANTHROPIC_API_KEY: 'sk-ant-x', OPENAI_API_KEY: 'sk-x' } });
}

const request: ModelRequest = {
  messages: [
    { role: 'system', content: 'A long policy manual.', cache: true },
    { role: 'system', content: 'Answer in one word.' },
    { role: 'user', content: 'Shared few-shot examples.', cache: '1h' },
    { role: 'user', content: 'My invoice is wrong' },
  ],
  params: {},
};

describe('Anthropic prompt caching', () => {
  it('sends a message marked `cache` as a text block with cache_control (ttl 1h for `cache: 1h`), system as blocks', async () => {
    const p = await provider('anthropic');
    await p.generate({ ...request, model: 'claude-sonnet-4-5' }, { timeoutMs: 5000 });
    const body = llm.requests[0]!.body!;
    expect(body['system']).toEqual([
      { type: 'text', text: 'A long policy manual.', cache_control: { type: 'ephemeral' } },
      { type: 'text', text: 'Answer in one word.' },
    ]);
    expect(body['messages']).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Shared few-shot examples.', cache_control: { type: 'ephemeral', ttl: '1h' } }] },
      { role: 'user', content: 'My invoice is wrong' },
    ]);
  });

  it.each([true, false])('reads cache writes and their 5m/1h split into usage (streamed: %s), input counting them', async (stream) => {
    // The wire: input_tokens 100 (uncached), cache_read 400, cache_creation 1,500 (1,000 for 5m, 500 for 1h).
    llm.enqueue({ type: 'answer', text: 'billing', usage: { input: 2000, cachedInput: 400, cacheWrite: 1500, cacheWrite1h: 500, output: 9 } });
    const p = await provider('anthropic', { stream });
    const res = await p.generate({ ...request, model: 'claude-sonnet-4-5' }, { timeoutMs: 5000 });
    expect(res.usage).toEqual({ input: 2000, cachedInput: 400, cacheWrite: 1500, cacheWrite1h: 500, output: 9 });
  });

  it('reports no cache write when the reply has none', async () => {
    llm.enqueue({ type: 'answer', text: 'ok', usage: { input: 30, output: 2, cachedInput: 0 } });
    const p = await provider('anthropic');
    const res = await p.generate({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }], params: {} }, { timeoutMs: 5000 });
    expect(res.usage).toEqual({ input: 30, output: 2, cachedInput: 0 });
  });

  it('does not send the `cache` mark to OpenAI, which caches prefixes by itself and rejects unknown message fields', async () => {
    const p = await provider('openai');
    await p.generate({ ...request, model: 'gpt-4o' }, { timeoutMs: 5000 });
    expect(llm.requests[0]!.body!['messages']).toEqual([
      { role: 'system', content: 'A long policy manual.' },
      { role: 'system', content: 'Answer in one word.' },
      { role: 'user', content: 'Shared few-shot examples.' },
      { role: 'user', content: 'My invoice is wrong' },
    ]);
  });
});

const messages = [{ role: 'user' as const, content: 'What is 17 * 23?' }];

describe('reasoning tokens', () => {
  it.each([true, false])('OpenAI: reads completion_tokens_details.reasoning_tokens as part of output (streamed: %s) and passes reasoning_effort', async (stream) => {
    llm.enqueue({ type: 'answer', text: '391', usage: { input: 12, output: 900, cachedInput: 0, reasoning: 896 } });
    const p = await provider('openai', { stream });
    const res = await p.generate({ model: 'o3', messages, params: { reasoning_effort: 'high' } }, { timeoutMs: 5000 });
    expect(res.text).toBe('391');
    expect(res.usage).toEqual({ input: 12, output: 900, cachedInput: 0, reasoning: 896 });
    expect(llm.requests[0]!.body!['reasoning_effort']).toBe('high');
  });

  it('OpenAI: leaves reasoning absent when the reply does not report it', async () => {
    llm.enqueue({ type: 'answer', text: 'x', usage: { input: 3, output: 1, cachedInput: 0 } });
    const p = await provider('openai');
    const res = await p.generate({ model: 'o3', messages, params: {} }, { timeoutMs: 5000 });
    expect(res.usage).not.toHaveProperty('reasoning');
  });

  it.each([true, false])('Anthropic: keeps thinking out of the answer text and reads thinking_tokens (streamed: %s)', async (stream) => {
    llm.enqueue({ type: 'answer', text: '391', thinking: '17 * 23 = 17 * 20 + 17 * 3 = 340 + 51', usage: { input: 12, output: 700, cachedInput: 0, reasoning: 690 } });
    const p = await provider('anthropic', { stream });
    const res = await p.generate({ model: 'claude-sonnet-4-5', messages, params: { thinking: { type: 'enabled', budget_tokens: 2048 } } }, { timeoutMs: 5000 });
    expect(res.text).toBe('391');
    expect(res.usage).toEqual({ input: 12, output: 700, cachedInput: 0, reasoning: 690 });
    const body = llm.requests[0]!.body!;
    expect(body['thinking']).toEqual({ type: 'enabled', budget_tokens: 2048 });
    // The API requires max_tokens > budget_tokens: the default grows by the budget (2,048 + 1,024).
    expect(body['max_tokens']).toBe(3072);
  });

  it('Anthropic: a max_tokens in params wins over the thinking default', async () => {
    const p = await provider('anthropic');
    await p.generate({ model: 'claude-sonnet-4-5', messages, params: { max_tokens: 5000, thinking: { type: 'enabled', budget_tokens: 2048 } } }, { timeoutMs: 5000 });
    expect(llm.requests[0]!.body!['max_tokens']).toBe(5000);
  });
});
