/**
 * Selecting nothing is exit 2 naming the suite, never "✔ PASSED … 0 cases": an empty dataset,
 * a header-only CSV, a `--filter` that matches no row.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCliAsync } from '../helpers/spawnCli.js';
import { KEY_ENV, writeFakeLlmProject } from '../helpers/fakeLlmProject.js';
import { editFile } from '../helpers/project.js';

/** Nothing listens on port 9: no call may be made anyway. */
const DEAD_URL = 'http://127.0.0.1:9/v1';

describe('a run that selects no case', () => {
  it('an empty JSONL dataset is exit 2 naming the suite and the file', { timeout: 60_000 }, async () => {
    const dir = writeFakeLlmProject({ baseURL: DEAD_URL, rows: 2 });
    writeFileSync(path.join(dir, 'datasets', 'qa.jsonl'), '');
    const r = await runCliAsync(['run'], dir, KEY_ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('datasets/qa.jsonl: suite "qa" selects no cases: the dataset has no rows');
    expect(r.stdout).not.toContain('PASSED');
    expect(existsSync(path.join(dir, 'reports', 'latest'))).toBe(false);
    expect((await runCliAsync(['validate'], dir, {})).code).toBe(2);
  });

  it('a header-only CSV is exit 2 naming the suite', { timeout: 60_000 }, async () => {
    const dir = writeFakeLlmProject({ baseURL: DEAD_URL, rows: 2 });
    writeFileSync(path.join(dir, 'datasets', 'qa.csv'), 'n,question\n');
    editFile(path.join(dir, 'llm-eval.yaml'), (t) => t.replace('datasets/qa.jsonl', 'datasets/qa.csv'));
    const r = await runCliAsync(['run'], dir, KEY_ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('datasets/qa.csv: suite "qa" selects no cases');
  });

  it('--filter matching no row is exit 2 naming the filter and the suite', { timeout: 60_000 }, async () => {
    const dir = writeFakeLlmProject({ baseURL: DEAD_URL, rows: 2 });
    const r = await runCliAsync(['run', '--filter', 'no-such-row'], dir, KEY_ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--filter "no-such-row" matches no row of suite "qa"');
    expect(r.stdout).not.toContain('PASSED');
  });
});
