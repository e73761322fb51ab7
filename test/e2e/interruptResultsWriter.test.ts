/**
 * A second Ctrl-C ends the process with `process.exit` at once, and a crash can come at any
 * time: a case the runner has appended must already be in results.jsonl by then, not queued in
 * a stream buffer that dies with the process. Proven on the built writer, in a child process that
 * exits in the same tick as its last append.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../helpers/project.js';

describe('ResultsWriter and an immediate exit', () => {
  it('keeps every appended line whole when the process exits right after appending', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'llm-eval-writer-'));
    const file = path.join(dir, 'results.jsonl');
    const store = pathToFileURL(path.join(repoRoot, 'dist', 'results', 'store.js')).href;
    const script = `
      const { ResultsWriter } = await import(${JSON.stringify(store)});
      const w = new ResultsWriter(${JSON.stringify(file)});
      for (let i = 0; i < 50; i++) w.append({ suite: 's', variant: 'v', caseId: 'c' + i, repeat: 0, output: 'x'.repeat(i * 100) });
      process.exit(3);
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).toBe(3);
    const text = readFileSync(file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const ids = text
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as { caseId: string }).caseId);
    expect(ids).toEqual(Array.from({ length: 50 }, (_, i) => 'c' + i));
  });
});
