import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import { testModel } from '../fake-llm/testConfig.js';
import { loadProviderFactory } from '../../src/providers/registry.js';
import type { ModelProvider, ModelRequest, ResolvedModel } from '../../src/types.js';

const KEY = 'sk-ant-test-SECRET-123456789';
let llm: FakeLlm;

beforeAll(async () => {
  llm = await startFakeLlm();
});
afterAll(() => llm.close());
beforeEach(() => llm.reset());

async function provider(fields: Partial<ResolvedModel> = {}): Promise<ModelProvider> {
  const factory = (await loadProviderFactory('anthropic'))!;
  const model = testModel('smart', { provider: 'anthropic', model: 'claude-haiku-4-5', baseURL: llm.anthropicBaseURL, ...fields });
  return factory.create(model, { configDir: '.', env: { ANTHROPIC_API_KEY: KEY } });
}

const request: ModelRequest = {
  model: 'claude-haiku-4-5',
  messages: [
    { role: 'system', content: 'You route tickets.' },
    { role: 'system', content: 'Answer with one word.' },
    { role: 'user', content: 'My invoice is wrong' },
    { role: 'assistant', content: 'billing?' },
    { role: 'user', content: 'Yes, the invoice' },
  ],
  params: { temperature: 0 },
};

describe('anthropic provider', () => {
  it('sends system messages as the top-level system, the rest as messages, and max_tokens by default', async () => {
    const p = await provider();
    const res = await p.generate(request, { timeoutMs: 5000 });
    expect(res.text).toBe('Yes, the invoice');
    const [req] = llm.requests;
    expect(req!.path).toBe('/v1/messages');
    // The SDK presents the key as x-api-key or (newer versions) as a bearer token.
    expect(String(req!.headers['x-api-key'] ?? req!.headers['authorization'])).toContain(KEY);
    expect(req!.headers['anthropic-version']).toBeTruthy();
    expect(req!.body).toEqual({
      model: 'claude-haiku-4-5',
      max_tokens: 1024,
      temperature: 0,
      stream: true,
      system: 'You route tickets.\n\nAnswer with one word.',
      messages: [
        { role: 'user', content: 'My invoice is wrong' },
        { role: 'assistant', content: 'billing?' },
        { role: 'user', content: 'Yes, the invoice' },
      ],
    });
  });

  it('keeps a max_tokens given in params and omits system when there is none', async () => {
    const p = await provider();
    await p.generate({ model: 'claude-haiku-4-5', messages: [{ role: 'user', content: 'hi' }], params: { max_tokens: 20 } }, { timeoutMs: 5000 });
    expect(llm.requests[0]!.body!['max_tokens']).toBe(20);
    expect(llm.requests[0]!.body).not.toHaveProperty('system');
  });

  it('reads usage from the stream: input counts cache reads, which are reported as cached', async () => {
    llm.enqueue({ type: 'answer', text: 'billing', usage: { input: 2000, output: 9, cachedInput: 1500 }, firstByteDelayMs: 60, interChunkDelayMs: 20 });
    const p = await provider();
    const res = await p.generate(request, { timeoutMs: 5000 });
    expect(res.usage).toEqual({ input: 2000, output: 9, cachedInput: 1500 });
    // The wire carried input_tokens without the cache reads, as the API does.
    expect(res.ttftMs).toBeGreaterThanOrEqual(55);
    expect(res.latencyMs).toBeGreaterThan(res.ttftMs!);
    expect(res.meta).toMatchObject({ finishReason: 'end_turn' });
  });

  it('asks for structured output with a forced tool and returns the tool input as JSON text (streamed and not)', async () => {
    const schema = { title: 'route', type: 'object', properties: { category: { type: 'string' } }, required: ['category'] };
    llm.setBehaviour({ type: 'answer', json: { category: 'billing' } });
    for (const stream of [true, false]) {
      llm.requests.length = 0;
      const p = await provider({ stream });
      const res = await p.generate({ ...request, responseFormat: schema }, { timeoutMs: 5000 });
      expect(JSON.parse(res.text)).toEqual({ category: 'billing' });
      const body = llm.requests[0]!.body!;
      expect(body['tools']).toEqual([{ name: 'route', description: expect.any(String), input_schema: schema }]);
      expect(body['tool_choice']).toEqual({ type: 'tool', name: 'route' });
    }
  });

  it('wraps a schema that is not an object (tool input must be one) and unwraps the answer', async () => {
    const schema = { type: 'array', items: { type: 'string' } };
    llm.setBehaviour({ type: 'answer', json: { value: ['a', 'b'] } });
    const p = await provider();
    const res = await p.generate({ ...request, responseFormat: schema }, { timeoutMs: 5000 });
    expect(JSON.parse(res.text)).toEqual(['a', 'b']);
    const tools = llm.requests[0]!.body!['tools'] as Array<{ input_schema: unknown }>;
    expect(tools[0]!.input_schema).toEqual({ type: 'object', properties: { value: schema }, required: ['value'] });
  });

  it('without streaming, reads the message and its usage', async () => {
    llm.enqueue({ type: 'answer', text: 'ok', usage: { input: 30, output: 2, cachedInput: 10 } });
    const p = await provider({ stream: false });
    const res = await p.generate(request, { timeoutMs: 5000 });
    expect(res).toMatchObject({ text: 'ok', usage: { input: 30, output: 2, cachedInput: 10 } });
    expect(llm.requests[0]!.body!['stream']).toBe(false);
  });

  it('honours ANTHROPIC_BASE_URL', async () => {
    const factory = (await loadProviderFactory('anthropic'))!;
    const model = testModel('smart', { provider: 'anthropic', model: 'claude-haiku-4-5' });
    const p = await factory.create(model, { configDir: '.', env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: llm.anthropicBaseURL } });
    await p.generate(request, { timeoutMs: 5000 });
    expect(llm.requests).toHaveLength(1);
  });
});
