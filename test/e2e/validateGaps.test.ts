/**
 * `validate` (and `run`, before any call) reject what would otherwise error every case at run
 * time, as FILE:LINE, exit 2: a grader template with an unknown Liquid filter, a malformed
 * JSONPath, and a grader or judge that needs a reference meeting a dataset row with no
 * `expected` (named at its dataset line).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCliAsync } from '../helpers/spawnCli.js';
import { fakeLlmProjectWithGrader, KEY_ENV } from '../helpers/fakeLlmProject.js';
import { lineContaining as lineOf } from '../helpers/project.js';

/** Nothing listens on port 9: a call would fail, but no call may be made. */
const DEAD_URL = 'http://127.0.0.1:9/v1';


function projectWithGrader(grader: string): { dir: string; config: string } {
  return fakeLlmProjectWithGrader(grader, { baseURL: DEAD_URL, rows: 3 });
}

async function expectRejected(dir: string, where: string, message: RegExp): Promise<void> {
  const v = await runCliAsync(['validate'], dir, {});
  expect(v.code, v.stdout + v.stderr).toBe(2);
  expect(v.stderr).toContain(where);
  expect(v.stderr).toMatch(message);
  const r = await runCliAsync(['run'], dir, KEY_ENV);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(where);
  expect(existsSync(path.join(dir, 'reports', 'latest'))).toBe(false);
}

describe('validate catches what would error every case', () => {
  it('a grader value with an unknown Liquid filter', { timeout: 60_000 }, async () => {
    const { dir, config } = projectWithGrader('{ type: contains, value: "{{ n | upcasee }}" }');
    await expectRejected(dir, `llm-eval.yaml:${lineOf(config, 'upcasee')}:`, /undefined filter: upcasee/);
  });

  it('a malformed JSONPath', { timeout: 60_000 }, async () => {
    const { dir, config } = projectWithGrader('{ type: json-path, path: "$.answer[0", value: "x" }');
    await expectRejected(dir, `llm-eval.yaml:${lineOf(config, '$.answer[0')}:`, /not a valid JSONPath: unclosed `\[`/);
  });

  it('builtin: factuality on a row with no expected, named at its dataset line', { timeout: 60_000 }, async () => {
    const { dir } = projectWithGrader('{ type: judge, model: gpt, builtin: factuality }');
    const dataset = path.join(dir, 'datasets', 'qa.jsonl');
    // Rows 1 and 3 get an expected answer; row 2 (line 2) has none.
    const lines = readFileSync(dataset, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    lines[0]!['expected'] = 'q000';
    lines[2]!['expected'] = 'q002';
    writeFileSync(dataset, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    await expectRejected(dir, 'datasets/qa.jsonl:2: row q001 has no `expected`', /builtin: factuality\) judges against a reference answer/);
    const v = await runCliAsync(['validate'], dir, {});
    expect(v.stderr).not.toContain('qa.jsonl:1:');
    expect(v.stderr).not.toContain('qa.jsonl:3:');
  });

  it('an exact grader without value on rows with no expected; with a value the rows are fine', { timeout: 60_000 }, async () => {
    const { dir } = projectWithGrader('{ type: exact }');
    await expectRejected(dir, 'datasets/qa.jsonl:1: row q000 has no `expected`', /grader exact has no `value`/);

    const fine = projectWithGrader('{ type: exact, value: "Question {{ n }}: {{ question }}" }');
    const v = await runCliAsync(['validate'], fine.dir, {});
    expect(v.code, v.stderr).toBe(0);
  });
});
