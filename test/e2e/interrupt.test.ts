/**
 * Ctrl-C, end to end through the built CLI against the fake LLM server:
 *  - the first SIGINT stops starting calls, lets the calls in flight finish, writes a report
 *    marked interrupted and exits 3; `--resume latest` then finishes the run;
 *  - a second signal exits at once, with every finished case in results.jsonl, whole.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import { runCliAsync, spawnCli, waitUntil } from '../helpers/spawnCli.js';
import { KEY_ENV, caseKeyOf, readResultLines, writeFakeLlmProject } from '../helpers/fakeLlmProject.js';

/** Lines that parse so far (a poll, while the run may be writing). */
function finishedLines(file: string): number {
  if (!existsSync(file)) return 0;
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => {
      try {
        JSON.parse(l);
        return true;
      } catch {
        return false;
      }
    }).length;
}

describe('interrupting a run', () => {
  let llm: FakeLlm;
  beforeAll(async () => {
    llm = await startFakeLlm();
  });
  afterAll(() => llm.close());

  it('first SIGINT: stops starting calls, finishes those in flight, reports "interrupted", exits 3; resume finishes', { timeout: 90_000 }, async () => {
    const ROWS = 30;
    const CONCURRENCY = 4;
    const dir = writeFakeLlmProject({ baseURL: llm.openaiBaseURL, rows: ROWS, concurrency: CONCURRENCY });
    llm.reset();
    // Slow answers: calls are in flight when the signal lands, and finish well within the grace period.
    llm.setLatency(400);
    const cli = spawnCli(['run', '--format', 'json'], dir, KEY_ENV);
    await waitUntil(() => llm.requests.length >= 6, 'the first calls');
    const askedAtSignal = llm.requests.length;
    cli.child.kill('SIGINT');
    const exit = await cli.exited;
    llm.setLatency(0);

    expect(exit.stderr).toMatch(/SIGINT: stopping/);
    expect(exit.stderr).not.toMatch(/crashed|\n\s+at /);
    expect(exit.code, exit.stderr).toBe(3);
    // Stopped starting: at most the calls already on their way when the signal landed.
    const asked = llm.requests.length;
    expect(asked).toBeLessThanOrEqual(askedAtSignal + 2 * CONCURRENCY);
    expect(asked).toBeLessThan(ROWS * 2);

    const runDir = path.join(dir, 'reports', 'latest');
    const report = JSON.parse(readFileSync(path.join(runDir, 'report.json'), 'utf8')) as {
      status: string;
      gate: { passed: boolean; failures: Array<{ rule: string }> };
    };
    expect(report.status).toBe('interrupted');
    expect(report.gate.passed).toBe(false);
    expect(report.gate.failures.map((f) => f.rule)).toContain('run-incomplete');
    // Every call that was started finished and was recorded: none was abandoned.
    const lines = readResultLines(path.join(runDir, 'results.jsonl'));
    expect(lines).toHaveLength(asked);
    for (const l of lines) expect(l.error, JSON.stringify(l.error)).toBeNull();

    // The interrupted run resumes to the end, calling only what it had not done.
    llm.reset();
    const resumed = await runCliAsync(['run', '--resume', 'latest', '--format', 'json'], dir, KEY_ENV);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(llm.requests.length).toBe(ROWS * 2 - asked);
    const all = readResultLines(path.join(runDir, 'results.jsonl'));
    expect(new Set(all.map(caseKeyOf)).size).toBe(ROWS * 2);
    expect(all).toHaveLength(ROWS * 2);
    expect(JSON.parse(readFileSync(path.join(runDir, 'report.json'), 'utf8')).status).toBe('completed');
  });

  it('a second signal exits at once, with results.jsonl whole', { timeout: 60_000 }, async () => {
    const ANSWERED = 6;
    const dir = writeFakeLlmProject({ baseURL: llm.openaiBaseURL, rows: 20, concurrency: 2 });
    llm.reset();
    // The first calls are answered; every later one hangs, as a stuck provider would.
    llm.setBehaviour((req) => (req.index < ANSWERED ? { type: 'answer' } : { type: 'hang' }));
    const cli = spawnCli(['run', '--format', 'json'], dir, KEY_ENV);
    const results = (): string => path.join(dir, 'reports', 'latest', 'results.jsonl');
    await waitUntil(() => llm.requests.length >= ANSWERED + 2 && existsSync(results()) && finishedLines(results()) >= ANSWERED, 'the answered cases');

    // SIGTERM counts as the first Ctrl-C; the hung calls keep the run waiting in its grace period.
    cli.child.kill('SIGTERM');
    await waitUntil(() => /stopping/.test(cli.stderr()), 'the stopping message');
    expect(cli.hasExited()).toBe(false);
    const second = Date.now();
    cli.child.kill('SIGINT');
    const exit = await cli.exited;

    expect(Date.now() - second, 'exits at once, without waiting out the grace period').toBeLessThan(8_000);
    expect(exit.code, exit.stderr).toBe(3);
    expect(exit.stderr).toMatch(/SIGINT: quitting now/);
    expect(exit.stderr).not.toMatch(/crashed|\n\s+at /);
    const lines = readResultLines(results());
    expect(lines).toHaveLength(ANSWERED);
    for (const l of lines) expect(l.output).toMatch(/^Question q\d+:/);
  });
});
