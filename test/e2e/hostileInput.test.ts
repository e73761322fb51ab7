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

describe('bounds on flags and templates', () => {
  it('--concurrency 1e9 is refused with the bound, exit 2, before anything runs', async () => {
    const dir = project({ 'llm-eval.yaml': echoConfig(), 'prompts/p/v1.md': 'hi {{ x }}\n', 'datasets/d.jsonl': '{"vars":{"x":1}}\n' });
    const r = await runCliAsync(['run', '--concurrency', '1e9'], dir, {}, 30_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--concurrency takes a whole number from 1 to 1024, not "1e9"');
  });

  it('a Liquid loop bomb in a prompt is a validation error naming the prompt file and line, exit 2', { timeout: 60_000 }, async () => {
    const dir = project({
      'llm-eval.yaml': echoConfig(),
      'prompts/p/v1.md': 'Hello {{ x }}\n{% for i in (1..100000000) %}x{% endfor %}\n',
      'datasets/d.jsonl': '{"vars":{"x":1}}\n',
    });
    const r = await runCliAsync(['validate'], dir, {}, 50_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/memory alloc limit exceeded/);
    expect(r.stderr).toContain(`${path.join(dir, 'prompts', 'p', 'v1.md')}:2`);
  });
});

describe('datasets: input that used to crash or be silently changed', () => {
  const withDataset = (name: string, content: string | Buffer) =>
    project({ 'llm-eval.yaml': echoConfig().replace('datasets/d.jsonl', `datasets/${name}`), 'prompts/p/v1.md': 'hi {{ x }}\n', [`datasets/${name}`]: content });

  it('a dataset that is a symlink to /dev/zero (one endless line) is a FILE:LINE error, exit 2', { timeout: 60_000 }, async () => {
    const dir = withDataset('d.jsonl', '');
    const { rmSync, symlinkSync } = await import('node:fs');
    rmSync(path.join(dir, 'datasets', 'd.jsonl'));
    symlinkSync('/dev/zero', path.join(dir, 'datasets', 'd.jsonl'));
    const r = await runCliAsync(['validate'], dir, {}, 50_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('datasets/d.jsonl:1: line 1 is longer than 64 MB');
  });

  it('non-UTF-8 bytes in a .jsonl or .csv row are a FILE:LINE error, not U+FFFD', async () => {
    // "café" in Latin-1: é is the single byte 0xE9, invalid as UTF-8.
    const latin1 = (s: string) => Buffer.from(s, 'latin1');
    const jsonl = withDataset('d.jsonl', latin1('{"vars":{"x":"ok"}}\n{"vars":{"x":"café"}}\n'));
    const r1 = await runCliAsync(['validate'], jsonl);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toContain('datasets/d.jsonl:2: not valid UTF-8');
    const csv = withDataset('d.csv', latin1('x\nok\ncafé\n'));
    const r2 = await runCliAsync(['validate'], csv);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('datasets/d.csv:3: not valid UTF-8');
  });

  it('a trailing comma in a .json dataset is reported at its line', async () => {
    const dir = withDataset('d.json', '[\n  {"vars": {"x": 1}},\n  {"vars": {"x": 2}},\n]\n');
    const r = await runCliAsync(['validate'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('datasets/d.json:3: JSON syntax error: a comma before a closing bracket');
  });

  it('a key given twice in a JSON row is an error naming the key (JSON.parse keeps the last silently)', async () => {
    const jsonl = withDataset('d.jsonl', '{"vars":{"x":1}}\n{"vars":{"x":1,"x":2}}\n');
    const r1 = await runCliAsync(['validate'], jsonl);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toContain('datasets/d.jsonl:2: duplicate key "x"');
    const json = withDataset('d.json', '[\n  {"vars": {"x": 1}},\n  {"vars": {"x": 1},\n   "vars": {"x": 2}}\n]\n');
    const r2 = await runCliAsync(['validate'], json);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('datasets/d.json:4: duplicate key "vars"');
  });
});

describe('folders and files that are not what they should be', () => {
  const passing = () =>
    project({ 'llm-eval.yaml': echoConfig(), 'prompts/p/v1.md': '{{ x }}', 'datasets/d.jsonl': '{"vars":{"x":"hi"},"expected":"hi"}\n' });

  it('reports/latest as a real folder (a CI artifact copy) becomes its run folder again; no latest.<pid>.tmp is left', async () => {
    const dir = passing();
    const { cpSync, lstatSync, readdirSync, readlinkSync, renameSync } = await import('node:fs');
    expect((await runCliAsync(['run', '--format', 'json'], dir)).code).toBe(0);
    const reports = path.join(dir, 'reports');
    const first = readlinkSync(path.join(reports, 'latest'));
    // What an artifact round trip leaves: `latest` a copy of the run, the run folder itself gone.
    cpSync(path.join(reports, first), path.join(reports, 'latest.copy'), { recursive: true });
    const { rmSync } = await import('node:fs');
    rmSync(path.join(reports, 'latest'));
    rmSync(path.join(reports, first), { recursive: true });
    renameSync(path.join(reports, 'latest.copy'), path.join(reports, 'latest'));

    const r = await runCliAsync(['run', '--format', 'json'], dir);
    expect(r.stderr).not.toMatch(/crashed|EISDIR/);
    expect(r.code).toBe(0);
    expect(lstatSync(path.join(reports, 'latest')).isSymbolicLink()).toBe(true);
    const names = readdirSync(reports);
    expect(names).toContain(first); // the copy is the first run's folder again
    expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('reports/latest as a real folder beside the run it copies: exit 2 naming it, and no run folder or tmp left', async () => {
    const dir = passing();
    const { cpSync, readdirSync, readlinkSync, rmSync } = await import('node:fs');
    expect((await runCliAsync(['run', '--format', 'json'], dir)).code).toBe(0);
    const reports = path.join(dir, 'reports');
    const first = readlinkSync(path.join(reports, 'latest'));
    rmSync(path.join(reports, 'latest'));
    cpSync(path.join(reports, first), path.join(reports, 'latest'), { recursive: true });
    const r = await runCliAsync(['run', '--format', 'json'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${path.join(reports, 'latest')} is a folder`);
    expect(readdirSync(reports).sort()).toEqual([first, 'latest']);
  });

  it('validate --config DIR and init --dir FILE are clear errors naming the path, exit 2', async () => {
    const dir = passing();
    const v = await runCliAsync(['validate', '--config', path.join(dir, 'prompts')], dir);
    expect(v.code).toBe(2);
    expect(v.stderr).toContain(`--config ${path.join(dir, 'prompts')} is a folder`);
    const i = await runCliAsync(['init', '--dir', path.join(dir, 'llm-eval.yaml')], dir);
    expect(i.code).toBe(2);
    expect(i.stderr).toContain(`--dir ${path.join(dir, 'llm-eval.yaml')} is a file`);
    expect(`${v.stderr}${i.stderr}`).not.toMatch(/crashed| {4}at /);
  });

  it('`report RUN` with a tampered report.json is exit 2 naming the file; unreadable result lines are counted once', { timeout: 60_000 }, async () => {
    const dir = passing();
    expect((await runCliAsync(['run', '--format', 'json'], dir)).code).toBe(0);
    const runDir = path.join(dir, 'reports', 'latest');
    const reportFile = path.join(runDir, 'report.json');
    const good = readFileSync(reportFile, 'utf8');
    writeFileSync(reportFile, '{"runId": 5, "suites": "x"}');
    const bad = await runCliAsync(['report', 'latest'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`report.json is not an llm-eval report: \`runId\` is not a string`);
    writeFileSync(reportFile, good.slice(0, 40));
    const cut = await runCliAsync(['report', 'latest'], dir);
    expect(cut.code).toBe(2);
    expect(cut.stderr).toContain('report.json is not valid JSON');
    expect(`${bad.stderr}${cut.stderr}`).not.toMatch(/crashed| {4}at /);
    // Two torn lines; `report` renders three formats (three reads of results.jsonl): still 2.
    writeFileSync(reportFile, good);
    const { appendFileSync } = await import('node:fs');
    appendFileSync(path.join(runDir, 'results.jsonl'), '{"torn\n{"also torn\n');
    const r = await runCliAsync(['report', 'latest', '--format', 'html,junit,md'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('skipped 2 unreadable line(s)');
  });
});

describe('messages', () => {
  it('say "an integer", and suggest `model` for the misspelt `modle` (two swapped letters)', async () => {
    const dir = project({
      'llm-eval.yaml': 'models:\n  echo: { provider: echo }\nsuites:\n  s:\n    prompt: p\n    dataset: datasets/d.jsonl\n    modle: echo\n    repeat: 1.5\n    graders: [{ type: exact }]\n',
      'prompts/p/v1.md': '{{ x }}',
      'datasets/d.jsonl': '{"vars":{"x":1}}\n',
    });
    const r = await runCliAsync(['validate'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('llm-eval.yaml:7: unknown key `modle` in suites.s. Did you mean `model`?');
    expect(r.stderr).toContain('llm-eval.yaml:8: suites.s.repeat must be an integer.');
  });
});
