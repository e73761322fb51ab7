import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeLlm, type FakeLlm, type FakeReply } from '../fake-llm/server.js';
import { testModel } from '../fake-llm/testConfig.js';
import { loadProviderFactory } from '../../src/providers/registry.js';
import { ProviderError, type ProviderErrorKind } from '../../src/errors.js';
import { retryAfterMsFrom } from '../../src/providers/httpErrors.js';
import type { ModelProvider } from '../../src/types.js';

const OPENAI_KEY = 'sk-test-SECRET-123456789';
const ANTHROPIC_KEY = 'sk-ant-test-SECRET-987654321';
let llm: FakeLlm;

beforeAll(async () => {
  llm = await startFakeLlm();
});
afterAll(() => llm.close());
beforeEach(() => llm.reset());

type Vendor = 'openai' | 'anthropic';

async function provider(vendor: Vendor, stream: boolean, model = vendor === 'openai' ? 'gpt-x' : 'claude-x'): Promise<ModelProvider> {
  const factory = (await loadProviderFactory(vendor))!;
  const baseURL = vendor === 'openai' ? llm.openaiBaseURL : llm.anthropicBaseURL;
  return factory.create(testModel('fast', { provider: vendor, model, baseURL, stream }), {
    configDir: '.',
    env: { OPENAI_API_KEY: OPENAI_KEY, ANTHROPIC_API_KEY: ANTHROPIC_KEY },
  });
}

async function failure(p: ModelProvider, reply: FakeReply): Promise<ProviderError> {
  llm.enqueue(reply);
  const err = await p
    .generate({ model: 'm', messages: [{ role: 'user', content: 'hi' }], params: {} }, { timeoutMs: 5000 })
    .then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

const cases: Array<[string, FakeReply, ProviderErrorKind]> = [
  ['429', { type: 'rate-limit', retryAfterMs: 250 }, 'rate-limit'],
  ['500', { type: 'error', status: 500 }, 'transient'],
  ['503', { type: 'error', status: 503 }, 'transient'],
  ['408', { type: 'error', status: 408 }, 'transient'],
  ['401', { type: 'error', status: 401 }, 'auth'],
  ['403', { type: 'error', status: 403 }, 'auth'],
  ['404', { type: 'model-not-found' }, 'not-found'],
  ['400', { type: 'error', status: 400, message: 'max_tokens too large' }, 'bad-request'],
  ['422', { type: 'error', status: 422 }, 'bad-request'],
  ['a stream cut mid-way', { type: 'cut-stream', afterChunks: 2 }, 'transient'],
  ['invalid JSON', { type: 'invalid-json' }, 'transient'],
];

describe.each([
  ['openai', true],
  ['openai', false],
  ['anthropic', true],
  ['anthropic', false],
] as Array<[Vendor, boolean]>)('%s errors (stream: %s)', (vendor, stream) => {
  it.each(cases)('maps %s to its kind', async (_name, reply, kind) => {
    const err = await failure(await provider(vendor, stream), reply);
    expect(err.kind).toBe(kind);
    expect(err.message).toContain('model "fast"');
  });
});

describe('provider error messages', () => {
  it('carry Retry-After from retry-after-ms and from retry-after seconds', async () => {
    const oa = await provider('openai', true);
    expect((await failure(oa, { type: 'rate-limit', retryAfterMs: 250 })).retryAfterMs).toBe(250);
    expect((await failure(oa, { type: 'rate-limit', retryAfterSeconds: 2 })).retryAfterMs).toBe(2000);
    const an = await provider('anthropic', true);
    expect((await failure(an, { type: 'rate-limit', retryAfterSeconds: 1 })).retryAfterMs).toBe(1000);
  });

  it('name the model and the fix on 404', async () => {
    const err = await failure(await provider('openai', true), { type: 'model-not-found' });
    expect(err.message).toMatch(/^model gpt-x not found: check `model:` for model "fast"/);
  });

  it('never contain the key, even when the server echoes it back', async () => {
    for (const vendor of ['openai', 'anthropic'] as const) {
      const err = await failure(await provider(vendor, true), { type: 'error', status: 401 });
      // The fake server's 401 body quotes the key it was sent, as some proxies do.
      expect(llm.requests.at(-1)).toBeDefined();
      expect(err.message).not.toContain(OPENAI_KEY);
      expect(err.message).not.toContain(ANTHROPIC_KEY);
      expect(err.message).toContain('[REDACTED]');
      expect(err.message).toContain(vendor === 'openai' ? 'check OPENAI_API_KEY' : 'check ANTHROPIC_API_KEY');
    }
  });

  it('report a missing key by its variable before any request', async () => {
    for (const [vendor, varName] of [
      ['openai', 'OPENAI_API_KEY'],
      ['anthropic', 'ANTHROPIC_API_KEY'],
    ] as const) {
      const factory = (await loadProviderFactory(vendor))!;
      const err = await Promise.resolve()
        .then(() => factory.create(testModel('fast', { provider: vendor, model: 'm', baseURL: llm.url }), { configDir: '.', env: {} }))
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProviderError);
      expect((err as ProviderError).kind).toBe('auth');
      expect((err as Error).message).toBe(`${varName} is not set (needed by model "fast"); export it or set apiKeyEnv`);
    }
    expect(llm.requests).toHaveLength(0);
  });

  it('report an unreachable server as transient', async () => {
    const factory = (await loadProviderFactory('openai'))!;
    const p = await factory.create(testModel('fast', { provider: 'openai', model: 'm', baseURL: 'http://127.0.0.1:9/v1' }), {
      configDir: '.',
      env: { OPENAI_API_KEY: OPENAI_KEY },
    });
    const err = await p.generate({ messages: [{ role: 'user', content: 'x' }], params: {} }, { timeoutMs: 5000 }).catch((e: unknown) => e);
    expect((err as ProviderError).kind).toBe('transient');
    expect((err as Error).message).toContain('cannot reach openai at http://127.0.0.1:9/v1');
  });
});

describe('retryAfterMsFrom', () => {
  it('reads retry-after-ms, retry-after seconds and an HTTP date, preferring ms', () => {
    expect(retryAfterMsFrom(new Headers({ 'retry-after-ms': '120.5', 'retry-after': '9' }))).toBe(120.5);
    expect(retryAfterMsFrom(new Headers({ 'retry-after': '3' }))).toBe(3000);
    const inFiveSeconds = new Date(Date.now() + 5000).toUTCString();
    const fromDate = retryAfterMsFrom(new Headers({ 'retry-after': inFiveSeconds }))!;
    expect(fromDate).toBeGreaterThan(3000);
    expect(fromDate).toBeLessThanOrEqual(5000);
    expect(retryAfterMsFrom(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMsFrom(new Headers())).toBeUndefined();
  });
});
