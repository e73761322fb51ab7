import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import { testModel } from '../fake-llm/testConfig.js';
import { loadProviderFactory } from '../../src/providers/registry.js';
import { ProviderError } from '../../src/errors.js';

let llm: FakeLlm;
beforeAll(async () => {
  llm = await startFakeLlm();
});
afterAll(() => llm.close());
beforeEach(() => llm.reset());

const req = { model: 'llama3.1', messages: [{ role: 'user' as const, content: 'hello' }], params: {} };

describe('openai-compatible provider', () => {
  it('requires baseURL and model in validation', async () => {
    const factory = (await loadProviderFactory('openai-compatible'))!;
    const issues = factory.validate!(testModel('local', { provider: 'openai-compatible' }));
    expect(issues.map((i) => i.field)).toEqual(['baseURL', 'model']);
  });

  it('calls a keyless local server without ever sending OPENAI_API_KEY', async () => {
    const factory = (await loadProviderFactory('openai-compatible'))!;
    const model = testModel('local', { provider: 'openai-compatible', model: 'llama3.1', baseURL: llm.openaiBaseURL });
    const p = await factory.create(model, { configDir: '.', env: { OPENAI_API_KEY: 'sk-test-SECRET-123456789' } });
    const res = await p.generate(req, { timeoutMs: 5000 });
    expect(res.text).toBe('hello');
    expect(llm.requests[0]!.headers['authorization']).toBe('Bearer no-key');
    expect(p.endpoint).toBe(llm.openaiBaseURL);
  });

  it('sends the key from apiKeyEnv, and fails before any request when that variable is unset', async () => {
    const factory = (await loadProviderFactory('openai-compatible'))!;
    const model = testModel('local', { provider: 'openai-compatible', model: 'llama3.1', baseURL: llm.openaiBaseURL, apiKeyEnv: 'LOCAL_KEY' });
    const p = await factory.create(model, { configDir: '.', env: { LOCAL_KEY: 'local-secret-key-1' } });
    await p.generate(req, { timeoutMs: 5000 });
    expect(llm.requests[0]!.headers['authorization']).toBe('Bearer local-secret-key-1');

    const err = await Promise.resolve()
      .then(() => factory.create(model, { configDir: '.', env: {} }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).kind).toBe('auth');
    expect((err as Error).message).toBe('LOCAL_KEY is not set (needed by model "local"); export it or set apiKeyEnv');
    expect(llm.requests).toHaveLength(1);
  });
});
