/**
 * `llm-eval rescore` when the prompt template changed since the run (the built CLI, exit codes,
 * report.json): graders that read the prompt see the template as it renders now, for each case's
 * stored vars, and a warning says the stored outputs were made from the old text. Before, the
 * rescore handed them an empty prompt whenever the template's hash had changed.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/project.js';
import type { CaseRecord, RunReport } from '../../src/types.js';

const TIMEOUT = 240_000;

/** Echo model (the output is the rendered prompt); a script grader passes when the prompt it is handed says "shout". */
function writeProject(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'llm-eval-rescore-prompt-'));
  mkdirSync(path.join(dir, 'prompts', 'say'), { recursive: true });
  mkdirSync(path.join(dir, 'datasets'));
  mkdirSync(path.join(dir, 'graders'));
  writeFileSync(path.join(dir, 'prompts', 'say', 'v1.txt'), 'say {{ word }}\n');
  writeFileSync(path.join(dir, 'datasets', 'words.jsonl'), ['alpha', 'beta'].map((w) => JSON.stringify({ id: w, vars: { word: w } })).join('\n') + '\n');
  writeFileSync(
    path.join(dir, 'graders', 'prompt.mjs'),
    "export default (output, ctx) => { const text = ctx.prompt.messages.map((m) => m.content).join(' | '); return { pass: text.includes('shout'), reason: `prompt: ${text}` }; };\n",
  );
  writeFileSync(
    path.join(dir, 'llm-eval.yaml'),
    ['models:', '  echo: { provider: echo }', 'suites:', '  words:', '    prompt: say', '    model: echo', '    dataset: datasets/words.jsonl', '    graders:', '      - { type: script, module: graders/prompt.mjs }', ''].join('\n'),
  );
  return dir;
}

function latest(dir: string): { report: RunReport; records: CaseRecord[] } {
  const folder = path.join(dir, 'reports', 'latest');
  const report = JSON.parse(readFileSync(path.join(folder, 'report.json'), 'utf8')) as RunReport;
  const records = readFileSync(path.join(folder, 'results.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as CaseRecord);
  return { report, records };
}

describe('rescore re-renders the prompt template for graders that read it', () => {
  it(
    'after the template changed, the grader sees the new text (exit 1 → 0) and a warning names the changed prompt',
    () => {
      const dir = writeProject();
      const run = runCli(['run', '--format', 'json'], dir);
      // The prompt says "say alpha": no "shout", both cases fail, the default gate fails.
      expect(run.code, run.stdout + run.stderr).toBe(1);
      const first = latest(dir);
      expect(first.records.map((r) => [r.caseId, r.grades[0]!.reason]).sort()).toEqual([
        ['alpha', 'prompt: say alpha'],
        ['beta', 'prompt: say beta'],
      ]);

      writeFileSync(path.join(dir, 'prompts', 'say', 'v1.txt'), 'shout {{ word }}\n');
      const rescored = runCli(['rescore', 'latest', '--format', 'json'], dir);
      expect(rescored.code, rescored.stdout + rescored.stderr).toBe(0);
      const second = latest(dir);
      // Re-rendered per case from the stored vars; the stored outputs are the old ones.
      expect(second.records.map((r) => [r.caseId, r.output, r.pass, r.grades[0]!.reason]).sort()).toEqual([
        ['alpha', 'say alpha', true, 'prompt: shout alpha'],
        ['beta', 'say beta', true, 'prompt: shout beta'],
      ]);
      expect(second.report.warnings).toContain(
        `prompt say@v1 changed since run ${first.report.runId}: graders that read the prompt see its current text, not the one the outputs were made from`,
      );

      // A template that no longer renders for the stored vars: the grader sees no prompt text, and a warning says why.
      writeFileSync(path.join(dir, 'prompts', 'say', 'v1.txt'), 'shout {{ word }} at {{ target }}\n');
      const broken = runCli(['rescore', 'latest', '--format', 'json'], dir);
      expect(broken.code, broken.stdout + broken.stderr).toBe(1);
      const third = latest(dir);
      expect(third.records.map((r) => r.grades[0]!.reason)).toEqual(['prompt: ', 'prompt: ']);
      expect(third.report.warnings.some((w) => w.startsWith('prompt say@v1 no longer renders for case ') && w.includes('target'))).toBe(true);
    },
    TIMEOUT,
  );
});
