import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import { tempDir } from '../fake-llm/testConfig.js';
import { ProviderError } from '../../src/errors.js';
import { ResponseCache, cacheKey, type CacheEntry } from '../../src/execute/cache.js';
import { createModelCaller } from '../../src/execute/caller.js';
import { ANTHROPIC_KEY, OPENAI_KEY, anthropicModel, makeCaller, openaiModel, userRequest } from './harness.js';

let llm: FakeLlm;
beforeAll(async () => {
  llm = await startFakeLlm();
});
afterAll(() => llm.close());
beforeEach(() => llm.reset());

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => path.join(dir, f))
    .filter((f) => statSync(f).isFile());
}

const identity = { provider: 'openai', model: 'gpt-4o-mini', baseURL: 'https://api.openai.com/v1' };
const base = { identity, messages: [{ role: 'user' as const, content: 'hi' }], params: { temperature: 0, max_tokens: 5 } };

describe('cache key', () => {
  it('ignores key order and keys a plain call like sample 0', () => {
    expect(cacheKey(base)).toBe(cacheKey({ ...base, params: { max_tokens: 5, temperature: 0 }, sample: 0 }));
  });

  it('changes with the model, base URL, messages, params, response format and sample', () => {
    const keys = new Set([
      cacheKey(base),
      cacheKey({ ...base, identity: { ...identity, model: 'gpt-4o' } }),
      cacheKey({ ...base, identity: { ...identity, baseURL: 'http://127.0.0.1:1/v1' } }),
      cacheKey({ ...base, messages: [{ role: 'user', content: 'hi!' }] }),
      cacheKey({ ...base, params: { temperature: 1, max_tokens: 5 } }),
      cacheKey({ ...base, responseFormat: { type: 'object' } }),
      cacheKey({ ...base, sample: 1 }),
    ]);
    expect(keys.size).toBe(7);
  });

  it('does not depend on the API key: two keys share one cached answer', async () => {
    const dir = tempDir();
    const model = openaiModel(llm);
    const a = makeCaller([model], { dir, cache: 'on' });
    await a.caller.call('fast', userRequest('shared'));
    await a.caller.close();
    const b = createModelCaller({ config: a.config, cache: 'on', concurrency: 4, env: { OPENAI_API_KEY: 'sk-test-OTHER-KEY-000000' } });
    const r = await b.call('fast', userRequest('shared'));
    expect(r.cached).toBe(true);
    expect(llm.requests).toHaveLength(1);
  });
});

describe('response cache store', () => {
  function entry(key: string, text: string): CacheEntry {
    return { version: 1, key, createdAt: new Date().toISOString(), model: 'fast', request: base, response: { text, latencyMs: 1 } };
  }

  it('stays one whole entry under many concurrent writes of the same key', async () => {
    const cache = new ResponseCache(tempDir());
    const key = cacheKey(base);
    const texts = Array.from({ length: 50 }, (_, i) => `answer ${i} `.repeat(200));
    await Promise.all(texts.map((t) => cache.set(entry(key, t))));
    const got = await cache.get(key);
    expect(texts).toContain(got!.response.text);
    // No temp file is left behind.
    expect(readdirSync(path.dirname(cache.fileOf(key)))).toEqual([`${key}.json`]);
  });

  it('treats a corrupt, truncated or foreign file as a miss', async () => {
    const cache = new ResponseCache(tempDir());
    const key = cacheKey(base);
    mkdirSync(path.dirname(cache.fileOf(key)), { recursive: true });
    for (const junk of ['{"version": 1, "key": "', 'not json', JSON.stringify(entry('another-key', 'x')), JSON.stringify({ version: 1, key })]) {
      writeFileSync(cache.fileOf(key), junk);
      expect(await cache.get(key)).toBeUndefined();
    }
  });

  it('shards entries by the first two hex chars of the key', () => {
    const cache = new ResponseCache('/c');
    expect(cache.fileOf('ab12cd')).toBe(path.join('/c', 'ab', 'ab12cd.json'));
  });
});

