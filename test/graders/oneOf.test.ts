import { describe, expect, it } from 'vitest';
import { GraderError } from '../../src/errors.js';
import { caseCtx, gradeOnce, makeGrader } from './helpers.js';

describe('one-of grader', () => {
  it('passes when the output equals one of the values', async () => {
    const config = { type: 'one-of', values: ['billing', 'technical', 'account'] };
    expect(await gradeOnce(config, 'technical')).toMatchObject({ pass: true, score: 1, reason: 'equals "technical"' });
    const miss = await gradeOnce(config, 'sales');
    expect(miss).toMatchObject({ pass: false, score: 0 });
    expect(miss.reason).toBe('"sales" is not one of "billing", "technical", "account"');
  });

  it('trims by default and honours ignoreCase', async () => {
    expect((await gradeOnce({ type: 'one-of', values: ['yes', 'no'] }, ' no\n')).pass).toBe(true);
    expect((await gradeOnce({ type: 'one-of', values: ['yes', 'no'] }, 'No')).pass).toBe(false);
    expect((await gradeOnce({ type: 'one-of', values: ['yes', 'no'], ignoreCase: true }, 'No')).pass).toBe(true);
  });

  it('renders each value as a template', async () => {
    const config = { type: 'one-of', values: ['{{ vars.a }}', '{{ vars.b }}'] };
    expect((await gradeOnce(config, 'cat', { vars: { a: 'dog', b: 'cat' } })).pass).toBe(true);
  });

  it("falls back to the row's expected list", async () => {
    expect((await gradeOnce({ type: 'one-of' }, 'Paris', { expected: ['paris', 'Paris'] })).pass).toBe(true);
    expect((await gradeOnce({ type: 'one-of' }, 'Lyon', { expected: ['Paris'] })).pass).toBe(false);
  });

  it('is a grader error when expected is missing or holds non-text items', async () => {
    const grader = await makeGrader({ type: 'one-of' });
    expect(() => grader.grade(caseCtx('x'))).toThrow(GraderError);
    expect(() => grader.grade(caseCtx('x', { expected: ['a', { b: 1 }] }))).toThrow(/expected`\[1\] is an object/);
  });
});
