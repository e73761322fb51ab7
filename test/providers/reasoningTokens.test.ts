import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import { testModel } from '../fake-llm/testConfig.js';
import { loadProviderFactory } from '../../src/providers/registry.js';
import type { ModelProvider, ResolvedModel } from '../../src/types.js';

let llm: FakeLlm;

beforeAll(async () => {
  llm = await startFakeLlm();
});
afterAll(() => llm.close());
beforeEach(() => llm.reset());

async function provider(vendor: 'anthropic' | 'openai', fields: Partial<ResolvedModel> = {}): Promise<ModelProvider> {
  const factory = (await loadProviderFactory(vendor))!;
  const baseURL = vendor === 'anthropic' ? llm.anthropicBaseURL : llm.openaiBaseURL;
  const model = testModel('m', { provider: vendor, model: vendor === 'anthropic' ? 'claude-sonnet-4-5' : 'o3', baseURL, ...fields });
  return factory.create(model, { configDir: '.', env: { ANTHROPIC_API_KEY: 'sk-ant-x', OPENAI_API_KEY: 'sk-x' } });
}

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
