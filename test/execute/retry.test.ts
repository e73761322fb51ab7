import { DEFAULTS } from '../../src/config/resolve.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeLlm, type FakeLlm, type FakeReply } from '../fake-llm/server.js';
import { ProviderError } from '../../src/errors.js';
import { backoffMs, DEFAULT_RETRY_TIMING } from '../../src/execute/retry.js';
import { anthropicModel, makeCaller, openaiModel, userRequest } from './harness.js';

let llm: FakeLlm;
beforeAll(async () => {
  llm = await startFakeLlm();
});
afterAll(() => llm.close());
beforeEach(() => llm.reset());

describe('backoff', () => {
  const policy = { ...DEFAULT_RETRY_TIMING, retries: 4 };
  const err = new ProviderError('transient', 'x');

  it('doubles per attempt with up to 25% jitter below, capped', () => {
    expect(backoffMs(err, 1, policy, () => 0)).toBe(500);
    expect(backoffMs(err, 2, policy, () => 0)).toBe(1000);
    expect(backoffMs(err, 3, policy, () => 1)).toBe(1500);
    expect(backoffMs(err, 10, policy, () => 0)).toBe(DEFAULT_RETRY_TIMING.maxDelayMs);
  });

  it('waits exactly what Retry-After asks', () => {
    expect(backoffMs(new ProviderError('rate-limit', 'x', { retryAfterMs: 1234 }), 1, policy, () => 0.9)).toBe(1234);
  });
});

describe('retries against the fake server', () => {
  it('honours retry-after-ms on a 429, then succeeds', async () => {
    // A backoff of at least 45 s (60 s less 25% jitter) if Retry-After were ignored: far from the
    // 300 ms asked for, so a loaded machine cannot blur the two.
    const { caller } = makeCaller([openaiModel(llm)], { retryTiming: { baseDelayMs: 60_000, maxDelayMs: 60_000 } });
    llm.enqueue({ type: 'rate-limit', retryAfterMs: 300 });
    const started = performance.now();
    const r = await caller.call('fast', userRequest('hi'));
    const waited = performance.now() - started;
    expect(r).toMatchObject({ text: 'hi', attempts: 2 });
    expect(llm.requests).toHaveLength(2);
    // The server's 300 ms, not the 45–60 s exponential backoff.
    expect(waited).toBeGreaterThanOrEqual(290);
    expect(waited).toBeLessThan(30_000);
    expect(llm.requests[1]!.receivedAtMs - llm.requests[0]!.receivedAtMs).toBeGreaterThanOrEqual(290);
  });

  it('honours Retry-After in seconds (Anthropic)', async () => {
    const { caller } = makeCaller([anthropicModel(llm)]);
    llm.enqueue({ type: 'rate-limit', retryAfterSeconds: 1 });
    const started = performance.now();
    const r = await caller.call('smart', userRequest('hi'));
    expect(r.attempts).toBe(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
  });

  it('backs off exponentially on 5xx, dropped streams and invalid JSON', async () => {
    const { caller } = makeCaller([openaiModel(llm)], { retryTiming: { baseDelayMs: 40, maxDelayMs: 1000 } });
    llm.enqueue({ type: 'error', status: 500 }, { type: 'cut-stream', afterChunks: 2 }, { type: 'invalid-json' });
    const started = performance.now();
    const r = await caller.call('fast', userRequest('finally'));
    expect(r).toMatchObject({ text: 'finally', attempts: 4 });
    // 40 + 80 + 160 ms, each at most 25% shorter.
    expect(performance.now() - started).toBeGreaterThanOrEqual((40 + 80 + 160) * 0.75);
    expect(caller.stats().retries).toBe(3);
  });

  it('gives up after defaults.retries and says how many attempts it made', async () => {
    const { caller } = makeCaller([openaiModel(llm)], { defaults: { retries: 2 } });
    llm.setBehaviour({ type: 'error', status: 503 });
    const err = await caller.call('fast', userRequest('x')).catch((e: unknown) => e);
    expect((err as ProviderError).kind).toBe('transient');
    expect((err as Error).message).toContain('(after 3 attempts)');
    expect(llm.requests).toHaveLength(3);
  });

  it('the default `retries: 4` means 4 retries after the first attempt: 5 requests in all', async () => {
    expect(DEFAULTS.retries).toBe(4);
    const { caller } = makeCaller([openaiModel(llm)], { defaults: { retries: DEFAULTS.retries } });
    llm.setBehaviour({ type: 'error', status: 503 });
    const err = await caller.call('fast', userRequest('x')).catch((e: unknown) => e);
    expect((err as Error).message).toContain('(after 5 attempts)');
    expect(llm.requests).toHaveLength(5);
  });

  it.each<[string, FakeReply, string]>([
    ['401', { type: 'error', status: 401 }, 'auth'],
    ['403', { type: 'error', status: 403 }, 'auth'],
    ['404', { type: 'model-not-found' }, 'not-found'],
    ['400', { type: 'error', status: 400 }, 'bad-request'],
  ])('never retries a %s: the server sees exactly one request', async (_s, reply, kind) => {
    const { caller } = makeCaller([openaiModel(llm)]);
    llm.setBehaviour(reply);
    const err = await caller.call('fast', userRequest('x')).catch((e: unknown) => e);
    expect((err as ProviderError).kind).toBe(kind);
    expect(llm.requests).toHaveLength(1);
  });

  it('does not wait out a Retry-After longer than the maximum', async () => {
    const { caller } = makeCaller([openaiModel(llm)], { retryTiming: { maxRetryAfterMs: 1000 } });
    llm.setBehaviour({ type: 'rate-limit', retryAfterSeconds: 3600 });
    const started = performance.now();
    const err = await caller.call('fast', userRequest('x')).catch((e: unknown) => e);
    expect((err as ProviderError).kind).toBe('rate-limit');
    expect((err as Error).message).toContain('asked to wait 3600 s');
    expect(performance.now() - started).toBeLessThan(1000);
    expect(llm.requests).toHaveLength(1);
  });
});
