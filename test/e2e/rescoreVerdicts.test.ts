/**
 * `llm-eval rescore` as CI sees it (the built CLI, exit codes, report.json, results.jsonl):
 * re-grading with a changed grader option flips the verdict both ways, suites no longer in the
 * config are left out with a warning, cases that errored at the model stay errored (exit 3), and
 * graders that read the prompt see the template as it renders now (they were handed an empty
 * prompt once the template's hash had changed).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { editFile, runCli } from '../helpers/project.js';
import type { CaseRecord, RunReport } from '../../src/types.js';

const TIMEOUT = 240_000;

/** A project of echo models (the output is the rendered prompt) and one script model that fails on "boom". */
function writeProject(suites: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'llm-eval-rescore-'));
  mkdirSync(path.join(dir, 'prompts', 'say'), { recursive: true });
  mkdirSync(path.join(dir, 'datasets'));
  mkdirSync(path.join(dir, 'providers'));
  writeFileSync(path.join(dir, 'prompts', 'say', 'v1.txt'), 'say {{ word }}\n');
  writeFileSync(path.join(dir, 'datasets', 'words.jsonl'), ['alpha', 'beta'].map((w) => JSON.stringify({ id: w, vars: { word: w } })).join('\n') + '\n');
  writeFileSync(path.join(dir, 'datasets', 'mixed.jsonl'), ['alpha', 'boom'].map((w) => JSON.stringify({ id: w, vars: { word: w } })).join('\n') + '\n');
  writeFileSync(
    path.join(dir, 'providers', 'fragile.mjs'),
    "export default async (prompt) => { if (prompt.includes('boom')) throw new Error('upstream exploded'); return prompt; };\n",
  );
  writeFileSync(
    path.join(dir, 'llm-eval.yaml'),
    ['models:', '  echo: { provider: echo }', '  fragile: { provider: script, module: providers/fragile.mjs, price: { input: 0, output: 0 } }', 'suites:', suites].join('\n'),
  );
  return dir;
}

function report(dir: string): RunReport & { rescoredFrom?: string } {
  return JSON.parse(readFileSync(path.join(dir, 'reports', 'latest', 'report.json'), 'utf8')) as RunReport & { rescoredFrom?: string };
}

