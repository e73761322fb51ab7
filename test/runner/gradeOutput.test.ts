import { describe, expect, it } from 'vitest';
import { gradeOutput } from '../../src/runner/gradeOutput.js';
import { GraderError, RunAbortedError } from '../../src/errors.js';
import type { GradeContext, Grader } from '../../src/types.js';

const ctx = {
  output: 'hello',
  row: { id: 'r1', vars: {}, source: { file: 'x', line: 1 } },
  scope: {},
  prompt: { name: 'p', version: 'v1', hash: 'h', messages: [] },
  suite: 's',
  variant: 'v',
  model: 'm',
  costUsd: 0,
  latencyMs: 1,
} satisfies GradeContext;

const grader = (name: string, grade: Grader['grade']): Grader => ({ name, grade });

describe('gradeOutput', () => {
  it('passes only when every grader passes, scoring the mean', async () => {
    const g = await gradeOutput([grader('a', () => ({ pass: true, score: 1, reason: 'ok' })), grader('b', () => ({ pass: false, score: 0.5, reason: 'meh' }))], ctx);
    expect(g).toMatchObject({ pass: false, score: 0.75, error: null });
  });

  it('records a grader that throws as an error, never a pass, and keeps the spend of its failed attempts', async () => {
    const failing = grader('judge', () => {
      throw Object.assign(new GraderError('judge', 'invalid verdict twice'), { costUsd: 0.002 });
    });
    const g = await gradeOutput([grader('a', () => ({ pass: true, score: 1, reason: 'ok', costUsd: 0.001 })), failing], ctx);
    expect(g.pass).toBe(false);
    expect(g.error).toEqual({ kind: 'grader', message: 'judge: invalid verdict twice' });
    expect(g.judgeCostUsd).toBeCloseTo(0.003, 9);
  });

  it('lets a budget stop inside a judge call stop the run instead of recording it', async () => {
    const stopping = grader('judge', () => {
      throw new RunAbortedError('BUDGET_EXCEEDED', 'budget reached');
    });
    await expect(gradeOutput([stopping], ctx)).rejects.toBeInstanceOf(RunAbortedError);
  });
});
