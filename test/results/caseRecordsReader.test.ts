/**
 * results.jsonl read by several report writers (`caseRecordsReader`): every read yields the
 * newest record of each case once, in file order, whether it is the first read (which finds the
 * newest lines) or a later one (which reuses what the first found). Damaged records are a
 * FILE:LINE error on any read.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseRecordsReader, readCaseRecords } from '../../src/results/store.js';
import { ConfigError } from '../../src/errors.js';

function line(caseId: string, output: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    v: 1, suite: 's', variant: 'v', caseId, repeat: 0, vars: {}, prompt: { name: 'p', version: 'v1', hash: 'h' }, model: 'echo',
    output, pass: true, score: 1, grades: [], tokens: null, costUsd: 0, latencyMs: 1, cached: false, error: null, ...extra,
  });
}

function resultsFile(lines: string[]): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'llm-eval-reader-')), 'results.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

async function outputs(cases: AsyncIterable<{ caseId: string; output: string | null }>): Promise<string[]> {
  const seen: string[] = [];
  for await (const r of cases) seen.push(`${r.caseId}=${r.output}`);
  return seen;
}

describe('caseRecordsReader', () => {
  it('every read yields the newest record of each case: a retried case once, as it ended; a torn line counted per read', async () => {
    // Line 2 (case b, first try) is superseded by line 4 (case b, retried by a resume).
    const file = resultsFile([line('a', 'A'), line('b', 'first try'), line('c', 'C'), line('b', 'retried'), '{"torn']);
    const bad: number[] = [];
    const cases = caseRecordsReader(file, (n) => bad.push(n));
    const expected = ['a=A', 'c=C', 'b=retried'];
    expect(await outputs(cases())).toEqual(expected);
    expect(await outputs(cases())).toEqual(expected);
    expect(await outputs(cases())).toEqual(expected);
    expect(bad).toEqual([5, 5, 5]);
    expect(await outputs(readCaseRecords(file))).toEqual(expected);
  });

  it('a damaged record is a ConfigError at its line on the first read and on later reads', async () => {
    const file = resultsFile([line('a', 'A'), line('b', 'B', { score: 'high' })]);
    const cases = caseRecordsReader(file);
    for (let i = 0; i < 2; i++) {
      const err: unknown = await outputs(cases()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).issues[0]).toMatchObject({ file, line: 2 });
      expect((err as ConfigError).message).toContain('`score` is not a number');
    }
  });
});
