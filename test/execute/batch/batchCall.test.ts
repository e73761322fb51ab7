/**
 * The batch executor's passes through the run's caller (execute/caller.ts) against the fake LLM
 * server's OpenAI files + batches endpoints: a call is released as soon as its request is
 * queued, a queue goes out when full or when the pass ends, and the next pass collects.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeLlm, type FakeLlm } from '../../fake-llm/server.js';
import { makeCaller, openaiModel, settleAll, userRequest } from '../harness.js';
import { BatchPendingError } from '../../../src/execute/batch/batchCall.js';
import { RunAbortedError } from '../../../src/errors.js';

let llm: FakeLlm;
beforeAll(async () => {
  llm = await startFakeLlm();
});
afterAll(async () => {
  await llm.close();
});
beforeEach(() => llm.reset());

function batchCaller(maxRequests: number): { caller: ReturnType<typeof makeCaller>['caller']; runDir: string } {
  const runDir = mkdtempSync(path.join(tmpdir(), 'llm-eval-batchcall-'));
  const { caller } = makeCaller([openaiModel(llm)], {
    batch: { runDir, all: true, models: new Set(), wait: false, pollMs: 10, retry: 'none', maxRequests },
  });
  return { caller, runDir };
}

describe('batch mode passes', () => {
  it('releases each call once its request is queued, and submits a queue when it is full, the rest only when the pass ends', async () => {
    const { caller, runDir } = batchCaller(4);
    const calls = await settleAll(Array.from({ length: 10 }, (_, i) => caller.call('fast', userRequest(`question ${i}`))));
    // Every call ended pending, none waited on a batch being collected: the cases are free.
    expect(calls.ok).toHaveLength(0);
    expect(calls.errors.every((e) => e instanceof BatchPendingError)).toBe(true);
    expect(caller.batchPending()).toBe(10);
    // 10 requests at 4 per batch: two full queues went out; the last 2 wait for the pass end, however long it takes.
    expect(llm.batches.submissions).toBe(2);
    expect(llm.batches.submittedRequests).toBe(8);
    expect(llm.batches.statusReads).toBe(0);
    await caller.batch!.flush();
    expect(llm.batches.submissions).toBe(3);
    expect(llm.batches.submittedRequests).toBe(10);
    // Each batch recorded; no submission intent left behind.
    expect(readdirSync(path.join(runDir, 'batches')).sort().map((n) => path.extname(n))).toEqual(['.json', '.json', '.json']);
  });

  it('answers every call in the next pass from the recorded batches, an identical request asked twice once submitted and answered twice', async () => {
    const { caller } = batchCaller(50);
    const asks = ['a', 'b', 'a', 'c'];
    const first = await settleAll(asks.map((q) => caller.call('fast', userRequest(`question ${q}`))));
    expect(first.errors).toHaveLength(4);
    await caller.batch!.flush();
    expect(llm.batches.submittedRequests).toBe(3);

    caller.batch!.newPass();
    const second = await settleAll(asks.map((q) => caller.call('fast', userRequest(`question ${q}`))));
    expect(second.errors).toEqual([]);
    // The fake server echoes the last user message.
    expect(second.ok.map((r) => r.text)).toEqual(asks.map((q) => `question ${q}`));
    expect(caller.batchPending()).toBe(0);
    expect(llm.batches.submissions).toBe(1);
    // One download of the one batch's output file served all four calls.
    expect(llm.batches.downloads).toBe(1);
  });

  it('under --max-cost queues only the requests whose batch-rate estimate fits, and frees their share as answers are taken', async () => {
    // Output priced at $1000 per 1M tokens, input free; max_tokens 100: an estimate of
    // 100 × 1000 / 1e6 = $0.10 interactive, $0.05 at OpenAI's batch rate (50%). A $0.125 budget
    // holds two requests ($0.10), not three ($0.15).
    const runDir = mkdtempSync(path.join(tmpdir(), 'llm-eval-batchbudget-'));
    const model = openaiModel(llm, { price: { input: 0, output: 1000 } });
    const { caller } = makeCaller([model], { maxCostUsd: 0.125, batch: { runDir, all: true, models: new Set(), wait: false, pollMs: 10, retry: 'none', maxRequests: 50 } });
    const ask = (q: string): Promise<unknown> => caller.call('fast', userRequest(`question ${q}`, { max_tokens: 100 }));
    const first = await settleAll([ask('a'), ask('b')]);
    expect(first.errors.every((e) => e instanceof BatchPendingError)).toBe(true);
    const third = await settleAll([ask('c')]);
    expect(third.errors[0]).toBeInstanceOf(RunAbortedError);
    expect((third.errors[0] as Error).message).toMatch(/budget of \$0\.1250 reached/);
    // The refused request was not queued: two requests go out, and two calls are pending.
    expect(caller.batchPending()).toBe(2);
    await caller.batch!.flush();
    expect(llm.batches.submittedRequests).toBe(2);

    // The next pass takes both answers (echoes: a few output tokens each, far under the estimate),
    // which frees the $0.10 they held: a third request now fits and is queued.
    caller.batch!.newPass();
    const second = await settleAll([ask('a'), ask('b')]);
    expect(second.errors).toEqual([]);
    const again = await settleAll([ask('c')]);
    expect(again.errors[0]).toBeInstanceOf(BatchPendingError);
    await caller.batch!.flush();
    expect(llm.batches.submittedRequests).toBe(3);
  });
});
