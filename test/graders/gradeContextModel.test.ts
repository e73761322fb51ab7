/**
 * `ctx.model` in a grader means one thing in a run and in a rescore: the candidate model as its
 * case record names it (`script:rule-classifier.js` for the quickstart's `classifier`, a script
 * model), not the config's name for it in one and the record's label in the other.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { copyExample, editFile, runCli } from '../helpers/project.js';

interface Line {
  suite: string;
  model: string;
  grades: Array<{ grader: string; reason: string }>;
}

function modelReasons(dir: string): Array<{ record: string; seen: string }> {
  const file = path.join(dir, 'reports', 'latest', 'results.jsonl');
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Line)
    .filter((l) => l.suite === 'ticket-routing')
    .map((l) => ({ record: l.model, seen: l.grades.find((g) => g.grader === 'model-seen')!.reason }));
}

describe('GradeContext.model', () => {
  it('is the case record’s model label in run and in rescore', { timeout: 120_000 }, () => {
    const dir = copyExample();
    writeFileSync(path.join(dir, 'model-seen.mjs'), 'export default (output, ctx) => ({ pass: true, reason: `model=${ctx.model}` });\n');
    editFile(path.join(dir, 'llm-eval.yaml'), (t) =>
      t.replace('      - { type: exact, ignoreCase: true }', '      - { type: exact, ignoreCase: true }\n      - { type: script, name: model-seen, module: model-seen.mjs }'),
    );
    const run = runCli(['run', '--format', 'json'], dir);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const inRun = modelReasons(dir);
    expect(inRun.length).toBeGreaterThan(0);
    // The quickstart's `classifier` is `{ provider: script, module: providers/rule-classifier.js }`.
    for (const r of inRun) expect(r).toEqual({ record: 'script:rule-classifier.js', seen: 'model=script:rule-classifier.js' });

    const rescore = runCli(['rescore', 'latest', '--format', 'json'], dir);
    expect(rescore.code, rescore.stdout + rescore.stderr).toBe(0);
    expect(modelReasons(dir)).toEqual(inRun);
  });
});
