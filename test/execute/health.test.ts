import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import { ProviderError } from '../../src/errors.js';
import { EndpointHealth } from '../../src/execute/health.js';
import { makeCaller, openaiModel, userRequest } from './harness.js';

const fail = new ProviderError('transient', 'openai error 500');

describe('endpoint health', () => {
  it('is down after N failures in a row, and a success resets the run', () => {
    const h = new EndpointHealth('openai', { consecutiveFailures: 3, window: 100, failureRate: 1 });
    h.record(true, fail);
    h.record(true, fail);
    h.record(false);
    h.record(true, fail);
    h.record(true, fail);
    expect(h.down()).toBeNull();
    h.record(true, fail);
    expect(h.down()).toMatch(/^openai looks down: 3 calls in a row failed \(last: openai error 500\)/);
  });

  it('is down when the failure rate over a full window reaches the threshold', () => {
    const h = new EndpointHealth('openai', { consecutiveFailures: 100, window: 10, failureRate: 0.5 });
    // Alternating: 4 failures in 9 calls, window not full yet.
    for (let i = 0; i < 9; i++) h.record(i % 2 === 1, fail);
    expect(h.down()).toBeNull();
    h.record(false);
    expect(h.down()).toBeNull(); // 4 of 10
    h.record(true, fail); // the oldest (a success) leaves the window: 5 of 10
    expect(h.down()).toMatch(/^openai looks down: 5 of the last 10 calls failed/);
  });
});

describe('provider-down detection through the caller', () => {
  let llm: FakeLlm;
  beforeAll(async () => {
    llm = await startFakeLlm();
  });
  afterAll(() => llm.close());
  beforeEach(() => llm.reset());

  it('reports the endpoint down after repeated failures and starts no more calls to it', async () => {
    llm.setBehaviour({ type: 'error', status: 500 });
    const { caller } = makeCaller([openaiModel(llm)], { defaults: { retries: 1 }, health: { consecutiveFailures: 5 } });
    for (let i = 0; i < 5; i++) await caller.call('fast', userRequest(`q${i}`)).catch(() => undefined);
    expect(caller.providerDown()).toMatch(/openai:gpt-4o-mini .* looks down: 5 calls in a row failed \(last: openai error 500/);
    const seen = llm.requests.length;
    expect(seen).toBe(10); // 5 calls × 2 attempts
    const err = await caller.call('fast', userRequest('more')).catch((e: unknown) => e);
    // Not started, so not a case failure: the runner leaves it for a resume.
    expect((err as ProviderError).kind).toBe('aborted');
    expect(llm.requests).toHaveLength(seen);
  });

  it('does not count bad requests against the provider', async () => {
    llm.setBehaviour({ type: 'error', status: 400 });
    const { caller } = makeCaller([openaiModel(llm)], { health: { consecutiveFailures: 3 } });
    for (let i = 0; i < 6; i++) await caller.call('fast', userRequest(`q${i}`)).catch(() => undefined);
    expect(caller.providerDown()).toBeNull();
  });

  it('reports a model whose key is missing as down, naming the variable', async () => {
    const { caller } = makeCaller([openaiModel(llm, { apiKeyEnv: 'NOPE_KEY' })], { health: { consecutiveFailures: 3 } });
    for (let i = 0; i < 3; i++) await caller.call('fast', userRequest(`q${i}`)).catch(() => undefined);
    expect(caller.providerDown()).toContain('NOPE_KEY is not set');
    expect(llm.requests).toHaveLength(0);
  });
});
