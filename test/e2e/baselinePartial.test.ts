/**
 * Baselines of incomplete runs, through the built CLI against the fake LLM server: `baseline
 * save` refuses a run that did not finish or covered one shard (exit 2) unless --allow-partial,
 * and a run gated against a baseline lists the cases the baseline lacks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import { runCliAsync } from '../helpers/spawnCli.js';
import { KEY_ENV, rowName, writeFakeLlmProject } from '../helpers/fakeLlmProject.js';
import { judgeServer, writeJudgeProject } from '../helpers/judgeProject.js';

describe('baselines of incomplete runs (built CLI, fake server)', () => {
  let llm: FakeLlm;
  beforeAll(async () => {
    llm = await startFakeLlm();
  });
  afterAll(async () => {
    await llm.close();
  });

  it('refuses to save a baseline from a run the budget stopped, unless --allow-partial', async () => {
    llm.reset();
    llm.setBehaviour(judgeServer());
    // Each call to a costs 120 tokens · $1000/1M = $0.12 and reserves more (256 output tokens
    // expected): a $0.30 budget stops the run after a few of its 6 cases.
    const dir = writeJudgeProject({ baseURL: llm.openaiBaseURL, rows: 6, candidatePrice: { input: 1000, output: 1000 }, singleVariant: true, concurrency: 1 });
    const run = await runCliAsync(['run', '--max-cost', '0.3', '--format', 'json'], dir, KEY_ENV);
    expect(run.code, run.stdout + run.stderr).toBe(3);
    const file = path.join(dir, 'reports', 'baseline.json');

    const refused = await runCliAsync(['baseline', 'save'], dir, KEY_ENV);
    expect(refused.code, refused.stdout + refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(/did not finish \(budget-exceeded\)/);
    expect(refused.stderr).toMatch(/--allow-partial/);
    expect(existsSync(file)).toBe(false);

    const partial = await runCliAsync(['baseline', 'save', '--allow-partial'], dir, KEY_ENV);
    expect(partial.code, partial.stdout + partial.stderr).toBe(0);
    expect(partial.stdout).toMatch(/warning: partial baseline/);
    expect(existsSync(file)).toBe(true);
  });

  it('refuses a one-shard run', async () => {
    llm.reset();
    const dir = writeFakeLlmProject({ baseURL: llm.openaiBaseURL, rows: 6 });
    expect((await runCliAsync(['run', '--shard', '1/2', '--format', 'json'], dir, KEY_ENV)).code).toBe(0);
    const refused = await runCliAsync(['baseline', 'save'], dir, KEY_ENV);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/covered shard 1\/2 only/);
  });

  it('lists the cases missing from the baseline when gating against it', async () => {
    llm.reset();
    const dir = writeFakeLlmProject({ baseURL: llm.openaiBaseURL, rows: 4 });
    expect((await runCliAsync(['run', '--format', 'json'], dir, KEY_ENV)).code).toBe(0);
    expect((await runCliAsync(['baseline', 'save'], dir, KEY_ENV)).code).toBe(0);
    // Two rows added after the baseline was saved.
    const extra = [4, 5].map((i) => JSON.stringify({ id: rowName(i), vars: { n: rowName(i), question: `what is ${i} + ${i}?` } }));
    appendFileSync(path.join(dir, 'datasets', 'qa.jsonl'), extra.join('\n') + '\n');
    const r = await runCliAsync(['run', '--baseline', 'reports/baseline.json', '--format', 'json'], dir, KEY_ENV);
    const report = JSON.parse(readFileSync(path.join(dir, 'reports', 'latest', 'report.json'), 'utf8'));
    const listed = (report.warnings as string[]).filter((w) => /missing from baseline/.test(w));
    expect(listed).toHaveLength(2); // variants a and b
    for (const w of listed) expect(w).toMatch(/2 case\(s\) missing from baseline .*: q004, q005/);
    expect(r.stdout + r.stderr).toMatch(/missing from baseline/);
  });
});
