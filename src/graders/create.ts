import { LlmEvalError } from '../errors.js';
import type { Grader, GraderConfig, GraderEnv } from '../types.js';
import { getGraderFactory, graderTypes } from './registry.js';
import { graderName } from './name.js';

/**
 * Builds a grader from its config entry: looks the type up in the registry and names it (the
 * `name` option, else the type). The heavy work (compiling a regex or a schema, loading a script)
 * happens here, once per run. Options are expected to have passed validateGraderOptions, as the
 * config loader does; a factory still throws a ConfigError on a problem it meets.
 */
export async function createGrader(config: GraderConfig, env: GraderEnv): Promise<Grader> {
  const factory = getGraderFactory(config.type);
  if (!factory) {
    throw new LlmEvalError('GRADER_UNKNOWN', `unknown grader type "${config.type}" (types: ${graderTypes().join(', ')})`, 2);
  }
  const grader = await factory.create(config, env);
  const name = graderName(config);
  if (grader.name === name) return grader;
  return { name, grade: (ctx) => grader.grade(ctx) };
}
