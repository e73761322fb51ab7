/**
 * `run --resume` after a provider outage, through the built CLI against the fake LLM server:
 * the cases the outage failed (5xx) are run again, and every report counts each case once, as
 * it ended.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import { runCliAsync } from '../helpers/spawnCli.js';
import { KEY_ENV, readResultLines, requestCase, writeFakeLlmProject } from '../helpers/fakeLlmProject.js';

const ROWS = 6;

describe('--resume after a provider outage', () => {
  let llm: FakeLlm;
  beforeAll(async () => {
    llm = await startFakeLlm();
  });
  afterAll(async () => {
    await llm.close();
  });

  it('retries the cases the outage failed and reports each case once', async () => {
    const dir = writeFakeLlmProject({ baseURL: llm.openaiBaseURL, rows: ROWS, concurrency: 1 });
    // Variant a's provider answers 503 to everything: an outage.
    llm.setBehaviour((r) => (requestCase(r).variant === 'a' ? { type: 'error', status: 503, message: 'overloaded' } : { type: 'answer' }));
    const first = await runCliAsync(['run', '--format', 'json,junit'], dir, KEY_ENV);
    expect(first.code).not.toBe(0);
    const results = path.join(dir, 'reports', 'latest', 'results.jsonl');
    const failedA = readResultLines(results).filter((l) => l.variant === 'a' && l.error);
    expect(failedA.length).toBeGreaterThan(0);

    // The provider is back.
    llm.reset();
    const resumed = await runCliAsync(['run', '--resume', 'latest', '--format', 'json,junit'], dir, KEY_ENV);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    // Every case of a was asked for again (recorded failures and cases never started alike), b not at all.
    const asked = llm.requests.map(requestCase);
    expect(asked.filter((c) => c.variant === 'b')).toEqual([]);
    expect(new Set(asked.map((c) => c.row)).size).toBe(ROWS);

    const report = JSON.parse(readFileSync(path.join(dir, 'reports', 'latest', 'report.json'), 'utf8'));
    const a = report.suites[0].variants.find((v: { name: string }) => v.name === 'a');
    expect(a).toMatchObject({ cases: ROWS, passed: ROWS, errors: 0 });
    expect(report.totals.cases).toBe(2 * ROWS);
    const junit = readFileSync(path.join(dir, 'reports', 'latest', 'junit.xml'), 'utf8');
    expect(junit.match(/<testcase /g)).toHaveLength(2 * ROWS);
    expect(junit).not.toMatch(/overloaded/);
  });
});
