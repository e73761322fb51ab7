import { describe, expect, it, vi } from 'vitest';
import { ConfigError, GraderError } from '../../src/errors.js';
import { getGraderFactory } from '../../src/graders/registry.js';
import { caseCtx, gradeOnce, makeGrader } from './helpers.js';

describe('regex grader', () => {
  it('passes when the output matches and shows the match', async () => {
    const grade = await gradeOnce({ type: 'regex', pattern: '\\b[A-Z]{3}-\\d{4}\\b' }, 'Your ticket is ABC-1234.');
    expect(grade).toMatchObject({ pass: true, score: 1 });
    expect(grade.reason).toContain('"ABC-1234"');
    expect(await gradeOnce({ type: 'regex', pattern: '^\\d+$' }, 'abc')).toMatchObject({ pass: false, score: 0 });
  });

  it('trims the output by default so anchors work on a reply with a trailing newline', async () => {
    expect((await gradeOnce({ type: 'regex', pattern: '^yes$' }, 'yes\n')).pass).toBe(true);
    expect((await gradeOnce({ type: 'regex', pattern: '^yes$', trim: false }, 'yes\n')).pass).toBe(false);
  });

  it('ignoreCase and flags make the match case-insensitive', async () => {
    expect((await gradeOnce({ type: 'regex', pattern: '^yes$' }, 'YES')).pass).toBe(false);
    expect((await gradeOnce({ type: 'regex', pattern: '^yes$', ignoreCase: true }, 'YES')).pass).toBe(true);
    expect((await gradeOnce({ type: 'regex', pattern: '^yes$', flags: 'i' }, 'YES')).pass).toBe(true);
  });

  it('gives the same answer for the same output every time (no lastIndex state)', async () => {
    const grader = await makeGrader({ type: 'regex', pattern: 'a' });
    const results = [];
    for (let i = 0; i < 4; i++) results.push(((await grader.grade(caseCtx('a'))) as { pass: boolean }).pass);
    expect(results).toEqual([true, true, true, true]);
  });

  it('compiles a constant pattern once, at create', async () => {
    const Original = RegExp;
    // Counts constructions while still building real RegExps.
    const spy = vi.spyOn(globalThis, 'RegExp').mockImplementation(function (pattern: string | RegExp, flags?: string) {
      return new Original(pattern, flags);
    } as never);
    try {
      const grader = await makeGrader({ type: 'regex', pattern: 'x+' });
      const afterCreate = spy.mock.calls.length;
      for (let i = 0; i < 50; i++) await grader.grade(caseCtx('xx'));
      expect(afterCreate).toBeGreaterThan(0);
      expect(spy.mock.calls.length).toBe(afterCreate);
    } finally {
      spy.mockRestore();
    }
  });

  it('throws a ConfigError at create for a constant pattern that does not compile', async () => {
    await expect(makeGrader({ type: 'regex', pattern: '([a-z' })).rejects.toBeInstanceOf(ConfigError);
  });

  it('renders a template pattern per case and reports a rendered pattern that does not compile', async () => {
    const grader = await makeGrader({ type: 'regex', pattern: '^{{ vars.code }}-\\d+$' });
    expect(((await grader.grade(caseCtx('AB-12', { vars: { code: 'AB' } }))) as { pass: boolean }).pass).toBe(true);
    expect(((await grader.grade(caseCtx('AB-12', { vars: { code: 'CD' } }))) as { pass: boolean }).pass).toBe(false);
    await expect(async () => grader.grade(caseCtx('x', { vars: { code: '(' } }))).rejects.toThrow(GraderError);
  });

  it('validate reports a pattern that does not compile and refused flags', () => {
    const factory = getGraderFactory('regex')!;
    const ctx = { configDir: '.', models: {} };
    const bad = factory.validate!({ type: 'regex', pattern: '([a-z' }, ctx);
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({ field: 'pattern' });
    expect(bad[0]!.message).toMatch(/not a valid regular expression/);
    expect(factory.validate!({ type: 'regex', pattern: 'a', flags: 'g' }, ctx)[0]).toMatchObject({ field: 'flags' });
    expect(factory.validate!({ type: 'regex', pattern: 'a', flags: 'ims' }, ctx)).toEqual([]);
    expect(factory.validate!({ type: 'regex', pattern: '{{ oops' }, ctx)[0]!.message).toMatch(/not a valid Liquid template/);
  });

  it('stops a catastrophic pattern at the time limit with a grader error naming the pattern, and keeps grading', async () => {
    // ^(a+)+$ on 40 "a"s and "!" backtracks through ~2^40 paths: minutes on the main thread.
    const grader = await makeGrader({ type: 'regex', pattern: '^(a+)+$' });
    const err = await Promise.resolve(grader.grade(caseCtx(`${'a'.repeat(40)}!`))).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(GraderError);
    expect((err as Error).message).toContain('/^(a+)+$/');
    expect((err as Error).message).toMatch(/took longer than/);
    // The next case is graded by a fresh worker.
    expect((await grader.grade(caseCtx('aaaa'))).pass).toBe(true);
  }, 60_000);
});
