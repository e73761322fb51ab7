/**
 * Bad input around a run never ends in a stack trace, and never after a paid call:
 *  - a reports or cache folder that cannot be written is reported before any call (exit 2).
 *    Tests run as root, where a read-only folder is still writable, so the folder is put under
 *    a regular file (ENOTDIR), which nobody can write;
 *  - `--resume` of something that is not a run, or of a run whose files were damaged, is a
 *    one-line error (exit 2), calling nothing; lines of results.jsonl that are JSON but not case
 *    records are skipped like a torn line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import { runCliAsync, type CliExit } from '../helpers/spawnCli.js';
import { KEY_ENV, caseKeyOf, readResultLines, writeFakeLlmProject } from '../helpers/fakeLlmProject.js';

function expectCleanUsageError(r: CliExit, message: RegExp): void {
  expect(r.stderr).not.toMatch(/crashed|\n\s+at /);
  expect(r.stderr).toMatch(message);
  expect(r.code, r.stderr).toBe(2);
}

describe('bad input around a run', () => {
  let llm: FakeLlm;
  let dir: string;
  beforeAll(async () => {
    llm = await startFakeLlm();
    dir = writeFakeLlmProject({ baseURL: llm.openaiBaseURL, rows: 4 });
  });
  afterAll(() => llm.close());

  it('reports an output folder that cannot be written before any call (exit 2)', { timeout: 60_000 }, async () => {
    const blocker = path.join(dir, 'not-a-folder');
    writeFileSync(blocker, 'a regular file\n');
    llm.reset();
    const under = await runCliAsync(['run', '--out', path.join(blocker, 'reports')], dir, KEY_ENV);
    expectCleanUsageError(under, /Cannot write reports to .*not-a-folder/);
    const itself = await runCliAsync(['run', '--out', blocker], dir, KEY_ENV);
    expectCleanUsageError(itself, /Cannot write reports to .*not-a-folder/);
    expect(llm.requests).toHaveLength(0);
  });

  it('reports a response cache folder that cannot be written before any call (exit 2)', { timeout: 60_000 }, async () => {
    const project = writeFakeLlmProject({ baseURL: llm.openaiBaseURL, rows: 2 });
    writeFileSync(path.join(project, 'blocker'), 'a regular file\n');
    appendFileSync(path.join(project, 'llm-eval.yaml'), 'paths: { cache: blocker/cache }\n');
    llm.reset();
    const r = await runCliAsync(['run'], project, KEY_ENV);
    expectCleanUsageError(r, /Cannot write the response cache to .*blocker.*--cache off/);
    expect(llm.requests).toHaveLength(0);
    // Without a cache the same project runs.
    const off = await runCliAsync(['run', '--cache', 'off', '--format', 'json'], project, KEY_ENV);
    expect(off.code, off.stderr).toBe(0);
    expect(llm.requests).toHaveLength(4);
  });

  it('--resume of a folder that is not a run, or of a damaged run, is a one-line error, calling nothing', { timeout: 60_000 }, async () => {
    llm.reset();
    const missing = await runCliAsync(['run', '--resume', 'no-such-run'], dir, KEY_ENV);
    expectCleanUsageError(missing, /No run found for "no-such-run"/);

    // A folder holding a results.jsonl but no run.json (e.g. copied by hand).
    const stray = path.join(dir, 'stray');
    mkdirSync(stray);
    writeFileSync(path.join(stray, 'results.jsonl'), '');
    const noMeta = await runCliAsync(['run', '--resume', stray], dir, KEY_ENV);
    expectCleanUsageError(noMeta, /run\.json/);

    // A run whose run.json was damaged.
    const broken = path.join(dir, 'broken');
    mkdirSync(broken);
    writeFileSync(path.join(broken, 'run.json'), '{"runId": "x", "options": ');
    const badMeta = await runCliAsync(['run', '--resume', broken], dir, KEY_ENV);
    expectCleanUsageError(badMeta, /run\.json/);
    expect(llm.requests).toHaveLength(0);
  });

  it('resume skips results.jsonl lines that are JSON but not case records', { timeout: 60_000 }, async () => {
    const project = writeFakeLlmProject({ baseURL: llm.openaiBaseURL, rows: 4 });
    // Cache off from the start (a resume keeps the run's cache mode): the resume's requests
    // show exactly which cases it took as unfinished.
    const first = await runCliAsync(['run', '--cache', 'off', '--format', 'json'], project, KEY_ENV);
    expect(first.code, first.stderr).toBe(0);
    const runDir = realpathSync(path.join(project, 'reports', 'latest'));
    const results = path.join(runDir, 'results.jsonl');
    // Keep 5 of the 8 records, with foreign lines among them.
    const lines = readFileSync(results, 'utf8').trimEnd().split('\n');
    writeFileSync(results, [lines[0], 'null', '42', '{}', '"text"', '[1,2]', ...lines.slice(1, 5), '{"suite": 1}'].join('\n') + '\n');
    llm.reset();
    const resumed = await runCliAsync(['run', '--resume', 'latest', '--cache', 'off', '--format', 'json'], project, KEY_ENV);
    expect(resumed.stderr).not.toMatch(/crashed|\n\s+at /);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(llm.requests).toHaveLength(3);
    const records = readResultLines(results).filter((l) => l !== null && typeof l === 'object' && typeof l.suite === 'string');
    expect(new Set(records.map(caseKeyOf)).size).toBe(8);
    const report = JSON.parse(readFileSync(path.join(runDir, 'report.json'), 'utf8')) as { suites: Array<{ variants: Array<{ cases: number }> }> };
    expect(report.suites[0]!.variants.map((v) => v.cases)).toEqual([4, 4]);
  });
});
