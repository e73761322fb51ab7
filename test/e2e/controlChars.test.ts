/**
 * Control characters in names, ids and error messages, end to end: a suite named with a
 * screen-clear sequence, a variant with a bidi override and BEL, case ids holding an OSC-8
 * hyperlink and NUL, and a config error quoting an ESC sequence, run through the built CLI
 * against the fake LLM server as GitHub Actions would run it. Nothing that reaches the terminal,
 * summary.md or GITHUB_STEP_SUMMARY may hold a raw control character: each shows as a visible
 * escape (`\x1B`), so the reader sees the text and the terminal acts on none of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import { runCliAsync } from '../helpers/spawnCli.js';

/** ESC, BEL, NUL, C1 CSI, and the bidi overrides/isolates. NO_COLOR is set, so no colour escapes are expected either. */
const RAW_CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

function rawControls(text: string): string[] {
  return [...text].filter((ch) => RAW_CONTROL.test(ch)).map((ch) => `U+${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const ENV = { OPENAI_API_KEY: 'sk-test-controls-000000', GITHUB_ACTIONS: 'true' };

function writeProject(llm: FakeLlm, graderType = 'contains'): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'llm-eval-controls-'));
  mkdirSync(path.join(dir, 'prompts', 'ask'), { recursive: true });
  mkdirSync(path.join(dir, 'datasets'));
  writeFileSync(path.join(dir, 'prompts', 'ask', 'v1.txt'), 'Say {{ word }}\n');
  const rows = [
    { id: 'link\u001b]8;;https://evil.example/\u0007click-me\u001b]8;;\u0007', vars: { word: 'alpha' } },
    { id: 'nul\u0000byte\u009b2J', vars: { word: 'beta' } },
  ];
  writeFileSync(path.join(dir, 'datasets', 'rows.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  writeFileSync(
    path.join(dir, 'llm-eval.yaml'),
    [
      'models:',
      `  gpt: { provider: openai, model: gpt-4o-mini, baseURL: "${llm.openaiBaseURL}" }`,
      'suites:',
      '  "qa\\e[2J\\e[H":',
      '    prompt: ask',
      '    dataset: datasets/rows.jsonl',
      '    variants: { "v\\u202Egnp.exe\\a": { model: gpt } }',
      `    graders: [{ type: "${graderType}", value: "never-in-the-answer" }]`,
      '    gate: { passAllRepeats: true }', // its failure lists the failing case ids
      'defaults: { concurrency: 2, retries: 0, timeoutMs: 30000, cache: off }',
      '',
    ].join('\n'),
  );
  return dir;
}

describe('control characters never reach the terminal or Markdown raw', () => {
  let llm: FakeLlm;
  beforeAll(async () => {
    llm = await startFakeLlm();
  });
  afterAll(() => llm.close());

  it('escapes suite and variant names and case ids in the terminal, summary.md, annotations and the step summary', { timeout: 60_000 }, async () => {
    const dir = writeProject(llm);
    const stepSummary = path.join(dir, 'step-summary.md');
    const r = await runCliAsync(['run'], dir, { ...ENV, GITHUB_STEP_SUMMARY: stepSummary });
    expect(r.code, r.stdout + r.stderr).toBe(1); // every case fails its grader: the gate failure names the cases
    const summary = readFileSync(path.join(realpathSync(path.join(dir, 'reports', 'latest')), 'summary.md'), 'utf8');
    const written = { stdout: r.stdout, stderr: r.stderr, 'summary.md': summary, GITHUB_STEP_SUMMARY: readFileSync(stepSummary, 'utf8') };
    for (const [where, text] of Object.entries(written)) expect(rawControls(text), where).toEqual([]);
    // The names are shown, made visible: the suite in the table, the case ids in the gate failures.
    expect(r.stdout).toContain('qa\\x1B[2J\\x1B[H');
    expect(r.stdout).toContain('v\\u202Egnp.exe\\x07');
    expect(r.stdout).toContain('link\\x1B]8;;https://evil.example/\\x07click-me');
    expect(r.stdout).toContain('::error'); // the annotations were printed, and checked above
    expect(summary).toContain('link\\\\x1B');
  });

  it('escapes an ESC sequence quoted by a config error', { timeout: 60_000 }, async () => {
    const dir = writeProject(llm, 'contains\\e[2J\\e]0;pwned\\a');
    const r = await runCliAsync(['validate'], dir, ENV);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(rawControls(r.stderr)).toEqual([]);
    expect(r.stderr).toContain('\\x1B[2J');
  });
});
