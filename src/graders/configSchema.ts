import type { GraderFactory, JsonSchema } from '../types.js';

/** The keys every grader accepts beside its own options. */
export const COMMON_GRADER_KEYS = ['type', 'name'] as const;

/**
 * The JSON Schema of one grader entry in llm-eval.yaml: its options plus `type` (fixed to the
 * factory's type) and `name`. Used to validate options and, for editor completion, in the
 * shipped config schema (e.g. as one branch of a oneOf over grader types).
 */
export function graderConfigSchema(factory: GraderFactory): JsonSchema {
  const options = factory.optionsSchema;
  const properties = (options['properties'] ?? {}) as Record<string, unknown>;
  const required = Array.isArray(options['required']) ? (options['required'] as string[]) : [];
  return {
    ...options,
    description: factory.description,
    properties: {
      type: { const: factory.type },
      name: { type: 'string', minLength: 1, description: 'Display name in reports (default: the type).' },
      ...properties,
    },
    required: ['type', ...required.filter((r) => r !== 'type')],
  };
}

/** The option names a grader accepts, for "unknown option" messages: its own first, then the common ones. */
export function graderOptionNames(factory: GraderFactory): string[] {
  const own = Object.keys((factory.optionsSchema['properties'] ?? {}) as Record<string, unknown>);
  return [...own, ...COMMON_GRADER_KEYS.filter((k) => !own.includes(k))];
}
