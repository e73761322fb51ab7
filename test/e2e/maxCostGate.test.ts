/**
 * The `maxCostUsd` gate rule as CI sees it: the real gate's message in the terminal, summary.md
 * and junit.xml, for a suite over its limit and for a suite whose cost is unknown (a model with
 * no price must fail the rule, never pass it silently).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/project.js';
import type { RunReport } from '../../src/types.js';

function writeProject(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'llm-eval-maxcost-'));
  mkdirSync(path.join(dir, 'prompts', 'say'), { recursive: true });
  mkdirSync(path.join(dir, 'datasets'));
  mkdirSync(path.join(dir, 'providers'));
  writeFileSync(path.join(dir, 'prompts', 'say', 'v1.txt'), 'say {{ word }}\n');
  writeFileSync(path.join(dir, 'datasets', 'words.jsonl'), ['alpha', 'beta'].map((w) => JSON.stringify({ id: w, vars: { word: w } })).join('\n') + '\n');
  // `dear` reports what each answer cost; `unpriced` reports nothing and has no `price:`.
  writeFileSync(path.join(dir, 'providers', 'dear.mjs'), 'export default async (prompt) => ({ output: prompt, costUsd: 0.6 });\n');
  writeFileSync(path.join(dir, 'providers', 'unpriced.mjs'), 'export default async (prompt) => prompt;\n');
  const suite = (name: string, model: string): string =>
    [`  ${name}:`, '    prompt: say', `    model: ${model}`, '    dataset: datasets/words.jsonl', '    graders:', '      - { type: contains, value: "say" }', '    gate: { maxCostUsd: 1 }'].join('\n');
  writeFileSync(
    path.join(dir, 'llm-eval.yaml'),
    ['models:', '  dear: { provider: script, module: providers/dear.mjs }', '  unpriced: { provider: script, module: providers/unpriced.mjs }', 'suites:', suite('costly', 'dear'), suite('unknown', 'unpriced'), ''].join('\n'),
  );
  return dir;
}

describe('the maxCostUsd gate rule', () => {
  it(
    'fails a suite over its limit and a suite whose cost is unknown, in the terminal, summary.md and junit.xml',
    () => {
      const dir = writeProject();
      const r = runCli(['run'], dir);
      expect(r.code, r.stderr).toBe(1);
      const latest = path.join(dir, 'reports', 'latest');
      const report = JSON.parse(readFileSync(path.join(latest, 'report.json'), 'utf8')) as RunReport;
      expect(report.gate.failures.map((f) => [f.suite, f.rule])).toEqual([
        ['costly', 'maxCostUsd'],
        ['unknown', 'maxCostUsd'],
      ]);
      // 2 cases × $0.60 = $1.20 > $1 (hand computation).
      // (summary.md names the suite in its own column, so the texts start after "suite: ".)
      const over = 'cost $1.2000 (candidates and judges) is above maxCostUsd $1';
      const unknown = 'cost is unknown (no price for a candidate model; $0.0000 known so far)';
      const summaryMd = readFileSync(path.join(latest, 'summary.md'), 'utf8');
      const junit = readFileSync(path.join(latest, 'junit.xml'), 'utf8');
      for (const [where, text] of [
        ['terminal', r.stdout + r.stderr],
        ['summary.md', summaryMd],
        ['junit.xml', junit],
      ] as const) {
        expect(text, where).toContain(over);
        expect(text, where).toContain(unknown);
      }
    },
    240_000,
  );
});
