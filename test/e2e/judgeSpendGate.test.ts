/**
 * Judge spend and the gate, through the built CLI against the fake LLM server: pairwise judge
 * spend counts in gate.maxCostUsd and in --max-cost, a pairwise judge that cannot decide fails
 * the gate, and an unpriced judge makes the cost unknown instead of $0.
 *
 * Every call of the fake server reports 100 input and 20 output tokens (judgeServer), so costs
 * are computed by hand:
 *   candidate a, gpt-4o-mini at the vendor's $0.15 / $0.60 per 1M: 100·0.15e-6 + 20·0.6e-6 = $0.000027
 *   candidate b: price 0
 *   judge at price { input: 1000, output: 1000 } per 1M: 120 · 1000e-6 = $0.12 per call
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import { runCliAsync } from '../helpers/spawnCli.js';
import { KEY_ENV } from '../helpers/fakeLlmProject.js';
import { isJudgeRequest, judgeServer, writeJudgeProject } from '../helpers/judgeProject.js';

const JUDGE_PRICE = { input: 1000, output: 1000 };
const JUDGE_CALL_USD = 0.12;

interface Report {
  status: string;
  gate: { passed: boolean; failures: Array<{ rule: string; message: string }> };
  totals: { judgeCostUsd: number | null };
  suites: Array<{ pairwise?: Array<{ errors: number; cases: number; costUsd: number | null }> }>;
}

function readReport(dir: string): Report {
  return JSON.parse(readFileSync(path.join(dir, 'reports', 'latest', 'report.json'), 'utf8')) as Report;
}

describe('judge spend and the gate (built CLI, fake server)', () => {
  let llm: FakeLlm;
  beforeAll(async () => {
    llm = await startFakeLlm();
  });
  afterAll(async () => {
    await llm.close();
  });

  it('counts pairwise judge spend in gate.maxCostUsd', async () => {
    llm.reset();
    llm.setBehaviour(judgeServer());
    // 4 rows: candidates 4 · $0.000027 = $0.000108; pairwise 4 cases · 2 orders · $0.12 = $0.96.
    const dir = writeJudgeProject({ baseURL: llm.openaiBaseURL, rows: 4, judge: 'pairwise', judgePrice: JUDGE_PRICE, gate: '{ maxCostUsd: 0.5 }' });
    const r = await runCliAsync(['run', '--format', 'json'], dir, KEY_ENV);
    expect(llm.requests.filter(isJudgeRequest)).toHaveLength(8);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const report = readReport(dir);
    expect(report.totals.judgeCostUsd).toBeCloseTo(0.96, 6);
    const failure = report.gate.failures.find((f) => f.rule === 'maxCostUsd');
    expect(failure?.message).toContain('$0.9601');
  });

  it('a --max-cost stop inside pairwise is exit 3, not completed, with the spend reported', async () => {
    llm.reset();
    llm.setBehaviour(judgeServer());
    // 10 rows: pairwise would cost 20 · $0.12 = $2.40, more than the $2 budget.
    const dir = writeJudgeProject({ baseURL: llm.openaiBaseURL, rows: 10, judge: 'pairwise', judgePrice: JUDGE_PRICE });
    const r = await runCliAsync(['run', '--format', 'json', '--max-cost', '2'], dir, KEY_ENV);
    expect(r.code, r.stdout + r.stderr).toBe(3);
    const report = readReport(dir);
    expect(report.status).toBe('budget-exceeded');
    expect(report.gate.passed).toBe(false);
    const judged = llm.requests.filter(isJudgeRequest).length;
    expect(judged).toBeLessThan(20);
    // Every judge call the server answered was paid for, and is in the report.
    expect(report.totals.judgeCostUsd ?? 0).toBeCloseTo(judged * JUDGE_CALL_USD, 6);
    expect(r.stdout + r.stderr).toMatch(/budget/i);
  });

  it('a pairwise judge that errors on every pair fails the gate', async () => {
    llm.reset();
    llm.setBehaviour(judgeServer(() => ({ type: 'answer', text: 'I cannot tell which is better.' })));
    const dir = writeJudgeProject({ baseURL: llm.openaiBaseURL, rows: 3, judge: 'pairwise', judgePrice: JUDGE_PRICE });
    const r = await runCliAsync(['run', '--format', 'json'], dir, KEY_ENV);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const report = readReport(dir);
    expect(report.suites[0]!.pairwise![0]!.errors).toBe(3);
    expect(report.gate.failures.map((f) => f.rule)).toContain('pairwise-undecided');
    expect(r.stdout).toMatch(/could not decide 3 of 3/);
  });

  for (const judge of ['judge', 'pairwise'] as const) {
    it(`an unpriced ${judge} judge makes the cost unknown and fails maxCostUsd`, async () => {
      llm.reset();
      llm.setBehaviour(judgeServer());
      const dir = writeJudgeProject({ baseURL: llm.openaiBaseURL, rows: 3, judge, gate: '{ maxCostUsd: 10 }' });
      const r = await runCliAsync(['run', '--format', 'json'], dir, KEY_ENV);
      expect(llm.requests.filter(isJudgeRequest).length).toBeGreaterThan(0);
      expect(r.code, r.stdout + r.stderr).toBe(1);
      const failure = readReport(dir).gate.failures.find((f) => f.rule === 'maxCostUsd');
      expect(failure?.message).toMatch(/cost is unknown \(no price for a judge model/);
    });
  }
});
