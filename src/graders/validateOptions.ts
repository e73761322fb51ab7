import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { GraderConfig, GraderFactory, ResolvedModel } from '../types.js';
import { graderConfigSchema, graderOptionNames } from './configSchema.js';
import { getGraderFactory, graderTypes } from './registry.js';
import { didYouMean } from '../util/suggest.js';

export interface OptionProblem {
  /** The option concerned (`values[1]`), when there is one. */
  field?: string;
  message: string;
}

// strict: a mistake in a factory's own schema (a misspelt keyword) fails loudly, in its tests.
// validateSchema: false: the schemas are llm-eval's own, checked against the meta-schema in
// test/config/schemasAreValid.test.ts; compiling the meta-schema costs every run ~30 ms.
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, validateSchema: false });
/** One compiled validator per factory: a config with 50 suites compiles each grader's schema once. */
const validators = new WeakMap<GraderFactory, ValidateFunction>();

/** The compiled check of one grader type's entries against its schema (options plus `type` and `name`). */
export function optionsValidator(factory: GraderFactory): ValidateFunction {
  let validate = validators.get(factory);
  if (!validate) {
    validate = ajv.compile(graderConfigSchema(factory));
    validators.set(factory, validate);
  }
  return validate;
}

/** `/values/0/x` → `values[0].x`: how the user would point at the option. */
function optionPath(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

function describe(error: ErrorObject, factory: GraderFactory): OptionProblem {
  const field = optionPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      // The config loader prefixes every message with `grader TYPE:`, so the type is not repeated here.
      if (field) return { field: `${field}.${key}`, message: `unknown key \`${key}\` in \`${field}\`` };
      const names = graderOptionNames(factory);
      return { field: key, message: `unknown option \`${key}\` (options: ${names.join(', ')})${didYouMean(key, names)}` };
    }
    case 'required': {
      const key = String(params['missingProperty']);
      return { field: field ? `${field}.${key}` : key, message: `missing required option \`${key}\`` };
    }
    case 'type':
      return { field, message: `\`${field}\` must be ${([] as unknown[]).concat(params['type']).join(' or ')}` };
    case 'enum':
      return { field, message: `\`${field}\` must be one of: ${((params['allowedValues'] as unknown[]) ?? []).map(String).join(', ')}` };
    case 'const':
      return { field, message: `\`${field}\` must be ${JSON.stringify(params['allowedValue'])}` };
    default:
      return { field: field || undefined, message: field ? `\`${field}\` ${error.message ?? 'is invalid'}` : (error.message ?? 'invalid options') };
  }
}

/**
 * Checks one grader entry: the type exists, the options match the grader's schema (only `type`,
 * `name` and the grader's own options are allowed), then the grader's own checks (a regex that
 * does not compile, a schema file that does not exist...). Returns every problem found, each
 * keyed by the option concerned, in words a user can act on.
 */
export function validateGraderOptions(
  config: GraderConfig,
  ctx: { configDir: string; models: Record<string, ResolvedModel> },
): OptionProblem[] {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    return [{ message: `a grader must be a mapping with a \`type\` (types: ${graderTypes().join(', ')})` }];
  }
  if (typeof config.type !== 'string' || config.type === '') {
    return [{ field: 'type', message: `a grader needs a \`type\` (types: ${graderTypes().join(', ')})` }];
  }
  const factory = getGraderFactory(config.type);
  if (!factory) {
    const types = graderTypes();
    return [{ field: 'type', message: `unknown grader type "${config.type}" (types: ${types.join(', ')})${didYouMean(config.type, types)}` }];
  }

  const validate = optionsValidator(factory);
  if (!validate(config)) return (validate.errors ?? []).map((e) => describe(e, factory));
  // The grader's own checks may assume well-typed options, so they run only once the schema passes.
  return factory.validate?.(config, ctx) ?? [];
}
