import { describe, expect, it } from 'vitest';
import { GraderError } from '../../src/errors.js';
import { caseCtx, gradeOnce, makeGrader, testEnv } from './helpers.js';

describe('exact grader', () => {
  it('passes when the output equals a constant value and fails otherwise', async () => {
    const pass = await gradeOnce({ type: 'exact', value: 'billing' }, 'billing');
    expect(pass).toMatchObject({ pass: true, score: 1 });
    const fail = await gradeOnce({ type: 'exact', value: 'billing' }, 'technical');
    expect(fail).toMatchObject({ pass: false, score: 0 });
    expect(fail.reason).toBe('expected "billing", got "technical"');
  });

  it('trims surrounding whitespace by default and keeps it with trim: false', async () => {
    expect((await gradeOnce({ type: 'exact', value: 'billing' }, '  billing\n')).pass).toBe(true);
    expect((await gradeOnce({ type: 'exact', value: 'billing', trim: false }, '  billing\n')).pass).toBe(false);
  });

  it('is case-sensitive unless ignoreCase is set', async () => {
    expect((await gradeOnce({ type: 'exact', value: 'Billing' }, 'billing')).pass).toBe(false);
    expect((await gradeOnce({ type: 'exact', value: 'Billing', ignoreCase: true }, 'BILLING')).pass).toBe(true);
  });

  it('renders the value as a Liquid template against expected and vars', async () => {
    const fromExpected = await gradeOnce({ type: 'exact', value: '{{ expected.category }}' }, 'billing', { expected: { category: 'billing' } });
    expect(fromExpected.pass).toBe(true);
    const fromVars = await gradeOnce({ type: 'exact', value: 'Hello {{ vars.name }}' }, 'Hello Ada', { vars: { name: 'Ada' } });
    expect(fromVars.pass).toBe(true);
    const topLevelVar = await gradeOnce({ type: 'exact', value: 'Hello {{ name }}' }, 'Hello Bob', { vars: { name: 'Ada' } });
    expect(topLevelVar).toMatchObject({ pass: false, reason: 'expected "Hello Ada", got "Hello Bob"' });
  });

  it('never renders a value without Liquid markup', async () => {
    const env = testEnv();
    const grader = await makeGrader({ type: 'exact', value: 'plain text' }, env);
    for (let i = 0; i < 5; i++) await grader.grade(caseCtx('plain text'));
    expect(env.rendered).toEqual([]);
  });

  it("falls back to the row's expected when value is absent", async () => {
    expect((await gradeOnce({ type: 'exact' }, 'billing', { expected: 'billing' })).pass).toBe(true);
    expect((await gradeOnce({ type: 'exact' }, 'billing', { expected: 'account' })).pass).toBe(false);
    // numbers and booleans compare as they print
    expect((await gradeOnce({ type: 'exact' }, '42', { expected: 42 })).pass).toBe(true);
    expect((await gradeOnce({ type: 'exact' }, 'true', { expected: true })).pass).toBe(true);
  });

  it('is a grader error, not a fail, when there is no reference or expected is not text', async () => {
    const grader = await makeGrader({ type: 'exact' });
    expect(() => grader.grade(caseCtx('x'))).toThrow(GraderError);
    expect(() => grader.grade(caseCtx('x'))).toThrow(/no `value` and the row has no `expected`/);
    expect(() => grader.grade(caseCtx('x', { expected: { category: 'billing' } }))).toThrow(/expected` is an object, not text: set `value`/);
  });

  it('is a grader error when the template names a variable the row lacks', async () => {
    const grader = await makeGrader({ type: 'exact', value: '{{ vars.missing }}' });
    expect(() => grader.grade(caseCtx('x', { vars: { other: 1 } }))).toThrow(GraderError);
    expect(() => grader.grade(caseCtx('x', { vars: { other: 1 } }))).toThrow(/cannot render `value`/);
  });

  it('cuts long outputs in its reason', async () => {
    const grade = await gradeOnce({ type: 'exact', value: 'short' }, 'x'.repeat(5000));
    expect(grade.reason.length).toBeLessThan(200);
    expect(grade.reason).toContain('…');
  });
});
