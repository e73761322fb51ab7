import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDataset } from '../../src/datasets/read.js';
import { ConfigError } from '../../src/errors.js';

/** The line a .json dataset's syntax error is reported at, read by hand from each text below. */
async function syntaxErrorLine(text: string): Promise<number> {
  const dir = await mkdtemp(path.join(tmpdir(), 'llm-eval-json-lines-'));
  const file = path.join(dir, 'rows.json');
  await writeFile(file, text);
  try {
    for await (const row of readDataset(file)) expect(row).toBeDefined();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const issue = (err as ConfigError).issues[0]!;
    expect(issue.file).toBe(file);
    expect(issue.message).toMatch(/^JSON syntax error/);
    return issue.line;
  }
  throw new Error('expected a syntax error');
}

describe('.json dataset syntax errors name their line', () => {
  it('a trailing comma before the closing bracket: the line of the comma', async () => {
    // Line 1 "[", 2 and 3 rows, 4 "]": the comma that has no row after it ends line 3.
    expect(await syntaxErrorLine('[\n{"vars": {"q": 1}},\n{"vars": {"q": 2}},\n]\n')).toBe(3);
  });

  it('an unexpected token that V8 reports without a position (a bare word on line 3)', async () => {
    expect(await syntaxErrorLine('[\n{"vars": {"q": 1}},\nnope\n]\n')).toBe(3);
  });

  it('a NUL byte as the whole file is line 1, never line 0', async () => {
    expect(await syntaxErrorLine('\u0000')).toBe(1);
  });
});
