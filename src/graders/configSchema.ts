import type { GraderFactory, JsonSchema } from '../types.js';
import { PASS_SCORE_METRICS } from './define.js';

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
    description: describeGrader(factory),
    properties: {
      type: { const: factory.type },
      name: { type: 'string', minLength: 1, description: 'Display name in reports (default: the type).' },
      ...properties,
    },
    required: ['type', ...required.filter((r) => r !== 'type')],
  };
}

/** The description an editor shows for a grader entry: what it checks, when it runs, what it records. */
function describeGrader(factory: GraderFactory): string {
  const when = factory.scope === 'run' ? ' Runs once after the cases, over the whole run.' : '';
  const metrics = Object.keys(factory.metrics ?? PASS_SCORE_METRICS);
  return `${factory.description}${when} Records: ${metrics.join(', ')}.`;
}

/** The option names a grader accepts, for "unknown option" messages: its own first, then the common ones. */
export function graderOptionNames(factory: GraderFactory): string[] {
  const own = Object.keys((factory.optionsSchema['properties'] ?? {}) as Record<string, unknown>);
  return [...own, ...COMMON_GRADER_KEYS.filter((k) => !own.includes(k))];
}
