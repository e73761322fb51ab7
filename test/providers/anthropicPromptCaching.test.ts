import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import { testModel } from '../fake-llm/testConfig.js';
import { loadProviderFactory } from '../../src/providers/registry.js';
import type { ModelProvider, ModelRequest, ResolvedModel } from '../../src/types.js';

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
