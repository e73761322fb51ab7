import type { JsonSchema } from '../types.js';
import { configSchema, suiteSchema } from './schema.js';
import { allGraderFactories, graderTypes } from '../graders/registry.js';
import { graderConfigSchema } from '../graders/configSchema.js';
import '../graders/builtins.js';

/**
 * The config's JSON Schema as shipped for editors (schema/llm-eval.schema.json, written at
 * build): the structure from config/schema.ts, with each grader entry checked against its own
 * options, chosen by `type`. Built from the same definitions the loader validates with.
 */
export function shippedConfigSchema(): JsonSchema {
  const graderEntry: JsonSchema = {
    type: 'object',
    required: ['type'],
    properties: { type: { enum: graderTypes() }, name: { type: 'string' } },
    allOf: allGraderFactories().map((f) => ({
      if: { properties: { type: { const: f.type } }, required: ['type'] },
      then: graderConfigSchema(f),
    })),
  };
  const suiteProps = suiteSchema['properties'] as Record<string, JsonSchema>;
  const suite: JsonSchema = { ...suiteSchema, properties: { ...suiteProps, graders: { type: 'array', items: graderEntry } } };
  const props = configSchema['properties'] as Record<string, JsonSchema>;
  return {
    ...configSchema,
    $id: 'https://llm-eval.dev/schema/llm-eval.schema.json',
    properties: { ...props, suites: { ...props['suites'], additionalProperties: suite } },
  };
}
