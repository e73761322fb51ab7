import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import { tempDir, testModel } from '../fake-llm/testConfig.js';
import { ProviderError } from '../../src/errors.js';
import { anthropicModel, makeCaller, openaiModel, userRequest } from './harness.js';

let llm: FakeLlm;
beforeAll(async () => {
  llm = await startFakeLlm();
});
afterAll(() => llm.close());
beforeEach(() => llm.reset());

describe('model caller', () => {
  it('prices a call from its usage, cached input at the cached rate, and keeps judge spend apart', async () => {
    const { caller } = makeCaller([openaiModel(llm, { model: 'gpt-4o-2024-08-06' })]);
    llm.enqueue({ type: 'answer', text: 'a', usage: { input: 1000, cachedInput: 400, output: 500 } });
    const r = await caller.call('fast', userRequest('x'));
    // gpt-4o: 2.50 in, 1.25 cached, 10 out per 1M
    expect(r.costUsd).toBeCloseTo(0.007, 12);
    expect(r).toMatchObject({ cached: false, attempts: 1, usage: { input: 1000, cachedInput: 400, output: 500 } });
    llm.enqueue({ type: 'answer', text: 'b', usage: { input: 100, cachedInput: 0, output: 10 } });
    const j = await caller.call('fast', userRequest('y'), { purpose: 'judge' });
    expect(j.costUsd).toBeCloseTo((100 * 2.5 + 10 * 10) / 1e6, 12);
    expect(caller.spend().candidateUsd).toBeCloseTo(0.007, 12);
    expect(caller.spend().judgeUsd).toBeCloseTo(j.costUsd!, 12);
  });

  it('prices Anthropic usage with cache reads at the cache-hit rate', async () => {
    const { caller } = makeCaller([anthropicModel(llm, { model: 'claude-sonnet-4-5-20250929' })]);
    llm.enqueue({ type: 'answer', text: 'a', usage: { input: 3000, cachedInput: 2000, output: 100 } });
    const r = await caller.call('smart', userRequest('x'));
    expect(r.costUsd).toBeCloseTo((1000 * 3 + 2000 * 0.3 + 100 * 15) / 1e6, 12);
  });

  it('uses the price override of the model and reports null, with one warning, for an unknown model', async () => {
    const priced = testModel('local', { provider: 'openai-compatible', model: 'llama3.1', baseURL: llm.openaiBaseURL, price: { input: 1, output: 2 } });
    const unpriced = testModel('other', { provider: 'openai-compatible', model: 'mystery-1', baseURL: llm.openaiBaseURL });
    const { caller } = makeCaller([priced, unpriced]);
    llm.setBehaviour({ type: 'answer', usage: { input: 1_000_000, output: 1_000_000, cachedInput: 0 } });
    expect((await caller.call('local', userRequest('x'))).costUsd).toBeCloseTo(3, 9);
    expect((await caller.call('other', userRequest('x'))).costUsd).toBeNull();
    expect((await caller.call('other', userRequest('y'))).costUsd).toBeNull();
    expect(caller.warnings().filter((w) => w.includes('model "other"'))).toHaveLength(1);
    expect(caller.spend().candidateUsd).toBeCloseTo(3, 9);
  });

  it('hands the row vars to a script provider and takes its own cost', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'provider.mjs'), 'export default async (prompt, ctx) => ({ output: `${prompt}:${ctx.vars.lang}`, costUsd: 0.25 });\n');
    const { caller, config } = makeCaller([testModel('mine', { provider: 'script', module: 'provider.mjs' })], { dir, cache: 'on' });
    const r = await caller.call('mine', userRequest('hi'), { vars: { lang: 'fr' } });
    expect(r).toMatchObject({ text: 'hi:fr', costUsd: 0.25, cached: false });
    // Local providers are never cached: a second call runs the script again.
    expect((await caller.call('mine', userRequest('hi'), { vars: { lang: 'de' } })).text).toBe('hi:de');
    await caller.close();
    const { readdirSync, existsSync } = await import('node:fs');
    expect(existsSync(config.cacheDir) ? readdirSync(config.cacheDir) : []).toEqual([]);
  });

  it('times out an attempt that does not answer, retries it, and says so when all attempts time out', async () => {
    const { caller } = makeCaller([openaiModel(llm)], { defaults: { timeoutMs: 150, retries: 1 } });
    llm.enqueue({ type: 'hang' });
    const started = performance.now();
    const r = await caller.call('fast', userRequest('late'));
    expect(r).toMatchObject({ text: 'late', attempts: 2 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);

    llm.enqueue({ type: 'hang' }, { type: 'hang' });
    const err = await caller.call('fast', userRequest('never')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).kind).toBe('timeout');
    expect((err as Error).message).toContain('did not answer within 150 ms');
  });

  it.each(['fast', 'smart'])('never returns a partial answer when the timeout strikes mid-stream (%s)', async (name) => {
    const { caller } = makeCaller([openaiModel(llm), anthropicModel(llm)], { defaults: { timeoutMs: 150, retries: 0 } });
    llm.enqueue({ type: 'answer', text: 'a long answer that streams slowly', interChunkDelayMs: 60 });
    const err = await caller.call(name, userRequest('x')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).kind).toBe('timeout');
  });

  it('stops a call in flight when the run is aborted, as aborted (not a failure of the case)', async () => {
    const { caller } = makeCaller([openaiModel(llm)]);
    llm.enqueue({ type: 'hang' });
    const ac = new AbortController();
    const pending = caller.call('fast', userRequest('x'), { signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    const err = await pending.catch((e: unknown) => e);
    expect((err as ProviderError).kind).toBe('aborted');
    expect(caller.providerDown()).toBeNull();
  });

  it('rejects an unknown model name with the configured ones', async () => {
    const { caller } = makeCaller([openaiModel(llm)]);
    await expect(caller.call('nope', userRequest('x'))).rejects.toThrow(/unknown model "nope"; configured: fast/);
  });
});
