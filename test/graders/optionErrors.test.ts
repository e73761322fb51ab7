/**
 * A grader's options are checked against its definition's schema when the config is read:
 * `llm-eval validate` (and `run`, before any call) names the file and line of a bad option and
 * exits 2, for per-case graders (contains, judge) and for a per-run one (pairwise), whose
 * suite-level check (its variants exist) comes from its declaration.
 */
import { describe, expect, it } from 'vitest';
import { runCliAsync } from '../helpers/spawnCli.js';
import { fakeLlmProjectWithGrader } from '../helpers/fakeLlmProject.js';
import { lineContaining } from '../helpers/project.js';

/** Nothing listens on port 9: a call would fail, but validate makes none. */
const DEAD_URL = 'http://127.0.0.1:9/v1';

/** The fake project (suite qa, variants a and b) with its one grader replaced by `grader`. */
function projectWithGrader(grader: string): { dir: string; config: string } {
  return fakeLlmProjectWithGrader(grader, { baseURL: DEAD_URL, rows: 2 });
}

async function validateFails(dir: string): Promise<string> {
  const v = await runCliAsync(['validate'], dir, {});
  expect(v.code, v.stdout + v.stderr).toBe(2);
  return v.stderr;
}

describe('grader options are checked against their definition', () => {
  it('an unknown option of contains is named at its line, with the option it resembles', { timeout: 60_000 }, async () => {
    const { dir, config } = projectWithGrader('{ type: contains, values: [x, y], mod: any }');
    const stderr = await validateFails(dir);
    expect(stderr).toContain(`llm-eval.yaml:${lineContaining(config, 'mod: any')}:`);
    expect(stderr).toMatch(/grader contains: unknown option `mod` \(options: [^)]*\); did you mean `mode`\?/);
  });

  it('a judge threshold written as a word is a type error at its line', { timeout: 60_000 }, async () => {
    const { dir, config } = projectWithGrader('{ type: judge, model: gpt, rubric: "Is it polite?", threshold: high }');
    const stderr = await validateFails(dir);
    expect(stderr).toContain(`llm-eval.yaml:${lineContaining(config, 'threshold: high')}:`);
    expect(stderr).toContain('grader judge: `threshold` must be number');
  });

  it('a pairwise grader naming a variant the suite does not have: its own suite check, at its line', { timeout: 60_000 }, async () => {
    const { dir, config } = projectWithGrader('{ type: pairwise, model: gpt, rubric: "Which is clearer?", variants: [a, c] }');
    const stderr = await validateFails(dir);
    expect(stderr).toContain(`llm-eval.yaml:${lineContaining(config, 'variants: [a, c]')}:`);
    expect(stderr).toContain('grader pairwise: unknown variant "c" (variants: a, b)');
  });

  it('a valid pairwise entry passes validate', { timeout: 60_000 }, async () => {
    const { dir } = projectWithGrader('{ type: pairwise, model: gpt, rubric: "Which is clearer?", variants: [a, b] }');
    const v = await runCliAsync(['validate'], dir, {});
    expect(v.code, v.stdout + v.stderr).toBe(0);
  });
});