describe('cache modes through the caller', () => {
  it('on: answers a repeated request from the cache, marked cached, cost 0, not counted as spend', async () => {
    const dir = tempDir();
    const { caller } = makeCaller([openaiModel(llm)], { dir, cache: 'on' });
    llm.setBehaviour({ type: 'answer', usage: { input: 1000, output: 100, cachedInput: 0 } });
    const first = await caller.call('fast', userRequest('hello'));
    const second = await caller.call('fast', userRequest('hello'));
    expect(first).toMatchObject({ cached: false, attempts: 1 });
    expect(first.costUsd).toBeGreaterThan(0);
    expect(second).toMatchObject({ text: 'hello', cached: true, costUsd: 0, attempts: 0, usage: first.usage });
    expect(second.latencyMs).toBe(first.latencyMs);
    expect(llm.requests).toHaveLength(1);
    expect(caller.spend().candidateUsd).toBe(first.costUsd);
    expect(caller.stats()).toMatchObject({ liveCalls: 1, cacheHits: 1 });
  });

  it('on: identical requests in flight together cost one call', async () => {
    const slow = await startFakeLlm({ latencyMs: 50 });
    const { caller } = makeCaller([openaiModel(slow)], { cache: 'on' });
    const results = await Promise.all(Array.from({ length: 10 }, () => caller.call('fast', userRequest('same'))));
    await slow.close();
    expect(slow.requests).toHaveLength(1);
    expect(results.filter((r) => !r.cached)).toHaveLength(1);
    expect(results.every((r) => r.text === 'same')).toBe(true);
  });

  it('on: samples of a repeated request are cached apart', async () => {
    const { caller } = makeCaller([openaiModel(llm)], { cache: 'on' });
    let n = 0;
    llm.setBehaviour(() => ({ type: 'answer', text: `sample ${n++}` }));
    const texts = [];
    for (const sample of [0, 1, 2, 0, 1, 2]) texts.push((await caller.call('fast', userRequest('q'), { sample })).text);
    expect(texts).toEqual(['sample 0', 'sample 1', 'sample 2', 'sample 0', 'sample 1', 'sample 2']);
    expect(llm.requests).toHaveLength(3);
  });

  it('on: a corrupt entry is a miss and is rewritten', async () => {
    const dir = tempDir();
    const { caller, config } = makeCaller([openaiModel(llm)], { dir, cache: 'on' });
    await caller.call('fast', userRequest('x'));
    await caller.close();
    const [file] = filesUnder(config.cacheDir);
    writeFileSync(file!, '{"version": 1, "ke');
    const again = makeCaller([openaiModel(llm)], { dir, cache: 'on' }).caller;
    expect((await again.call('fast', userRequest('x'))).cached).toBe(false);
    await again.close();
    expect(JSON.parse(readFileSync(file!, 'utf8'))).toMatchObject({ version: 1, response: { text: 'x' } });
  });

  it('refresh: calls again and overwrites; off: neither reads nor writes', async () => {
    const dir = tempDir();
    llm.setBehaviour({ type: 'answer', text: 'old' });
    const on = makeCaller([openaiModel(llm)], { dir, cache: 'on' });
    await on.caller.call('fast', userRequest('x'));
    await on.caller.close();

    llm.setBehaviour({ type: 'answer', text: 'new' });
    const refresh = makeCaller([openaiModel(llm)], { dir, cache: 'refresh' });
    expect((await refresh.caller.call('fast', userRequest('x'))).text).toBe('new');
    await refresh.caller.close();
    const replay = makeCaller([openaiModel(llm)], { dir, cache: 'replay' });
    expect((await replay.caller.call('fast', userRequest('x'))).text).toBe('new');

    const offDir = tempDir();
    const off = makeCaller([openaiModel(llm)], { dir: offDir, cache: 'off' });
    await off.caller.call('fast', userRequest('x'));
    await off.caller.call('fast', userRequest('x'));
    await off.caller.close();
    expect(filesUnder(off.config.cacheDir)).toEqual([]);
    expect(llm.requests).toHaveLength(4);
  });
});

describe('replay', () => {
  it('answers a recorded run with no key and no server, and lists what is missing', async () => {
    const recorder = await startFakeLlm();
    const dir = tempDir();
    const models = [openaiModel(recorder), anthropicModel(recorder)];
    const questions = ['one', 'two', 'three'];
    const record = makeCaller(models, { dir, cache: 'on' });
    const recorded = [];
    for (const q of questions) {
      recorded.push(await record.caller.call('fast', userRequest(q)));
      recorded.push(await record.caller.call('smart', { ...userRequest(q), responseFormat: { type: 'object' } }));
    }
    await record.caller.close();
    await recorder.close();

    // No key anywhere, and the server is gone: only the cache can answer.
    const replay = createModelCaller({ config: record.config, cache: 'replay', concurrency: 4, env: {} });
    const replayed = [];
    for (const q of questions) {
      replayed.push(await replay.call('fast', userRequest(q)));
      replayed.push(await replay.call('smart', { ...userRequest(q), responseFormat: { type: 'object' } }));
    }
    expect(replayed.map((r) => r.text)).toEqual(recorded.map((r) => r.text));
    expect(replayed.every((r) => r.cached && r.costUsd === 0)).toBe(true);
    expect(replay.stats().liveCalls).toBe(0);

    const miss = await replay.call('fast', userRequest('never recorded')).catch((e: unknown) => e);
    expect(miss).toBeInstanceOf(ProviderError);
    expect((miss as ProviderError).kind).toBe('cache-miss');
    expect((miss as Error).message).toContain('--cache replay');
    expect(replay.replayMisses()).toHaveLength(1);
    expect(replay.replayMisses()[0]).toContain('model "fast"');
    expect(replay.replayMisses()[0]).toContain('never recorded');
    // A miss is not a provider failure.
    expect(replay.providerDown()).toBeNull();
  });
});

describe('secrets', () => {
  it('never writes the API key into the cache, and never puts it in an error message', async () => {
    const dir = tempDir();
    const { caller, config } = makeCaller([openaiModel(llm), anthropicModel(llm)], { dir, cache: 'on' });
    const errors: string[] = [];
    for (const model of ['fast', 'smart']) {
      await caller.call(model, userRequest(`what is my key?`));
      await caller.call(model, { ...userRequest('json please'), responseFormat: { type: 'object' } });
      llm.enqueue({ type: 'error', status: 401 });
      errors.push(await caller.call(model, userRequest('unauthorised')).then(() => '', (e: unknown) => (e as Error).message));
    }
    // A model whose key is missing: the error names the variable, not a value.
    const unset = makeCaller([openaiModel(llm, { apiKeyEnv: 'MY_KEY' })], { dir });
    errors.push(await unset.caller.call('fast', userRequest('x')).then(() => '', (e: unknown) => (e as Error).message));
    await caller.close();

    expect(errors.every((m) => m.length > 0)).toBe(true);
    const files = filesUnder(config.cacheDir);
    expect(files.length).toBe(4);
    for (const text of [...files.map((f) => readFileSync(f, 'utf8')), ...errors, ...caller.warnings()]) {
      expect(text).not.toContain(OPENAI_KEY);
      expect(text).not.toContain(ANTHROPIC_KEY);
    }
    expect(errors.at(-1)).toBe('MY_KEY is not set (needed by model "fast"); export it or set apiKeyEnv');
  });
});
