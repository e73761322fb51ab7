import { describe, expect, it } from 'vitest';
import { GraderError } from '../../src/errors.js';
import { isDefinitePath, jsonPathProblem } from '../../src/graders/jsonPath.js';
import { getGraderFactory } from '../../src/graders/registry.js';
import { caseCtx, gradeOnce, makeGrader } from './helpers.js';

const ticket = JSON.stringify({ category: 'billing', priority: 2, urgent: true, items: [{ sku: 'A1' }, { sku: 'B2' }] });

describe('json-path grader', () => {
  it('compares the value at a path with a constant value', async () => {
    expect(await gradeOnce({ type: 'json-path', path: '$.category', value: 'billing' }, ticket)).toMatchObject({ pass: true, score: 1 });
    const miss = await gradeOnce({ type: 'json-path', path: '$.category', value: 'account' }, ticket);
    expect(miss).toMatchObject({ pass: false, score: 0, reason: 'at $.category: expected "account", got "billing"' });
  });

  it('reads a value that parses as JSON as JSON, so "2" matches 2 and "true" matches true', async () => {
    expect((await gradeOnce({ type: 'json-path', path: '$.priority', value: '2' }, ticket)).pass).toBe(true);
    expect((await gradeOnce({ type: 'json-path', path: '$.urgent', value: 'true' }, ticket)).pass).toBe(true);
    expect((await gradeOnce({ type: 'json-path', path: '$.priority', value: 3 }, ticket)).pass).toBe(false);
    // and a string "2" in the output still matches the text "2"
    expect((await gradeOnce({ type: 'json-path', path: '$.n', value: '2' }, '{"n": "2"}')).pass).toBe(true);
  });

  it('renders a template value and falls back to expected', async () => {
    expect((await gradeOnce({ type: 'json-path', path: '$.category', value: '{{ expected.category }}' }, ticket, { expected: { category: 'billing' } })).pass).toBe(true);
    expect((await gradeOnce({ type: 'json-path', path: '$.category' }, ticket, { expected: 'billing' })).pass).toBe(true);
    expect((await gradeOnce({ type: 'json-path', path: '$.priority' }, ticket, { expected: 2 })).pass).toBe(true);
  });

  it('compares an indefinite path as the list of its matches', async () => {
    expect((await gradeOnce({ type: 'json-path', path: '$.items[*].sku', value: ['A1', 'B2'] }, ticket)).pass).toBe(true);
    expect((await gradeOnce({ type: 'json-path', path: '$.items[*].sku', value: '["A1"]' }, ticket)).pass).toBe(false);
    expect((await gradeOnce({ type: 'json-path', path: '$.items[?(@.sku == "B2")].sku', value: ['B2'] }, ticket)).pass).toBe(true);
  });

  it('fails a definite path that matches nothing, and output that is not JSON', async () => {
    expect(await gradeOnce({ type: 'json-path', path: '$.missing', value: 'x' }, ticket)).toMatchObject({ pass: false, reason: '$.missing not found in the output' });
    expect((await gradeOnce({ type: 'json-path', path: '$.a', value: 'x' }, 'nope')).reason).toMatch(/^not valid JSON/);
  });

  it('is a grader error without a value or an expected', async () => {
    const grader = await makeGrader({ type: 'json-path', path: '$.category' });
    expect(() => grader.grade(caseCtx(ticket))).toThrow(GraderError);
  });

  it('tells definite paths from indefinite ones', () => {
    expect(isDefinitePath('$.a.b[0]')).toBe(true);
    expect(isDefinitePath("$['a b']")).toBe(true);
    for (const p of ['$.a[*]', '$..b', '$.a[?(@.x)]', '$.a[0:2]', '$.a[0,1]']) expect(isDefinitePath(p)).toBe(false);
  });

  it('validate asks for a path from the root', () => {
    const factory = getGraderFactory('json-path')!;
    expect(factory.validate!({ type: 'json-path', path: 'category', value: 'x' }, { configDir: '.', models: {} })).toEqual([
      { field: 'path', message: '`path` must start at the root, e.g. "$.category"' },
    ]);
  });
});

describe('json-path: malformed paths are validation errors', () => {
  it('finds unbalanced brackets, parentheses and quotes, and a trailing dot', () => {
    expect(jsonPathProblem('$.a[')).toBe('unclosed `[`');
    expect(jsonPathProblem('$.a]')).toBe('unexpected `]` at character 4');
    expect(jsonPathProblem("$['a")).toBe("unclosed quote '");
    expect(jsonPathProblem('$..[?(@.x > 1]')).toBe('unexpected `]` at character 14');
    expect(jsonPathProblem('$.a.')).toBe('ends with `.`: name a field after it');
  });

  it('accepts well-formed paths, including brackets inside quotes', () => {
    for (const p of ['$', '$.a.b', '$..sku', '$.items[*].sku', "$['a]b']", '$.items[?(@.price > 10)].name', '$.a[0:2]', '$.a[-1:]']) {
      expect(jsonPathProblem(p), p).toBeUndefined();
    }
  });
});
