/**
 * The grace period of a stop, through the library: calls still in flight when it runs out are
 * aborted (not recorded, so a resume runs them), and the run still ends with a report marked
 * interrupted instead of waiting on a provider that never answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import { waitUntil } from '../helpers/spawnCli.js';
import { KEY_ENV, readResultLines, writeFakeLlmProject } from '../helpers/fakeLlmProject.js';
import { loadConfig } from '../../src/config/load.js';
import { runEval } from '../../src/runner/runEval.js';

describe('the grace period after a stop', () => {
  let llm: FakeLlm;
  beforeAll(async () => {
    llm = await startFakeLlm();
  });
  afterAll(() => llm.close());

  it('aborts calls that outlive it, records only finished cases, and reports "interrupted"', { timeout: 60_000 }, async () => {
    const ANSWERED = 4;
    const dir = writeFakeLlmProject({ baseURL: llm.openaiBaseURL, rows: 20, concurrency: 2 });
    llm.setBehaviour((req) => (req.index < ANSWERED ? { type: 'answer' } : { type: 'hang' }));
    const config = await loadConfig({ cwd: dir });
    const stop = new AbortController();
    const running = runEval({ config, signal: stop.signal, graceMs: 300, formats: ['json'], env: { ...KEY_ENV } });
    await waitUntil(() => llm.requests.length >= ANSWERED + 2, 'the hung calls');
    const stoppedAt = Date.now();
    stop.abort();
    const outcome = await running;

    expect(Date.now() - stoppedAt, 'ends soon after the grace period').toBeLessThan(10_000);
    expect(outcome.status).toBe('interrupted');
    expect(outcome.exitCode).toBe(3);
    const lines = readResultLines(path.join(outcome.dir, 'results.jsonl'));
    // The hung calls were aborted, not recorded as failures: a resume will run them.
    expect(lines).toHaveLength(ANSWERED);
    for (const l of lines) expect(l.error).toBeNull();
    expect(llm.requests.length).toBe(ANSWERED + 2);
    const report = JSON.parse(readFileSync(path.join(outcome.dir, 'report.json'), 'utf8')) as { status: string };
    expect(report.status).toBe('interrupted');
  });
});
