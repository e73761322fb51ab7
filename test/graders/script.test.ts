import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, GraderError } from '../../src/errors.js';
import { getGraderFactory } from '../../src/graders/registry.js';
import { toGrade } from '../../src/graders/script.js';
import { caseCtx, makeGrader, testEnv } from './helpers.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/graders');
const env = () => testEnv(fixtures);
const js = (name: string, extra: Record<string, unknown> = {}) => makeGrader({ type: 'script', module: 'graders.mjs', export: name, ...extra }, env());

describe('script grader', () => {
  it('takes a boolean as pass/fail', async () => {
    const grader = await js('isPolite');
    expect(await grader.grade(caseCtx('Thank you!'))).toMatchObject({ pass: true, score: 1 });
    expect(await grader.grade(caseCtx('Go away'))).toMatchObject({ pass: false, score: 0 });
  });

  it('takes a number as the score, passing at the threshold (default 0.5)', async () => {
    const grader = await js('lengthScore');
    expect(await grader.grade(caseCtx('x'.repeat(50)))).toMatchObject({ pass: true, score: 0.5 });
    expect(await grader.grade(caseCtx('x'.repeat(49)))).toMatchObject({ pass: false, score: 0.49 });
    const strict = await js('lengthScore', { threshold: 0.9 });
    expect((await strict.grade(caseCtx('x'.repeat(80)))).pass).toBe(false);
  });

  it('takes an object from an async function, with details, and sees the row', async () => {
    const grader = await js('asyncExpected');
    const grade = await grader.grade(caseCtx('Paris', { expected: 'Paris' }));
    expect(grade).toMatchObject({ pass: true, score: 1, details: { seen: 'Paris' } });
    expect(await grader.grade(caseCtx('Lyon', { expected: 'Paris' }))).toMatchObject({ pass: false, score: 0.2 });
  });

  it('derives pass from a score-only object', async () => {
    const grader = await js('scoreOnly');
    expect(await grader.grade(caseCtx('long enough'))).toMatchObject({ pass: true, score: 0.9 });
    expect(await grader.grade(caseCtx('no'))).toMatchObject({ pass: false, score: 0.1 });
  });

  it('turns a throw or a rejection into a GraderError, never a pass', async () => {
    await expect((await js('throws')).grade(caseCtx('x'))).rejects.toThrow(GraderError);
    await expect((await js('throws')).grade(caseCtx('x'))).rejects.toThrow('script graders.mjs threw: boom');
    await expect((await js('rejects')).grade(caseCtx('x'))).rejects.toThrow('async boom');
  });

  it('refuses return values it cannot read', async () => {
    await expect((await js('returnsString')).grade(caseCtx('x'))).rejects.toThrow(/returned a string; return a boolean/);
    await expect((await js('returnsTooBig')).grade(caseCtx('x'))).rejects.toThrow(/returned 7/);
    await expect((await js('returnsNothing')).grade(caseCtx('x'))).rejects.toThrow(/returned nothing/);
    await expect((await js('returnsBadPass')).grade(caseCtx('x'))).rejects.toThrow(/`pass` must be a boolean/);
  });

  it('loads a TypeScript module: the default export, and a named export', async () => {
    const share = await makeGrader({ type: 'script', module: 'keyword.ts', config: { keywords: ['refund', 'sorry', 'ticket', 'today'] } }, env());
    expect(await share.grade(caseCtx('Sorry, your refund is on its way'))).toMatchObject({ pass: true, score: 0.5 });
    expect(await share.grade(caseCtx('Sorry'))).toMatchObject({ pass: false, score: 0.25 });
    const named = await makeGrader({ type: 'script', module: 'keyword.ts', export: 'mentionsCustomer' }, env());
    expect(await named.grade(caseCtx('Dear Ada,', { vars: { customer: 'Ada' } }))).toMatchObject({ pass: true, reason: 'names Ada' });
    expect(await named.grade(caseCtx('Dear Sir,', { vars: { customer: 'Ada' } }))).toMatchObject({ pass: false, reason: 'does not name Ada' });
  });

  it('reports a missing module in validate and a missing export at create', async () => {
    const factory = getGraderFactory('script')!;
    expect(factory.validate!({ type: 'script', module: 'nope.js' }, { configDir: fixtures, models: {} })).toEqual([
      { field: 'module', message: 'module nope.js not found (paths are relative to the folder of llm-eval.yaml)' },
    ]);
    expect(factory.validate!({ type: 'script', module: 'graders.mjs' }, { configDir: fixtures, models: {} })).toEqual([]);
    await expect(makeGrader({ type: 'script', module: 'nope.js' }, env())).rejects.toBeInstanceOf(ConfigError);
    await expect(js('noSuchExport')).rejects.toThrow(/must export a function as `noSuchExport`/);
  });
});

describe('toGrade', () => {
  it('maps each accepted shape to a grade', () => {
    expect(toGrade(true, 0.5, 's')).toMatchObject({ pass: true, score: 1 });
    expect(toGrade(0, 0, 's')).toMatchObject({ pass: true, score: 0 });
    expect(toGrade({ pass: false }, 0.5, 's')).toMatchObject({ pass: false, score: 0 });
    expect(toGrade({ pass: true, score: 0.3, reason: 'ok' }, 0.5, 's')).toEqual({ pass: true, score: 0.3, reason: 'ok' });
    expect(() => toGrade(Number.NaN, 0.5, 's')).toThrow(GraderError);
    expect(() => toGrade({ score: -0.1 }, 0.5, 's')).toThrow(GraderError);
    expect(() => toGrade({}, 0.5, 's')).toThrow(GraderError);
    expect(() => toGrade([true], 0.5, 's')).toThrow(GraderError);
  });
});
