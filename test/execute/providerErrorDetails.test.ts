/**
 * What a failed call keeps of the provider's answer, through the real SDKs and the fake server:
 * the request id (to quote to the provider's support), the server's `x-should-retry` word on
 * retrying (openai-node semantics: it overrides the status), and the underlying error as the
 * `cause` of an error that gave up after retries.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import { ProviderError } from '../../src/errors.js';
import { anthropicModel, makeCaller, openaiModel, userRequest } from './harness.js';

let llm: FakeLlm;
beforeAll(async () => {
  llm = await startFakeLlm();
});
afterAll(() => llm.close());
beforeEach(() => llm.reset());

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

describe('provider request ids', () => {
  it('keeps OpenAI’s x-request-id of a failed request', async () => {
    const { caller } = makeCaller([openaiModel(llm)]);
    llm.enqueue({ type: 'error', status: 400, requestId: 'req_openai_7f3a' });
    const err = await failure(caller.call('fast', userRequest('x')));
    expect(err.kind).toBe('bad-request');
    expect(err.requestId).toBe('req_openai_7f3a');
  });

  it('keeps Anthropic’s request-id of a failed request', async () => {
    const { caller } = makeCaller([anthropicModel(llm)]);
    llm.enqueue({ type: 'error', status: 401, requestId: 'req_011CAnthropic' });
    const err = await failure(caller.call('smart', userRequest('x')));
    expect(err.kind).toBe('auth');
    expect(err.requestId).toBe('req_011CAnthropic');
  });

  it('after retries, keeps the last attempt’s request id and that attempt’s error as the cause', async () => {
    const { caller } = makeCaller([openaiModel(llm)], { defaults: { retries: 2 } });
    llm.enqueue(
      { type: 'error', status: 503, requestId: 'req_first' },
      { type: 'error', status: 503, requestId: 'req_second' },
      { type: 'error', status: 503, requestId: 'req_third', message: 'third outage' },
    );
    const err = await failure(caller.call('fast', userRequest('x')));
    expect(err.message).toContain('(after 3 attempts)');
    expect(err.requestId).toBe('req_third');
    const cause = err.cause as ProviderError;
    expect(cause).toBeInstanceOf(ProviderError);
    expect(cause.message).toContain('third outage');
    expect(cause.message).not.toContain('after 3 attempts');
    expect(cause.requestId).toBe('req_third');
  });
});

describe('x-should-retry', () => {
  it('`true` retries a 400, which the status alone never retries', async () => {
    const { caller } = makeCaller([openaiModel(llm)]);
    llm.enqueue({ type: 'error', status: 400, shouldRetry: true });
    const r = await caller.call('fast', userRequest('again'));
    expect(r).toMatchObject({ text: 'again', attempts: 2 });
    expect(llm.requests).toHaveLength(2);
  });

  it('`false` stops retrying a 503 (and a 429), which the status alone retries', async () => {
    const { caller } = makeCaller([openaiModel(llm)], { defaults: { retries: 3 } });
    llm.enqueue({ type: 'error', status: 503, shouldRetry: false });
    const err = await failure(caller.call('fast', userRequest('x')));
    expect(err.kind).toBe('transient');
    expect(llm.requests).toHaveLength(1);

    llm.reset();
    llm.enqueue({ type: 'rate-limit', retryAfterMs: 10, shouldRetry: false });
    const limited = await failure(caller.call('fast', userRequest('y')));
    expect(limited.kind).toBe('rate-limit');
    expect(llm.requests).toHaveLength(1);
  });

  it('is honoured from Anthropic too', async () => {
    const { caller } = makeCaller([anthropicModel(llm)], { defaults: { retries: 3 } });
    llm.enqueue({ type: 'error', status: 529, shouldRetry: false });
    await failure(caller.call('smart', userRequest('x')));
    expect(llm.requests).toHaveLength(1);
  });
});
