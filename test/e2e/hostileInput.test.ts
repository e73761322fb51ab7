/**
 * Hostile input and faults (issue 14, part A), end to end through the built CLI: each case is a
 * bad input that once crashed, hung or was silently changed, and must now give a clear answer
 * with the right exit code (2 for bad input, 1 for a failed gate) in bounded time.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCliAsync } from '../helpers/spawnCli.js';

/** A throwaway project: every key of `files` is a path inside it, its value the file's text. */
function project(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'llm-eval-hostile-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

/** One echo suite `s` over datasets/d.jsonl with prompt `p`; the echo model answers with the prompt. */
function echoConfig(graders = '[{ type: exact }]', extra = ''): string {
  return `models:\n  echo: { provider: echo }\nsuites:\n  s:\n    prompt: p\n    dataset: datasets/d.jsonl\n    model: echo\n    graders: ${graders}\n${extra}`;
}

function resultLines(dir: string): Array<Record<string, unknown>> {
  return readFileSync(path.join(dir, 'reports', 'latest', 'results.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('hangs: a catastrophic regex', () => {
  it('a regex grader that backtracks forever errors the case (naming the pattern) and the run exits 1', { timeout: 120_000 }, async () => {
    // ^(a+)+$ on 40 "a"s and "!": ~2^40 backtracking steps, minutes of a blocked event loop before.
    const dir = project({
      'llm-eval.yaml': echoConfig("[{ type: regex, pattern: '^(a+)+$' }]"),
      'prompts/p/v1.md': '{{ text }}\n',
      'datasets/d.jsonl': `${JSON.stringify({ id: 'bomb', vars: { text: `${'a'.repeat(40)}!` } })}\n${JSON.stringify({ id: 'fine', vars: { text: 'aaaa' } })}\n`,
    });
    const r = await runCliAsync(['run', '--format', 'json'], dir, {}, 100_000);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    const byId = Object.fromEntries(resultLines(dir).map((l) => [l['caseId'], l]));
    expect(JSON.stringify(byId['bomb'])).toContain('/^(a+)+$/');
    expect(JSON.stringify(byId['bomb'])).toMatch(/took longer than/);
    expect(byId['fine']?.['pass']).toBe(true);
  });
});
