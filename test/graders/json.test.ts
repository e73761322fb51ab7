import { describe, expect, it } from 'vitest';
import { GraderError } from '../../src/errors.js';
import { extractJson } from '../../src/graders/extractJson.js';
import { firstDifference } from '../../src/graders/jsonDiff.js';
import { getGraderFactory } from '../../src/graders/registry.js';
import { caseCtx, gradeOnce, makeGrader } from './helpers.js';

describe('extractJson', () => {
  it('parses a bare JSON output', () => {
    expect(extractJson(' {"a": 1}\n')).toEqual({ ok: true, value: { a: 1 }, fenced: false });
    expect(extractJson('[1, 2]')).toEqual({ ok: true, value: [1, 2], fenced: false });
  });

  it('unwraps a ```json fence, even after a sentence', () => {
    expect(extractJson('```json\n{"a": 1}\n```')).toEqual({ ok: true, value: { a: 1 }, fenced: true });
    expect(extractJson('Here you go:\n\n```JSON\n{"a": [true]}\n```\nAnything else?')).toEqual({ ok: true, value: { a: [true] }, fenced: true });
    expect(extractJson('```\n{"b": 2}\n```')).toEqual({ ok: true, value: { b: 2 }, fenced: true });
  });

  it('prefers the json-tagged block over an earlier untagged one', () => {
    const out = 'Example:\n```\nnot json\n```\nAnswer:\n```json\n{"ok": true}\n```';
    expect(extractJson(out)).toMatchObject({ ok: true, value: { ok: true } });
  });

  it('does not dig JSON out of prose', () => {
    const res = extractJson('The answer is {"a": 1} I think');
    expect(res.ok).toBe(false);
  });

  it('explains what is wrong', () => {
    const bad = extractJson('{"a": 1,}');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatch(/^not valid JSON: /);
    const fencedBad = extractJson('```json\n{oops}\n```');
    if (!fencedBad.ok) expect(fencedBad.error).toMatch(/in the code block/);
    expect(extractJson('   ')).toEqual({ ok: false, error: 'the output is empty' });
  });
});

describe('firstDifference', () => {
  it('is undefined for equal JSON, whatever the key order', () => {
    expect(firstDifference({ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 })).toBeUndefined();
  });

  it('names the first differing path', () => {
    expect(firstDifference({ items: [{ sku: 'A1' }] }, { items: [{ sku: 'A2' }] })).toBe('at $.items[0].sku: expected "A1", got "A2"');
    expect(firstDifference({ a: 1 }, { a: 1, b: 2 })).toBe('at $: unexpected key "b"');
    expect(firstDifference({ a: 1, b: 2 }, { a: 1 })).toBe('at $: missing key "b"');
    expect(firstDifference([1, 2], [1])).toBe('at $: expected 2 items, got 1');
    expect(firstDifference({ n: 3 }, { n: '3' })).toBe('at $.n: expected a number (3), got a string ("3")');
    expect(firstDifference({ 'odd key': null }, { 'odd key': 0 })).toBe('at $["odd key"]: expected null (null), got a number (0)');
  });
});

describe('json grader', () => {
  it('passes valid JSON and fails anything else', async () => {
    expect(await gradeOnce({ type: 'json' }, '{"category": "billing"}')).toMatchObject({ pass: true, score: 1, reason: 'valid JSON' });
    expect(await gradeOnce({ type: 'json' }, '```json\n{"category": "billing"}\n```')).toMatchObject({ pass: true, reason: 'valid JSON (in a code block)' });
    expect(await gradeOnce({ type: 'json' }, 'category: billing')).toMatchObject({ pass: false, score: 0 });
  });

  it('does not compare with expected unless asked', async () => {
    expect((await gradeOnce({ type: 'json' }, '{"a": 2}', { expected: { a: 1 } })).pass).toBe(true);
  });

  it('with equals: true compares with the row\'s expected, key order ignored', async () => {
    const config = { type: 'json', equals: true };
    expect((await gradeOnce(config, '{"b": 2, "a": 1}', { expected: { a: 1, b: 2 } })).pass).toBe(true);
    const diff = await gradeOnce(config, '{"a": 1, "b": 3}', { expected: { a: 1, b: 2 } });
    expect(diff).toMatchObject({ pass: false, score: 0, reason: 'valid JSON but not equal: at $.b: expected 2, got 3' });
  });

  it('parses a string expected as JSON (a CSV cell)', async () => {
    expect((await gradeOnce({ type: 'json', equals: true }, '{"a":1}', { expected: '{"a": 1}' })).pass).toBe(true);
  });

  it('compares with a template value rendered and parsed, or a literal value', async () => {
    const templ = { type: 'json', value: '{"category": "{{ vars.cat }}"}' };
    expect((await gradeOnce(templ, '{"category":"billing"}', { vars: { cat: 'billing' } })).pass).toBe(true);
    expect((await gradeOnce(templ, '{"category":"account"}', { vars: { cat: 'billing' } })).pass).toBe(false);
    const literal = { type: 'json', value: { ok: true, n: [1, 2] } };
    expect((await gradeOnce(literal, '{"n":[1,2],"ok":true}')).pass).toBe(true);
    expect((await gradeOnce(literal, '{"n":[2,1],"ok":true}')).pass).toBe(false);
  });

  it('is a grader error when equals: true meets a row with no expected', async () => {
    const grader = await makeGrader({ type: 'json', equals: true });
    expect(() => grader.grade(caseCtx('{}'))).toThrow(GraderError);
  });

  it('validate refuses equals: false next to a value', () => {
    const factory = getGraderFactory('json')!;
    expect(factory.validate!({ type: 'json', value: 1, equals: false }, { configDir: '.', models: {} })[0]).toMatchObject({ field: 'equals' });
  });
});
