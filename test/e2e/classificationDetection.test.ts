/**
 * A suite is a classification suite when the config says so, or when every expected value is
 * one of a small set of short labels that all repeat — not because some short answers repeat.
 * `validate` says why a suite was treated as classification.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCliAsync } from '../helpers/spawnCli.js';
import { writeFakeLlmProject } from '../helpers/fakeLlmProject.js';
import { copyExample, editFile } from '../helpers/project.js';

function setExpected(dir: string, answers: string[]): void {
  const dataset = path.join(dir, 'datasets', 'qa.jsonl');
  const rows = readFileSync(dataset, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  writeFileSync(dataset, rows.map((r, i) => JSON.stringify({ ...r, expected: answers[i] })).join('\n') + '\n');
}

describe('classification detection in validate', () => {
  it('the quickstart ticket suite is classification, and validate says why', { timeout: 60_000 }, async () => {
    const r = await runCliAsync(['validate'], copyExample(), {});
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ticket-routing: .* cases, classification\n\s+classification because every row's expected is one of 5 short labels \(billing, /);
    expect(r.stdout).not.toMatch(/order-extraction: .*classification/);
  });

  it('a QA suite whose short answers happen to repeat is not classification; labels: true makes it one', { timeout: 60_000 }, async () => {
    const dir = writeFakeLlmProject({ baseURL: 'http://127.0.0.1:9/v1', rows: 7 });
    // 3 distinct answers in 7 rows, one of them used once: answers, not a label set.
    setExpected(dir, ['Paris', 'Paris', 'Paris', '4', '4', '4', 'blue whale']);
    const r = await runCliAsync(['validate'], dir, {});
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/qa: 7 rows × 2 variants × 1 repeats = 14 cases\n/);
    expect(r.stdout).not.toContain('classification');

    editFile(path.join(dir, 'llm-eval.yaml'), (t) => t.replace('    repeat: 1', '    repeat: 1\n    labels: true'));
    const forced = await runCliAsync(['validate'], dir, {});
    expect(forced.stdout).toMatch(/qa: .*, classification\n\s+classification because `labels:` in the config/);
  });

  it('labels: false turns detection off for a real label set', { timeout: 60_000 }, async () => {
    const dir = copyExample();
    editFile(path.join(dir, 'llm-eval.yaml'), (t) => t.replace('    gate: { minPassRate: 0.7 }', '    gate: { minPassRate: 0.7 }\n    labels: false'));
    const r = await runCliAsync(['validate'], dir, {});
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('classification');
  });
});