function records(dir: string): CaseRecord[] {
  return readFileSync(path.join(dir, 'reports', 'latest', 'results.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as CaseRecord);
}

const WORDS = ['  words:', '    prompt: say', '    model: echo', '    dataset: datasets/words.jsonl', '    graders:', '      - { type: contains, value: "say" }'].join('\n');
const EXTRA = ['  extra:', '    prompt: say', '    model: echo', '    dataset: datasets/words.jsonl', '    graders:', '      - { type: contains, value: "say" }'].join('\n');

describe('rescore re-grades a stored run with the current config', () => {
  it(
    'a changed grader option flips the verdict 0 → 1 and back 1 → 0; a suite no longer in the config is left out with a warning',
    () => {
      const dir = writeProject(`${WORDS}\n${EXTRA}\n`);
      const run = runCli(['run', '--format', 'json'], dir);
      expect(run.code, run.stderr).toBe(0);
      const firstRun = report(dir).runId;

      // Both outputs are "say alpha" and "say beta": looking for "alpha" fails the beta case, and
      // the default gate (every case passes) then fails the suite. The `extra` suite is dropped.
      editFile(path.join(dir, 'llm-eval.yaml'), (t) => t.replace('value: "say" }', 'value: "alpha" }').replace(EXTRA, ''));
      const worse = runCli(['rescore', 'latest', '--format', 'json'], dir);
      expect(worse.code, worse.stderr).toBe(1);
      const r1 = report(dir);
      expect(r1.rescoredFrom).toBe(firstRun);
      expect(r1.gate.passed).toBe(false);
      expect(r1.gate.failures.map((f) => f.suite)).toEqual(['words']);
      expect(r1.suites.map((s) => s.name)).toEqual(['words']);
      expect(r1.warnings).toContain('suite "extra" is no longer in the config; its cases were left out');
      expect(records(dir).map((r) => [r.suite, r.caseId, r.pass]).sort()).toEqual([
        ['words', 'alpha', true],
        ['words', 'beta', false],
      ]);

      // Back to "say": the rescore of the failing rescore passes again.
      editFile(path.join(dir, 'llm-eval.yaml'), (t) => t.replace('value: "alpha" }', 'value: "say" }'));
      const better = runCli(['rescore', 'latest', '--format', 'json'], dir);
      expect(better.code, better.stderr).toBe(0);
      const r2 = report(dir);
      expect(r2.rescoredFrom).toBe(r1.runId);
      expect(r2.gate).toEqual({ passed: true, failures: [] });
    },
    TIMEOUT,
  );

  it(
    'a case that errored at the model stays errored and the rescore still exits 3 (could not measure), not 0 or 1',
    () => {
      const mixed = ['  mixed:', '    prompt: say', '    model: fragile', '    dataset: datasets/mixed.jsonl', '    graders:', '      - { type: contains, value: "say" }'].join('\n');
      const dir = writeProject(`${mixed}\n`);
      const run = runCli(['run', '--format', 'json'], dir);
      expect(run.code, run.stderr).toBe(3);

      const again = runCli(['rescore', 'latest', '--format', 'json'], dir);
      expect(again.code, again.stderr).toBe(3);
      const byId = new Map(records(dir).map((r) => [r.caseId, r]));
      expect(byId.get('alpha')?.pass).toBe(true);
      expect(byId.get('boom')?.pass).toBe(false);
      expect(byId.get('boom')?.error?.message).toContain('upstream exploded');
      expect(report(dir).gate.failures.map((f) => f.rule)).toContain('provider-error');
    },
    TIMEOUT,
  );

  it(
    'after the template changed, a grader that reads the prompt sees the new text (exit 1 → 0), with a warning naming the changed prompt',
    () => {
      // The script grader passes when the prompt it is handed says "shout".
      const prompted = ['  words:', '    prompt: say', '    model: echo', '    dataset: datasets/words.jsonl', '    graders:', '      - { type: script, module: graders/prompt.mjs }'].join('\n');
      const dir = writeProject(`${prompted}\n`);
      mkdirSync(path.join(dir, 'graders'));
      writeFileSync(
        path.join(dir, 'graders', 'prompt.mjs'),
        "export default (output, ctx) => { const text = ctx.prompt.messages.map((m) => m.content).join(' | '); return { pass: text.includes('shout'), reason: `prompt: ${text}` }; };\n",
      );
      const run = runCli(['run', '--format', 'json'], dir);
      // The prompt says "say alpha": no "shout", both cases fail, the default gate fails.
      expect(run.code, run.stdout + run.stderr).toBe(1);
      const firstRun = report(dir).runId;
      expect(records(dir).map((r) => [r.caseId, r.grades[0]!.reason]).sort()).toEqual([
        ['alpha', 'prompt: say alpha'],
        ['beta', 'prompt: say beta'],
      ]);

      writeFileSync(path.join(dir, 'prompts', 'say', 'v1.txt'), 'shout {{ word }}\n');
      const rescored = runCli(['rescore', 'latest', '--format', 'json'], dir);
      expect(rescored.code, rescored.stdout + rescored.stderr).toBe(0);
      // Re-rendered per case from the stored vars; the stored outputs are the old ones.
      expect(records(dir).map((r) => [r.caseId, r.output, r.pass, r.grades[0]!.reason]).sort()).toEqual([
        ['alpha', 'say alpha', true, 'prompt: shout alpha'],
        ['beta', 'say beta', true, 'prompt: shout beta'],
      ]);
      expect(report(dir).warnings).toContain(
        `prompt say@v1 changed since run ${firstRun}: graders that read the prompt see its current text, not the one the outputs were made from`,
      );

      // A template that no longer renders for the stored vars: no prompt text, and a warning says why.
      writeFileSync(path.join(dir, 'prompts', 'say', 'v1.txt'), 'shout {{ word }} at {{ target }}\n');
      const broken = runCli(['rescore', 'latest', '--format', 'json'], dir);
      expect(broken.code, broken.stdout + broken.stderr).toBe(1);
      expect(records(dir).map((r) => r.grades[0]!.reason)).toEqual(['prompt: ', 'prompt: ']);
      expect(report(dir).warnings.some((w) => w.startsWith('prompt say@v1 no longer renders for case ') && w.includes('target'))).toBe(true);
    },
    TIMEOUT,
  );
});
