import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import { RunAbortedError } from '../../src/errors.js';
import { BUDGET_EXCEEDED, Budget, CostEstimator } from '../../src/execute/budget.js';
import { makeCaller, openaiModel, settleAll, userRequest } from './harness.js';

describe('budget', () => {
  it('reserves before a call and settles with the actual cost', () => {
    const b = new Budget(1);
    const r1 = b.reserve(0.4, 'model "m"');
    const r2 = b.reserve(0.4, 'model "m"');
    expect(() => b.reserve(0.3, 'model "m"')).toThrow(RunAbortedError);
    b.settle(r1, 0.1);
    b.settle(r2, null);
    expect(b.state()).toEqual({ limitUsd: 1, spentUsd: 0.1, reservedUsd: 0 });
    expect(b.reserve(0.85, 'model "m"').usd).toBe(0.85);
    expect(() => b.reserve(0.1, 'model "m"')).toThrow(/budget of \$1\.00 reached: spent \$0\.1000, \$0\.8500 reserved/);
  });

  it('refuses with the BUDGET_EXCEEDED code and exit code 3', () => {
    const err = (() => {
      try {
        new Budget(0).reserve(0.01, 'model "m"');
      } catch (e) {
        return e as RunAbortedError;
      }
    })();
    expect(err).toMatchObject({ code: BUDGET_EXCEEDED, exitCode: 3 });
  });

  it('reserves max_tokens when the request sets it, else the mean output observed so far', () => {
    const est = new CostEstimator({ input: 1_000_000, output: 1_000_000 }); // $1 per token
    // 30 chars at 3 chars/token + 10 framing, and 5 output tokens from max_tokens.
    expect(est.estimate(30, { max_tokens: 5 })).toBeCloseTo(10 + 10 + 5, 9);
    // Before any answer and without a cap: the 256-token default.
    expect(est.estimate(30, {})).toBeCloseTo(10 + 10 + 256, 9);
    est.learn(30, { input: 15, output: 2, cachedInput: 0 });
    // Learnt: 15 input tokens for 30 chars (+10 framing). The cap still bounds a capped request...
    expect(est.estimate(30, { max_tokens: 5 })).toBeCloseTo(15 + 10 + 5, 9);
    // ...and an uncapped one reserves the observed mean of 2 output tokens.
    expect(est.estimate(30, {})).toBeCloseTo(15 + 10 + 2, 9);
  });
});

describe('--max-cost through the caller', () => {
  let llm: FakeLlm;
  beforeAll(async () => {
    llm = await startFakeLlm({ latencyMs: 10 });
  });
  afterAll(() => llm.close());
  beforeEach(() => {
    llm.reset();
    // $0.001 per token in and out: each call below costs 20 tokens = $0.02.
    llm.setBehaviour({ type: 'answer', usage: { input: 10, output: 10, cachedInput: 0 } });
  });
  const model = () => openaiModel(llm, { price: { input: 1000, output: 1000 }, params: {} });

  it('stops starting calls before the estimated spend would pass the budget', async () => {
    const { caller } = makeCaller([model()], { maxCostUsd: 0.1 });
    let done = 0;
    let stoppedBy: unknown;
    for (let i = 0; i < 20; i++) {
      try {
        await caller.call('fast', userRequest('hello', { max_tokens: 10 }));
        done++;
      } catch (e) {
        stoppedBy = e;
        break;
      }
    }
    expect(stoppedBy).toBeInstanceOf(RunAbortedError);
    expect((stoppedBy as RunAbortedError).code).toBe(BUDGET_EXCEEDED);
    expect(done).toBeGreaterThanOrEqual(3);
    expect(llm.requests).toHaveLength(done);
    expect(caller.spend().candidateUsd).toBeLessThanOrEqual(0.1);
  });

  it('holds under concurrency: calls in flight count against the budget', async () => {
    const { caller } = makeCaller([model()], { maxCostUsd: 0.1, concurrency: 32 });
    const { ok, errors } = await settleAll(Array.from({ length: 40 }, () => caller.call('fast', userRequest('hello', { max_tokens: 10 }))));
    expect(ok.length + errors.length).toBe(40);
    expect(errors.every((e) => e instanceof RunAbortedError)).toBe(true);
    expect(ok.length).toBeGreaterThan(0);
    expect(caller.spend().candidateUsd).toBeLessThanOrEqual(0.1);
    expect(llm.requests).toHaveLength(ok.length);
  });

  it('counts judge calls against the same budget', async () => {
    const { caller } = makeCaller([model()], { maxCostUsd: 0.05 });
    await caller.call('fast', userRequest('hello', { max_tokens: 10 }));
    await caller.call('fast', userRequest('hello', { max_tokens: 10 }), { purpose: 'judge' });
    await expect(caller.call('fast', userRequest('hello', { max_tokens: 10 }))).rejects.toBeInstanceOf(RunAbortedError);
    expect(caller.spend()).toEqual({ candidateUsd: expect.closeTo(0.02, 9), judgeUsd: expect.closeTo(0.02, 9) });
  });
});
