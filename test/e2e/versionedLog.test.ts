/**
 * The run folder's files carry a format version and are checked when read (issue 15, "a
 * versioned log"), end to end through the built CLI's `report` command:
 *  - a new run writes `"v":1` on every results.jsonl line;
 *  - a run written by llm-eval 0.1.0 (test/fixtures/run-0.1.0: written by that release's CLI,
 *    before records had a version) still renders;
 *  - a damaged record in the middle of results.jsonl is exit 2 naming file:line, not a crash;
 *  - a record or report.json from a newer format is refused, naming the file.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCliAsync, type CliExit } from '../helpers/spawnCli.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/run-0.1.0', import.meta.url));
const FIXTURE_RUN_ID = '20261201-115618-892cfa';

/** An echo project with three cases (a, b, c) that all pass: the echo model answers with the prompt. */
function echoProject(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'llm-eval-versioned-'));
  mkdirSync(path.join(dir, 'prompts', 'p'), { recursive: true });
  mkdirSync(path.join(dir, 'datasets'));
  writeFileSync(
    path.join(dir, 'llm-eval.yaml'),
    'models:\n  echo: { provider: echo }\nsuites:\n  s:\n    prompt: p\n    dataset: datasets/d.jsonl\n    model: echo\n    graders: [{ type: exact }]\n',
  );
  writeFileSync(path.join(dir, 'prompts', 'p', 'v1.md'), 'Say {{ x }}\n');
  writeFileSync(path.join(dir, 'datasets', 'd.jsonl'), ['a', 'b', 'c'].map((x) => JSON.stringify({ id: x, vars: { x }, expected: `Say ${x}` })).join('\n') + '\n');
  return dir;
}

/** An echo project after a finished run (exit 0), with that run's folder. */
async function finishedRun(): Promise<{ dir: string; runDir: string }> {
  const dir = echoProject();
  expect((await runCliAsync(['run', '--format', 'json'], dir)).code).toBe(0);
  return { dir, runDir: path.join(dir, 'reports', 'latest') };
}

function expectCleanError(r: CliExit): void {
  expect(r.stderr).not.toMatch(/crashed|\n\s+at /);
  expect(r.code, r.stderr).toBe(2);
}

describe('versioned results.jsonl and report.json', () => {
  it('a new run writes "v":1 on every line; a damaged record mid-file is exit 2 naming results.jsonl and the line', { timeout: 60_000 }, async () => {
    const { dir, runDir } = await finishedRun();
    const results = path.join(runDir, 'results.jsonl');
    const lines = readFileSync(results, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect((JSON.parse(line) as { v?: unknown }).v).toBe(1);

    // Line 2 of 3: `pass` as a string, as a hand edit or another tool might leave it.
    const damaged = [lines[0], lines[1]!.replace('"pass":true', '"pass":"yes"'), lines[2]];
    expect(damaged[1]).toContain('"pass":"yes"');
    writeFileSync(results, damaged.join('\n') + '\n');
    const r = await runCliAsync(['report', 'latest', '--format', 'html,junit,md'], dir);
    expectCleanError(r);
    expect(r.stderr).toContain('results.jsonl:2: not a case record llm-eval can read: `pass` is not true or false');
  });

  it('a record from a newer llm-eval is refused with exit 2, naming the line and the version', { timeout: 60_000 }, async () => {
    const { dir, runDir } = await finishedRun();
    const results = path.join(runDir, 'results.jsonl');
    const lines = readFileSync(results, 'utf8').trimEnd().split('\n');
    writeFileSync(results, [lines[0], lines[1], lines[2]!.replace('"v":1', '"v":2')].join('\n') + '\n');
    const r = await runCliAsync(['report', 'latest', '--format', 'junit'], dir);
    expectCleanError(r);
    expect(r.stderr).toContain('results.jsonl:3: not a case record llm-eval can read: it was written by a newer llm-eval (record format 2');
  });

  it('a report.json from a newer llm-eval is refused with exit 2, naming the file', { timeout: 60_000 }, async () => {
    const { dir, runDir } = await finishedRun();
    const reportFile = path.join(runDir, 'report.json');
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(reportFile, JSON.stringify({ ...report, schemaVersion: 2 }));
    const r = await runCliAsync(['report', 'latest', '--format', 'junit'], dir);
    expectCleanError(r);
    expect(r.stderr).toContain('report.json is not an llm-eval report: it was written by a newer llm-eval (report format 2');
  });

  it('a run written by llm-eval 0.1.0 (records without a version) still renders', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'llm-eval-versioned-old-'));
    cpSync(FIXTURE, path.join(dir, 'reports', FIXTURE_RUN_ID), { recursive: true });
    expect(readFileSync(path.join(FIXTURE, 'results.jsonl'), 'utf8')).not.toContain('"v"');
    const r = await runCliAsync(['report', FIXTURE_RUN_ID, '--format', 'junit,md'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('unreadable');
    // The fixture holds case a (output "Say yes", expected "Say yes": passed) and case b
    // (output "Say no", expected "Say maybe": failed), as 0.1.0 graded them.
    const junit = readFileSync(path.join(dir, 'reports', FIXTURE_RUN_ID, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/tests="2"/);
    expect(junit).toMatch(/failures="1"/);
    expect(junit).toContain('Say maybe');
  });
});
