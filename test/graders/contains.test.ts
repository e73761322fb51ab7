import { describe, expect, it } from 'vitest';
import { GraderError } from '../../src/errors.js';
import { caseCtx, gradeOnce, makeGrader } from './helpers.js';

describe('contains grader', () => {
  it('passes when the output contains the value', async () => {
    expect(await gradeOnce({ type: 'contains', value: 'refund' }, 'We will refund you.')).toMatchObject({ pass: true, score: 1 });
    const miss = await gradeOnce({ type: 'contains', value: 'refund' }, 'We cannot help.');
    expect(miss).toMatchObject({ pass: false, score: 0 });
    expect(miss.reason).toContain('missing "refund"');
  });

  it('honours ignoreCase', async () => {
    expect((await gradeOnce({ type: 'contains', value: 'Refund' }, 'a refund')).pass).toBe(false);
    expect((await gradeOnce({ type: 'contains', value: 'Refund', ignoreCase: true }, 'a REFUND')).pass).toBe(true);
  });

  it('trims the value by default, so padding in YAML does not matter', async () => {
    expect((await gradeOnce({ type: 'contains', value: ' refund ' }, 'refunds')).pass).toBe(true);
    expect((await gradeOnce({ type: 'contains', value: ' refund ', trim: false }, 'refunds')).pass).toBe(false);
  });

  it('with values and mode all, needs every text and scores the fraction found', async () => {
    const grade = await gradeOnce({ type: 'contains', values: ['refund', 'apolog', 'ticket'] }, 'We apologise and will refund you.');
    expect(grade.pass).toBe(false);
    expect(grade.score).toBeCloseTo(2 / 3);
    expect(grade.reason).toBe('missing "ticket" (2/3 found)');
    expect((await gradeOnce({ type: 'contains', values: ['refund', 'apolog'] }, 'We apologise and will refund you.')).pass).toBe(true);
  });

  it('with mode any, needs one of the texts', async () => {
    const config = { type: 'contains', values: ['refund', 'credit'], mode: 'any' };
    expect(await gradeOnce(config, 'store credit issued')).toMatchObject({ pass: true, score: 1, reason: 'contains "credit"' });
    expect(await gradeOnce(config, 'nothing')).toMatchObject({ pass: false, score: 0 });
  });

  it('renders each value as a template', async () => {
    const grade = await gradeOnce({ type: 'contains', values: ['{{ vars.name }}', '#{{ vars.ticket }}'] }, 'Hi Ada, ticket #42 is closed', {
      vars: { name: 'Ada', ticket: 42 },
    });
    expect(grade.pass).toBe(true);
  });

  it("falls back to expected: a text, or a list of texts", async () => {
    expect((await gradeOnce({ type: 'contains' }, 'Paris is the capital', { expected: 'Paris' })).pass).toBe(true);
    const list = await gradeOnce({ type: 'contains' }, 'Paris, France', { expected: ['Paris', 'Europe'] });
    expect(list).toMatchObject({ pass: false, score: 0.5 });
  });

  it('refuses an empty text to look for rather than passing everything', async () => {
    const grader = await makeGrader({ type: 'contains', value: '{{ vars.name }}' });
    expect(() => grader.grade(caseCtx('anything', { vars: { name: '' } }))).toThrow(GraderError);
  });
});

describe('not-contains grader', () => {
  it('passes when none of the texts appear and fails naming the ones that do', async () => {
    const config = { type: 'not-contains', values: ['as an AI', 'I cannot', 'sorry'] };
    expect(await gradeOnce(config, 'Here is your answer.')).toMatchObject({ pass: true, score: 1 });
    const leak = await gradeOnce(config, 'Sorry, as an AI I must decline.', {});
    expect(leak.pass).toBe(false);
    expect(leak.reason).toBe('contains "as an AI"');
    expect(leak.score).toBeCloseTo(2 / 3);
  });

  it('honours ignoreCase', async () => {
    expect((await gradeOnce({ type: 'not-contains', value: 'sorry' }, 'SORRY')).pass).toBe(true);
    expect((await gradeOnce({ type: 'not-contains', value: 'sorry', ignoreCase: true }, 'SORRY')).pass).toBe(false);
  });

  it('renders templates and falls back to expected', async () => {
    expect((await gradeOnce({ type: 'not-contains', value: '{{ vars.secret }}' }, 'the code is 1234', { vars: { secret: '1234' } })).pass).toBe(false);
    expect((await gradeOnce({ type: 'not-contains' }, 'clean reply', { expected: ['password', 'token'] })).pass).toBe(true);
  });
});
