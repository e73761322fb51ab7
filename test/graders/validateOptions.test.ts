import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { builtinGraders } from '../../src/graders/builtins.js';
import { graderConfigSchema } from '../../src/graders/configSchema.js';
import { graderTypes } from '../../src/graders/registry.js';
import { validateGraderOptions } from '../../src/graders/validateOptions.js';

const ctx = { configDir: process.cwd(), models: {} };

describe('validateGraderOptions', () => {
  it('accepts valid options, with a name', () => {
    expect(validateGraderOptions({ type: 'exact', name: 'category', value: '{{ expected }}', ignoreCase: true, trim: false }, ctx)).toEqual([]);
    expect(validateGraderOptions({ type: 'contains', values: ['a', 'b'], mode: 'any' }, ctx)).toEqual([]);
    expect(validateGraderOptions({ type: 'cost', max: 0.02 }, ctx)).toEqual([]);
  });

  it('names an unknown option and lists the valid ones, suggesting the likely one', () => {
    expect(validateGraderOptions({ type: 'exact', value: 'x', ignorecase: true }, ctx)).toEqual([
      { field: 'ignorecase', message: 'unknown option `ignorecase` (options: value, ignoreCase, trim, type, name); did you mean `ignoreCase`?' },
    ]);
    expect(validateGraderOptions({ type: 'exact', foo: 1 }, ctx)).toEqual([
      { field: 'foo', message: 'unknown option `foo` (options: value, ignoreCase, trim, type, name)' },
    ]);
  });

  it('lists the grader types for an unknown type', () => {
    const [problem] = validateGraderOptions({ type: 'exacct' }, ctx);
    expect(problem!.field).toBe('type');
    expect(problem!.message).toBe(`unknown grader type "exacct" (types: ${graderTypes().join(', ')}); did you mean \`exact\`?`);
    expect(validateGraderOptions({ type: '' }, ctx)[0]!.message).toMatch(/^a grader needs a `type`/);
  });

  it('reports missing required options, wrong types, enums and ranges', () => {
    expect(validateGraderOptions({ type: 'regex' }, ctx)).toEqual([{ field: 'pattern', message: 'missing required option `pattern`' }]);
    expect(validateGraderOptions({ type: 'exact', ignoreCase: 'yes' }, ctx)).toEqual([{ field: 'ignoreCase', message: '`ignoreCase` must be boolean' }]);
    expect(validateGraderOptions({ type: 'contains', values: ['a'], mode: 'some' }, ctx)).toEqual([{ field: 'mode', message: '`mode` must be one of: all, any' }]);
    expect(validateGraderOptions({ type: 'similarity', threshold: 1.5 }, ctx)).toEqual([{ field: 'threshold', message: '`threshold` must be <= 1' }]);
    expect(validateGraderOptions({ type: 'one-of', values: ['a', 3] }, ctx)).toEqual([{ field: 'values[1]', message: '`values[1]` must be string' }]);
    expect(validateGraderOptions({ type: 'json-schema', schema: 3 }, ctx)).toEqual([{ field: 'schema', message: '`schema` must be object or string' }]);
  });

  it('reports every schema problem at once', () => {
    const problems = validateGraderOptions({ type: 'similarity', threshold: 'high', trim: 1, bogus: true }, ctx);
    expect(problems.map((p) => p.field).sort()).toEqual(['bogus', 'threshold', 'trim']);
  });

  it("runs the grader's own checks once the schema passes", () => {
    expect(validateGraderOptions({ type: 'regex', pattern: '(' }, ctx)[0]).toMatchObject({ field: 'pattern' });
    expect(validateGraderOptions({ type: 'contains', value: 'a', values: ['b'] }, ctx)).toEqual([
      { field: 'values', message: 'set either `value` (one text) or `values` (a list), not both' },
    ]);
    expect(validateGraderOptions({ type: 'exact', value: '{{ unclosed' }, ctx)[0]!.message).toMatch(/^`value` is not a valid Liquid template: /);
    expect(validateGraderOptions({ type: 'script', module: 'missing.js' }, ctx)[0]).toMatchObject({ field: 'module' });
  });

  it('refuses an entry that is not a mapping', () => {
    expect(validateGraderOptions('exact' as never, ctx)[0]!.message).toMatch(/must be a mapping/);
  });
});

describe('built-in grader schemas', () => {
  it('registers every built-in', () => {
    for (const f of builtinGraders) expect(graderTypes()).toContain(f.type);
  });

  it('each compiles in strict mode, forbids unknown options and allows only type and name besides its own', () => {
    const ajv = new Ajv({ strict: true, allowUnionTypes: true });
    for (const f of builtinGraders) {
      expect(f.optionsSchema['additionalProperties'], f.type).toBe(false);
      expect(Object.keys(f.optionsSchema['properties'] as object), f.type).not.toContain('type');
      const validate = ajv.compile(graderConfigSchema(f));
      expect(validate({ type: f.type, name: 'n', surely_not_an_option: 1 }), f.type).toBe(false);
      expect(f.description.length, f.type).toBeGreaterThan(10);
    }
  });
});
