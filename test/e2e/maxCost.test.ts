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
import { KEY_ENV } from '../helpers/fakeLlmProject.js';
import { judgeServer, writeJudgeProject } from '../helpers/judgeProject.js';

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
});

function readReport(dir: string): { status: string; totals: { costUsd: number | null; judgeCostUsd: number | null; cases: number } } {
  return JSON.parse(readFileSync(path.join(dir, 'reports', 'latest', 'report.json'), 'utf8'));
}
