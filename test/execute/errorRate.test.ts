import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeLlm, type FakeLlm, type FakeHandler } from '../fake-llm/server.js';
import { ProviderError } from '../../src/errors.js';
import { anthropicModel, makeCaller, openaiModel, settleAll, userRequest } from './harness.js';

/** Fails 20% of requests, chosen by a seeded generator so every run sees the same pattern. */
function twentyPercentErrors(seed = 42): FakeHandler {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    const r = x / 2147483648;
    if (r < 0.1) return { type: 'error', status: 500 };
    if (r < 0.2) return { type: 'rate-limit', retryAfterMs: 5 };
    return { type: 'answer' };
  };
}

let llm: FakeLlm;
beforeAll(async () => {
  llm = await startFakeLlm({ latencyMs: 2 });
});
afterAll(() => llm.close());
beforeEach(() => llm.reset());

describe('a 20% error rate', () => {
  it('without retries: every call ends, answered or failed with its error, and the provider is not declared down', async () => {
    llm.setBehaviour(twentyPercentErrors());
    const { caller } = makeCaller([openaiModel(llm)], { defaults: { retries: 0 }, concurrency: 16 });
    const N = 300;
    const { ok, errors } = await settleAll(Array.from({ length: N }, (_, i) => caller.call('fast', userRequest(`case ${i}`))));
    expect(ok.length + errors.length).toBe(N);
    expect(llm.requests).toHaveLength(N);
    const failedRequests = llm.requests.length - ok.length;
    expect(errors).toHaveLength(failedRequests);
    expect(errors.length / N).toBeGreaterThan(0.1);
    expect(errors.length / N).toBeLessThan(0.3);
    for (const e of errors) expect(['transient', 'rate-limit']).toContain((e as ProviderError).kind);
    // Each answered call got its own answer back.
    expect(new Set(ok.map((r) => r.text)).size).toBe(ok.length);
    expect(caller.providerDown()).toBeNull();
    expect(caller.stats()).toMatchObject({ liveCalls: ok.length, failedCalls: errors.length });
  });

  it('with retries: every call is answered, on both APIs', async () => {
    llm.setBehaviour(twentyPercentErrors(7));
    // 8 retries: a call fails for good with probability 0.2^9 (≈5e-7), so this cannot flake in practice.
    const { caller } = makeCaller([openaiModel(llm), anthropicModel(llm)], { concurrency: 16, defaults: { retries: 8 } });
    const calls = Array.from({ length: 200 }, (_, i) => caller.call(i % 2 ? 'fast' : 'smart', userRequest(`case ${i}`)));
    const { ok, errors } = await settleAll(calls);
    expect(errors).toEqual([]);
    expect(ok.map((r) => r.text).sort()).toEqual(Array.from({ length: 200 }, (_, i) => `case ${i}`).sort());
    expect(llm.requests.length).toBeGreaterThan(200);
    expect(caller.stats().retries).toBe(llm.requests.length - 200);
    expect(caller.providerDown()).toBeNull();
  });
});
