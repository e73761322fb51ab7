import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import { testModel } from '../fake-llm/testConfig.js';
import { loadProviderFactory } from '../../src/providers/registry.js';
import type { ModelRequest } from '../../src/types.js';

// Which transport the SDK clients llm-eval makes send through: the built-in fetch (undici) adds
// `sec-fetch-mode` to every request, node:http (providers/nodeFetch.ts) does not.
let llm: FakeLlm;
beforeAll(async () => {
  llm = await startFakeLlm();
});
afterAll(() => llm.close());
beforeEach(() => llm.reset());

const request: ModelRequest = { model: 'm', messages: [{ role: 'user', content: 'hello there' }], params: {} };

async function call(provider: 'openai' | 'anthropic', env: NodeJS.ProcessEnv): Promise<string | string[] | undefined> {
  const factory = (await loadProviderFactory(provider))!;
  const baseURL = provider === 'openai' ? llm.openaiBaseURL : llm.anthropicBaseURL;
  const model = testModel('m', { provider, model: provider === 'openai' ? 'gpt-4o-mini' : 'claude-haiku-4-5', baseURL });
  const p = await factory.create(model, { configDir: '.', env: { OPENAI_API_KEY: 'sk-a', ANTHROPIC_API_KEY: 'sk-b', ...env } });
  const res = await p.generate(request, { timeoutMs: 5000 });
  expect(res.text).toBe('hello there');
  return llm.requests.at(-1)!.headers['sec-fetch-mode'];
}

describe('the SDK transport', () => {
  for (const provider of ['openai', 'anthropic'] as const) {
    it(`${provider}: calls go through node:http, or the built-in fetch with LLM_EVAL_FETCH=builtin or a proxy set`, async () => {
      expect(await call(provider, {})).toBeUndefined();
      expect(await call(provider, { LLM_EVAL_FETCH: 'builtin' })).toBe('cors');
      expect(await call(provider, { HTTPS_PROXY: 'http://127.0.0.1:9' })).toBe('cors');
    });
  }
});
