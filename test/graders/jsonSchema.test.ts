import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { getGraderFactory } from '../../src/graders/registry.js';
import { caseCtx, gradeOnce, makeGrader, testEnv } from './helpers.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/graders');
const env = () => testEnv(fixtures);
const validateCtx = { configDir: fixtures, models: {} };

describe('json-schema grader', () => {
  it('passes output that matches an inline schema and fails output that does not', async () => {
    const config = { type: 'json-schema', schema: { type: 'object', required: ['answer'], properties: { answer: { type: 'string' } } } };
    expect(await gradeOnce(config, '{"answer": "42"}')).toMatchObject({ pass: true, score: 1 });
    const bad = await gradeOnce(config, '{"answer": 42}');
    expect(bad).toMatchObject({ pass: false, score: 0 });
    expect(bad.reason).toBe('does not match the inline schema: $.answer must be string');
  });

  it('reads a schema file relative to the config folder and lists the first errors with their paths', async () => {
    const config = { type: 'json-schema', schema: 'ticket.schema.json' };
    expect((await gradeOnce(config, '```json\n{"category": "billing", "priority": 2}\n```', {}, env())).pass).toBe(true);
    const bad = await gradeOnce(config, '{"category": "sales", "priority": 9, "email": "nope", "extra": 1}', {}, env());
    expect(bad.pass).toBe(false);
    expect(bad.reason).toContain('does not match ticket.schema.json: ');
    expect(bad.reason).toContain('$ must NOT have additional properties (extra)');
    expect(bad.reason).toContain('$.category must be equal to one of the allowed values: "billing", "technical", "account"');
    expect(bad.reason).toMatch(/\(\+\d+ more\)$/);
  });

  it('checks formats (ajv-formats)', async () => {
    const config = { type: 'json-schema', schema: 'ticket.schema.json' };
    const bad = await gradeOnce(config, '{"category": "billing", "priority": 1, "email": "not-an-email"}', {}, env());
    expect(bad.reason).toContain('$.email must match format "email"');
  });

  it('uses the 2020-12 dialect when the schema declares it (YAML file)', async () => {
    const config = { type: 'json-schema', schema: 'ticket.schema.yaml' };
    expect((await gradeOnce(config, '{"tags": ["first", "x"]}', {}, env())).pass).toBe(true);
    expect((await gradeOnce(config, '{"tags": ["second"]}', {}, env())).pass).toBe(false);
  });

  it('fails output that is not JSON with the parse error', async () => {
    const grade = await gradeOnce({ type: 'json-schema', schema: { type: 'object' } }, 'not json');
    expect(grade.pass).toBe(false);
    expect(grade.reason).toMatch(/^not valid JSON/);
  });

  it('compiles the schema once, at create, however many cases it grades', async () => {
    const draft7 = vi.spyOn(Ajv.prototype, 'compile');
    const draft2020 = vi.spyOn(Ajv2020.prototype, 'compile');
    try {
      // A schema no other test compiled (compiled validators are kept per schema content).
      const schema = { type: 'object', title: 'compiled once at create', required: ['category'], properties: { category: { type: 'string' }, priority: { type: 'integer' } } };
      const grader = await makeGrader({ type: 'json-schema', schema }, env());
      expect(draft7).toHaveBeenCalledTimes(1);
      for (let i = 0; i < 200; i++) await grader.grade(caseCtx(`{"category": "billing", "priority": ${(i % 3) + 1}}`));
      expect(draft7).toHaveBeenCalledTimes(1);
      expect(draft2020).not.toHaveBeenCalled();
    } finally {
      draft7.mockRestore();
      draft2020.mockRestore();
    }
  });

  it('checking the config and creating the grader compile the schema once between them', async () => {
    const draft7 = vi.spyOn(Ajv.prototype, 'compile');
    try {
      const schema = { type: 'object', title: 'compiled once for check and create', properties: { n: { type: 'integer' } } };
      expect(getGraderFactory('json-schema')!.validate!({ type: 'json-schema', schema }, validateCtx)).toEqual([]);
      const grader = await makeGrader({ type: 'json-schema', schema }, env());
      expect((await grader.grade(caseCtx('{"n": 1}'))).pass).toBe(true);
      expect((await grader.grade(caseCtx('{"n": "one"}'))).pass).toBe(false);
      expect(draft7).toHaveBeenCalledTimes(1);
    } finally {
      draft7.mockRestore();
    }
  });

  it('two schemas with the same $id each validate by their own rules', async () => {
    const a = await makeGrader({ type: 'json-schema', schema: { $id: 'https://example.com/same.json', type: 'object', required: ['a'] } }, env());
    const b = await makeGrader({ type: 'json-schema', schema: { $id: 'https://example.com/same.json', type: 'object', required: ['b'] } }, env());
    expect((await a.grade(caseCtx('{"a": 1}'))).pass).toBe(true);
    expect((await a.grade(caseCtx('{"b": 1}'))).pass).toBe(false);
    expect((await b.grade(caseCtx('{"b": 1}'))).pass).toBe(true);
    expect((await b.grade(caseCtx('{"a": 1}'))).pass).toBe(false);
  });

  it('validate reports a missing file, an unparsable file and an invalid schema', () => {
    const factory = getGraderFactory('json-schema')!;
    expect(factory.validate!({ type: 'json-schema', schema: 'nope.json' }, validateCtx)).toEqual([
      { field: 'schema', message: 'schema file nope.json not found (paths are relative to the folder of llm-eval.yaml)' },
    ]);
    expect(factory.validate!({ type: 'json-schema', schema: 'broken.schema.json' }, validateCtx)[0]!.message).toMatch(/cannot be parsed/);
    expect(factory.validate!({ type: 'json-schema', schema: 'invalid.schema.json' }, validateCtx)[0]!.message).toMatch(/^invalid JSON Schema: /);
    expect(factory.validate!({ type: 'json-schema', schema: { type: 'object', properties: { a: { minimum: 'x' } } } }, validateCtx)[0]!.message).toMatch(
      /^invalid JSON Schema: /,
    );
    expect(factory.validate!({ type: 'json-schema', schema: 'ticket.schema.json' }, validateCtx)).toEqual([]);
  });

  it('create throws a ConfigError for a schema file that does not exist', async () => {
    await expect(makeGrader({ type: 'json-schema', schema: 'nope.json' }, env())).rejects.toBeInstanceOf(ConfigError);
  });

  it('two graders whose schemas share an $id do not collide', async () => {
    const a = await makeGrader({ type: 'json-schema', schema: { $id: 'https://x/s', type: 'string' } });
    const b = await makeGrader({ type: 'json-schema', schema: { $id: 'https://x/s', type: 'number' } });
    expect(((await a.grade(caseCtx('"s"'))) as { pass: boolean }).pass).toBe(true);
    expect(((await b.grade(caseCtx('3'))) as { pass: boolean }).pass).toBe(true);
  });
});
