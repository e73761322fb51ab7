import path from 'node:path';
import { ConfigError } from '../errors.js';
import { extractJson } from './extractJson.js';
import { graderName } from './name.js';
import { compileSchema, describeSchemaErrors, loadSchema, schemaCompileError } from './schemaSource.js';
import { defineGrader } from './define.js';

/**
 * The output's JSON (fence unwrapped) validates against a JSON Schema. The schema is read and
 * compiled once when the grader is created; each case only runs the compiled validator.
 */
const jsonSchema = defineGrader({
  type: 'json-schema',
  description: 'The output is JSON valid against `schema` (inline, or a .json/.yaml file), checked with ajv.',
  optionsSchema: {
    type: 'object',
    properties: {
      schema: {
        type: ['object', 'string'],
        description: 'A JSON Schema (draft-07, 2019-09 or 2020-12, by its $schema), inline or a .json/.yaml path relative to llm-eval.yaml.',
      },
    },
    required: ['schema'],
    additionalProperties: false,
  },
  validate(options, ctx) {
    const loaded = loadSchema(options.schema, ctx.configDir);
    if (!loaded.ok) return [{ field: 'schema', message: loaded.message }];
    const error = schemaCompileError(loaded.schema);
    return error ? [{ field: 'schema', message: `invalid JSON Schema: ${error}` }] : [];
  },
  create(options, env) {
    const name = graderName(options);
    const loaded = loadSchema(options.schema, env.configDir);
    const where = typeof options.schema === 'string' ? options.schema : 'the inline schema';
    const file = typeof options.schema === 'string' ? path.resolve(env.configDir, options.schema) : env.configDir;
    if (!loaded.ok) throw ConfigError.at(file, 0, `grader ${name}: ${loaded.message}`);
    let validate: ReturnType<typeof compileSchema>;
    try {
      validate = compileSchema(loaded.schema);
    } catch (err) {
      throw ConfigError.at(file, 0, `grader ${name}: invalid JSON Schema: ${err instanceof Error ? err.message : String(err)}`);
    }
    return {
      name,
      grade(ctx) {
        const parsed = extractJson(ctx.output);
        if (!parsed.ok) return { pass: false, score: 0, reason: parsed.error };
        if (validate(parsed.value)) return { pass: true, score: 1, reason: `matches ${where}` };
        return { pass: false, score: 0, reason: `does not match ${where}: ${describeSchemaErrors(validate.errors)}` };
      },
    };
  },
});

export default jsonSchema;
