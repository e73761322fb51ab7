import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import '../../src/graders/builtins.js';
import { allGraderFactories } from '../../src/graders/registry.js';
import { graderConfigSchema } from '../../src/graders/configSchema.js';
import { configSchema } from '../../src/config/schema.js';

// The config and grader-option validators compile llm-eval's own schemas without checking them
// against the JSON Schema meta-schema (validateSchema: false saves every run the meta-schema's
// compile). This test is that check: a schema with a misspelt type or a malformed keyword fails here.
const meta = new Ajv({ strict: false });

describe('llm-eval’s own JSON Schemas', () => {
  it('the config schema is a valid draft-07 schema', () => {
    expect(meta.validateSchema(configSchema), meta.errorsText(meta.errors)).toBe(true);
  });

  it.each(allGraderFactories().map((f) => [f.type, f] as const))('grader `%s` options schema is a valid draft-07 schema', (_type, factory) => {
    expect(meta.validateSchema(graderConfigSchema(factory)), meta.errorsText(meta.errors)).toBe(true);
  });

  it('the check catches a broken schema (a type that does not exist)', () => {
    expect(meta.validateSchema({ type: 'object', properties: { n: { type: 'integr' } } })).toBe(false);
  });
});
