import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import { testModel } from '../fake-llm/testConfig.js';
import { loadProviderFactory } from '../../src/providers/registry.js';
import type { ModelProvider, ModelRequest, ResolvedModel } from '../../src/types.js';

const KEY = 'sk-test-SECRET-123456789';
let llm: FakeLlm;

beforeAll(async () => {
  llm = await startFakeLlm();
});
afterAll(() => llm.close());
beforeEach(() => llm.reset());

async function provider(fields: Partial<ResolvedModel> = {}): Promise<ModelProvider> {
  const factory = (await loadProviderFactory('openai'))!;
  const model = testModel('fast', { provider: 'openai', model: 'gpt-4o-mini', baseURL: llm.openaiBaseURL, ...fields });
  return factory.create(model, { configDir: '.', env: { OPENAI_API_KEY: KEY } });
}

const request: ModelRequest = {
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: 'You route tickets.' },
    { role: 'user', content: 'My invoice is wrong' },
  ],
  params: { temperature: 0, max_tokens: 50 },
};

describe('openai provider', () => {
  it('streams Chat Completions with include_usage, the key as bearer, and the messages and params as given', async () => {
    const p = await provider();
    const res = await p.generate(request, { timeoutMs: 5000 });
    expect(res.text).toBe('My invoice is wrong');
    const [req] = llm.requests;
    expect(req!.path).toBe('/v1/chat/completions');
    expect(req!.headers['authorization']).toBe(`Bearer ${KEY}`);
    expect(req!.body).toMatchObject({
      model: 'gpt-4o-mini',
      messages: request.messages,
      temperature: 0,
      max_tokens: 50,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(req!.body).not.toHaveProperty('response_format');
  });

  it('reads usage, cached tokens, time to first token and latency from the stream', async () => {
    llm.enqueue({ type: 'answer', text: 'billing', usage: { input: 1200, output: 7, cachedInput: 1024 }, firstByteDelayMs: 80, interChunkDelayMs: 30 });
    const p = await provider();
    const res = await p.generate(request, { timeoutMs: 5000 });
    expect(res.text).toBe('billing');
    expect(res.usage).toEqual({ input: 1200, output: 7, cachedInput: 1024 });
    expect(res.ttftMs).toBeGreaterThanOrEqual(75);
    // Role chunk, content chunks, finish chunk and usage chunk arrive 30 ms apart after the first byte.
    expect(res.latencyMs).toBeGreaterThan(res.ttftMs! + 50);
    expect(res.meta).toMatchObject({ finishReason: 'stop' });
  });

  it('sends a JSON response format as response_format json_schema, strict only when the schema allows it', async () => {
    const strictSchema = {
      title: 'Ticket route',
      type: 'object',
      properties: { category: { type: 'string' } },
      required: ['category'],
      additionalProperties: false,
    };
    llm.setBehaviour({ type: 'answer', json: { category: 'billing' } });
    const p = await provider();
    const res = await p.generate({ ...request, responseFormat: strictSchema }, { timeoutMs: 5000 });
    expect(JSON.parse(res.text)).toEqual({ category: 'billing' });
    expect(llm.requests[0]!.body!['response_format']).toEqual({
      type: 'json_schema',
      json_schema: { name: 'Ticket_route', schema: strictSchema, strict: true },
    });

    const loose = { type: 'object', properties: { category: { type: 'string' } } };
    await p.generate({ ...request, responseFormat: loose }, { timeoutMs: 5000 });
    expect(llm.requests[1]!.body!['response_format']).toEqual({ type: 'json_schema', json_schema: { name: 'response', schema: loose, strict: false } });
  });

  it('without streaming, sends stream: false and reads usage from the completion', async () => {
    llm.enqueue({ type: 'answer', text: 'ok', usage: { input: 10, output: 2, cachedInput: 0 } });
    const p = await provider({ stream: false });
    const res = await p.generate(request, { timeoutMs: 5000 });
    expect(res).toMatchObject({ text: 'ok', usage: { input: 10, output: 2, cachedInput: 0 }, cached: false });
    expect(res.ttftMs).toBeUndefined();
    expect(llm.requests[0]!.body!['stream']).toBe(false);
    expect(llm.requests[0]!.body).not.toHaveProperty('stream_options');
  });

  it('honours OPENAI_BASE_URL, and a model baseURL over it', async () => {
    const factory = (await loadProviderFactory('openai'))!;
    const model = testModel('fast', { provider: 'openai', model: 'gpt-4o-mini' });
    const viaEnv = await factory.create(model, { configDir: '.', env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: llm.openaiBaseURL } });
    await viaEnv.generate(request, { timeoutMs: 5000 });
    expect(llm.requests).toHaveLength(1);
    expect(viaEnv.identity).toEqual({ provider: 'openai', model: 'gpt-4o-mini', baseURL: llm.openaiBaseURL });

    const viaModel = await factory.create({ ...model, baseURL: llm.openaiBaseURL }, { configDir: '.', env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' } });
    await viaModel.generate(request, { timeoutMs: 5000 });
    expect(llm.requests).toHaveLength(2);
  });

  it('computes the same identity from config alone as the created provider has', async () => {
    const factory = (await loadProviderFactory('openai'))!;
    const model = testModel('fast', { provider: 'openai', model: 'gpt-4o-mini', baseURL: llm.openaiBaseURL + '/' });
    const ctx = { configDir: '.', env: { OPENAI_API_KEY: KEY } };
    expect(factory.identity!(model, ctx)).toEqual((await factory.create(model, ctx)).identity);
    expect(JSON.stringify(factory.identity!(model, ctx))).not.toContain(KEY);
  });
});
