/**
 * Which graders a suite runs, per case or once over the run, comes from each grader's
 * declaration (`scope`, `suiteOption`, `suiteProblems`), never from its name: a new type that
 * declares itself per-run is left out of case grading and its suite checks are run.
 */
import { describe, expect, it } from 'vitest';
import { defineGrader } from '../../src/graders/define.js';
import { registerGrader } from '../../src/graders/registry.js';
import { caseGraderConfigs, isRunScopeGrader, runGraderConfigs, suiteGraderProblems } from '../../src/graders/suiteGraders.js';
import { expectedNeed } from '../../src/graders/needsExpected.js';

const noGrade = (): never => {
  throw new Error('never graded per case');
};

// A per-run type that is not pairwise: it compares a `baseline` variant with the others.
const againstBaseline = defineGrader({
  type: 'against-baseline',
  description: 'test: compares each variant with a baseline variant after the run',
  scope: 'run',
  optionsSchema: { type: 'object', properties: { baseline: { type: 'string' } }, required: ['baseline'], additionalProperties: false },
  suiteProblems: (options, suite) => (suite.variants.includes(options.baseline) ? [] : [{ field: 'baseline', message: `no variant "${options.baseline}"` }]),
  create: (options) => ({ name: options.type, grade: noGrade }),
});

// A per-case type a suite option turns on, like `canary: true`.
const watermark = defineGrader({
  type: 'watermark',
  description: 'test: added to every case of a suite with `watermark: true`',
  suiteOption: 'watermark',
  optionsSchema: { type: 'object', properties: {}, additionalProperties: false },
  needsExpected: () => 'watermark compares with the row',
  create: (options) => ({ name: options.type, grade: () => ({ pass: true, score: 1, reason: 'ok' }) }),
});

registerGrader(againstBaseline);
registerGrader(watermark);

describe('suite graders from declarations', () => {
  const graders = [{ type: 'exact' }, { type: 'against-baseline', baseline: 'old' }, { type: 'pairwise', model: 'judge', rubric: 'x' }];

  it('a per-run type is never graded per case, whatever its name', () => {
    expect(isRunScopeGrader({ type: 'against-baseline' })).toBe(true);
    expect(isRunScopeGrader({ type: 'pairwise' })).toBe(true);
    expect(isRunScopeGrader({ type: 'exact' })).toBe(false);
    expect(caseGraderConfigs({ graders, options: {} }).map((g) => g.type)).toEqual(['exact']);
    expect(runGraderConfigs({ graders }).map((g) => g.type)).toEqual(['against-baseline', 'pairwise']);
  });

  it('a suite option adds the grader that declares it, and only when true', () => {
    expect(caseGraderConfigs({ graders: [{ type: 'exact' }], options: { watermark: true } }).map((g) => g.type)).toEqual(['exact', 'watermark']);
    expect(caseGraderConfigs({ graders: [{ type: 'exact' }], options: { watermark: 'yes' } }).map((g) => g.type)).toEqual(['exact']);
    expect(caseGraderConfigs({ graders: [], options: { canary: true } }).map((g) => g.type)).toEqual(['canary']);
  });

  it("runs each grader's own suite checks, keyed by its index", () => {
    const problems = suiteGraderProblems({ graders, variants: [{ name: 'new' }] });
    expect(problems).toEqual([
      { grader: 1, field: 'baseline', message: 'no variant "old"' },
      { grader: 2, field: 'type', message: 'pairwise compares variants, and the suite has 1: add variants' },
    ]);
  });

  it('asks the definition whether a grader needs the row’s expected', () => {
    expect(expectedNeed({ type: 'watermark' }, process.cwd())).toBe('watermark compares with the row');
    expect(expectedNeed({ type: 'exact' }, process.cwd())).toMatch(/^grader exact has no `value`/);
    expect(expectedNeed({ type: 'exact', value: 'x' }, process.cwd())).toBeUndefined();
    expect(expectedNeed({ type: 'json', equals: true }, process.cwd())).toMatch(/has `equals: true` and no `value`/);
  });

  it('accepts() narrows an entry of its own type that matches its schema', () => {
    expect(againstBaseline.accepts({ type: 'against-baseline', baseline: 'old' })).toBe(true);
    expect(againstBaseline.accepts({ type: 'against-baseline' })).toBe(false);
    expect(againstBaseline.accepts({ type: 'exact', baseline: 'old' })).toBe(false);
  });
});
