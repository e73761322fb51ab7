/**
 * `--max-cost` through the built CLI against the fake LLM server: a budget over a model without
 * a price cannot be enforced (exit 2 before any call); paid answers are recorded and counted
 * when the budget stops the run; reservations follow max_tokens or the observed output.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import { runCliAsync } from '../helpers/spawnCli.js';
import { KEY_ENV, readResultLines } from '../helpers/fakeLlmProject.js';
import { isJudgeRequest, judgeServer, writeJudgeProject } from '../helpers/judgeProject.js';

describe('--max-cost (built CLI, fake server)', () => {
  let llm: FakeLlm;
  beforeAll(async () => {
    llm = await startFakeLlm();
  });
  afterAll(async () => {
    await llm.close();
  });

  it('refuses a budget over an unpriced model before any call (exit 2), and runs once it has a price', async () => {
    llm.reset();
    llm.setBehaviour(judgeServer());
    const unpriced = writeJudgeProject({ baseURL: llm.openaiBaseURL, rows: 3, judge: 'judge' });
    const r = await runCliAsync(['run', '--max-cost', '5'], unpriced, KEY_ENV);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(/--max-cost cannot be enforced: no price is known for model "judge"/);
    expect(r.stderr).toMatch(/price:/);
    expect(llm.requests).toHaveLength(0);

    const priced = writeJudgeProject({ baseURL: llm.openaiBaseURL, rows: 3, judge: 'judge', judgePrice: { input: 1, output: 1 } });
    const ok = await runCliAsync(['run', '--max-cost', '5'], priced, KEY_ENV);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(llm.requests.length).toBeGreaterThan(0);
  });

  it('records and counts the paid answers of cases whose judge the budget refused, and says the real spend', async () => {
    llm.reset();
    llm.setBehaviour(judgeServer());
    // Candidate a: gpt-4o-mini at the table price, $0.000027 a call; the judge: $0.12 a call.
    // The budget runs out on judge calls, after their cases' answers arrived.
    // 20 cases would cost 20 · ($0.000027 + $0.12) ≈ $2.40: more than the $1.50 budget.
    const dir = writeJudgeProject({ baseURL: llm.openaiBaseURL, rows: 20, judge: 'judge', judgePrice: { input: 1000, output: 1000 }, singleVariant: true });
    const r = await runCliAsync(['run', '--max-cost', '1.5', '--format', 'json'], dir, KEY_ENV);
    expect(r.code, r.stdout + r.stderr).toBe(3);
    const candidateCalls = llm.requests.filter((q) => !isJudgeRequest(q)).length;
    const judgeCalls = llm.requests.filter(isJudgeRequest).length;
    const lines = readResultLines(path.join(dir, 'reports', 'latest', 'results.jsonl'));
    // Every answer the server sent is in results.jsonl.
    expect(lines).toHaveLength(candidateCalls);
    expect(lines.some((l) => l.error?.kind === 'budget')).toBe(true);
    const report = readReport(dir);
    expect(report.status).toBe('budget-exceeded');
    const spent = candidateCalls * 0.000027 + judgeCalls * 0.12;
    expect((report.totals.costUsd ?? 0) + (report.totals.judgeCostUsd ?? 0)).toBeCloseTo(spent, 6);
    expect(spent).toBeLessThanOrEqual(1.5);
    expect(judgeCalls).toBeGreaterThan(0);
    expect(r.stdout + r.stderr).toContain(`in all the run spent $${spent.toFixed(spent < 1 ? 4 : 2)}`);
  });

  it('reserves max_tokens per call, so answers longer than the first ones cannot overrun the budget', async () => {
    llm.reset();
    // The first 4 answers are short (20 output tokens), the rest long (1000, the max_tokens cap).
    // At $1000 per 1M tokens: a short call costs (100 + 20) / 1000 = $0.12, a long one $1.10.
    let answered = 0;
    llm.setBehaviour(() => ({ type: 'answer', usage: { input: 100, output: answered++ < 4 ? 20 : 1000, cachedInput: 0 } }));
    const dir = writeJudgeProject({
      baseURL: llm.openaiBaseURL,
      rows: 12,
      candidatePrice: { input: 1000, output: 1000 },
      candidateParams: { max_tokens: 1000 },
      singleVariant: true,
      concurrency: 4,
    });
    const r = await runCliAsync(['run', '--max-cost', '3', '--format', 'json'], dir, KEY_ENV);
    expect(r.code, r.stdout + r.stderr).toBe(3);
    const calls = llm.requests.length;
    const spent = Math.min(calls, 4) * 0.12 + Math.max(0, calls - 4) * 1.1;
    expect(readReport(dir).totals.costUsd).toBeCloseTo(spent, 6);
    expect(spent).toBeLessThanOrEqual(3);
    // The budget is used, not abandoned early: another long call would not have fit.
    expect(spent + 1.1).toBeGreaterThan(3);
  });
});

function readReport(dir: string): { status: string; totals: { costUsd: number | null; judgeCostUsd: number | null; cases: number } } {
  return JSON.parse(readFileSync(path.join(dir, 'reports', 'latest', 'report.json'), 'utf8'));
}
