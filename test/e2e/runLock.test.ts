/**
 * The run folder lock, through the built CLI against the fake LLM server: while one process
 * works on a run, a second `--resume` of it is exit 2 and calls nothing; a lock left by a
 * process killed with SIGKILL is taken over by the next resume.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import { runCliAsync, spawnCli, waitUntil } from '../helpers/spawnCli.js';
import { KEY_ENV, caseKeyOf, readResultLines, writeFakeLlmProject } from '../helpers/fakeLlmProject.js';

const ROWS = 24;

describe('run folder lock (built CLI, fake server)', () => {
  let llm: FakeLlm;
  beforeAll(async () => {
    // Slow answers keep the first process busy while the second one starts.
    llm = await startFakeLlm({ latencyMs: 300 });
  });
  afterAll(async () => {
    await llm.close();
  });

  it('refuses a second process on a run in progress, and takes over the lock of a killed one', async () => {
    const dir = writeFakeLlmProject({ baseURL: llm.openaiBaseURL, rows: ROWS, concurrency: 2 });
    const reports = path.join(dir, 'reports');
    const first = spawnCli(['run', '--format', 'json'], dir, KEY_ENV);
    await waitUntil(() => existsSync(path.join(reports, 'latest', 'run.json')), 'the first run to start');
    await waitUntil(() => llm.requests.length > 0, 'the first call');

    const second = await runCliAsync(['run', '--resume', 'latest', '--format', 'json'], dir, KEY_ENV);
    expect(second.code, second.stdout + second.stderr).toBe(2);
    expect(second.stderr).toMatch(new RegExp(`in use by another llm-eval process \\(pid ${first.child.pid}`));
    // The first process was still working when the second was refused.
    expect(first.hasExited()).toBe(false);

    // Kill the first process mid-run: its lock stays behind, naming a dead pid.
    first.child.kill('SIGKILL');
    await first.exited;
    expect(existsSync(path.join(reports, 'latest', '.lock'))).toBe(true);
    const resumed = await runCliAsync(['run', '--resume', 'latest', '--format', 'json'], dir, KEY_ENV);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    expect(existsSync(path.join(reports, 'latest', '.lock'))).toBe(false);

    // One line per case: nobody wrote a case twice.
    const lines = readResultLines(path.join(reports, 'latest', 'results.jsonl'));
    expect(new Set(lines.map(caseKeyOf)).size).toBe(lines.length);
    expect(lines).toHaveLength(ROWS * 2);
  }, 120_000);
});
