import { describe, expect, it } from 'vitest';
import { LlmEvalError } from '../../src/errors.js';
import { createGrader } from '../../src/graders/create.js';
import { caseCtx, testEnv } from './helpers.js';

describe('createGrader', () => {
  it('builds a registered grader named after its type', async () => {
    const grader = await createGrader({ type: 'exact', value: 'a' }, testEnv());
    expect(grader.name).toBe('exact');
    expect(await grader.grade(caseCtx('a'))).toMatchObject({ pass: true });
  });

  it('uses the name option as the display name', async () => {
    const grader = await createGrader({ type: 'contains', name: 'mentions refund', value: 'refund' }, testEnv());
    expect(grader.name).toBe('mentions refund');
    expect(await grader.grade(caseCtx('no'))).toMatchObject({ pass: false });
  });

  it('refuses an unknown type, listing the known ones', async () => {
    const err = await createGrader({ type: 'nope' }, testEnv()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmEvalError);
    expect((err as Error).message).toMatch(/^unknown grader type "nope" \(types: .*exact.*\)$/);
  });
});
