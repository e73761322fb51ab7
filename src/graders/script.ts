import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, GraderError } from '../errors.js';
import type { Grade, GradeContext } from '../types.js';
import { importUserModule } from '../util/importModule.js';
import { graderName } from './name.js';
import { kindOf } from './text.js';
import { defineGrader } from './define.js';

/** What a script grader's function receives beside the output: the grade context's fields, with the row's vars and expected at the top. */
export type ScriptGraderContext = Pick<GradeContext, 'row' | 'prompt' | 'suite' | 'variant' | 'model' | 'costUsd' | 'latencyMs' | 'tokens' | 'signal'> & {
  vars: Record<string, unknown>;
  expected: unknown;
  /** The grader's `config` option, for one function shared by several graders. */
  config: Record<string, unknown>;
};

/** A boolean, a score in 0..1, or a grade; may be async. */
export type ScriptGraderResult =
  | boolean
  | number
  | { pass?: boolean; score?: number; reason?: string; details?: Record<string, unknown> };

export type ScriptGraderFn = (output: string, ctx: ScriptGraderContext) => ScriptGraderResult | Promise<ScriptGraderResult>;


export const DEFAULT_SCRIPT_THRESHOLD = 0.5;

const RETURN_HINT = 'return a boolean, a score in 0..1, or { pass?, score?, reason? }';

function isScore(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x) && x >= 0 && x <= 1;
}

/**
 * Turns what the function returned into a grade. Anything it cannot mean (a string, a score of
 * 7, NaN) is a GraderError: the case is recorded as errored, never as a pass.
 */
export function toGrade(value: unknown, threshold: number, grader: string): Grade {
  if (typeof value === 'boolean') return { pass: value, score: value ? 1 : 0, reason: `script returned ${value}` };
  if (typeof value === 'number') {
    if (!isScore(value)) throw new GraderError(grader, `script returned ${value}; ${RETURN_HINT}`);
    const pass = value >= threshold;
    return { pass, score: value, reason: `script score ${value} ${pass ? '≥' : '<'} ${threshold}` };
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const v = value as { pass?: unknown; score?: unknown; reason?: unknown; details?: unknown };
    if (v.pass !== undefined && typeof v.pass !== 'boolean') throw new GraderError(grader, `script returned pass: ${JSON.stringify(v.pass)}; \`pass\` must be a boolean`);
    if (v.score !== undefined && !isScore(v.score)) throw new GraderError(grader, `script returned score: ${JSON.stringify(v.score)}; \`score\` must be a number in 0..1`);
    if (v.pass === undefined && v.score === undefined) throw new GraderError(grader, `script returned an object without \`pass\` or \`score\`; ${RETURN_HINT}`);
    const pass = typeof v.pass === 'boolean' ? v.pass : (v.score as number) >= threshold;
    const score = typeof v.score === 'number' ? v.score : pass ? 1 : 0;
    const reason = typeof v.reason === 'string' && v.reason !== '' ? v.reason : `script returned ${pass ? 'pass' : 'fail'} (score ${score})`;
    const grade: Grade = { pass, score, reason };
    if (v.details !== null && typeof v.details === 'object' && !Array.isArray(v.details)) grade.details = v.details as Record<string, unknown>;
    return grade;
  }
  throw new GraderError(grader, `script returned ${value === undefined ? 'nothing' : kindOf(value)}; ${RETURN_HINT}`);
}

function scriptContext(ctx: GradeContext, config: Record<string, unknown>): ScriptGraderContext {
  return {
    vars: ctx.row.vars,
    expected: ctx.row.expected,
    row: ctx.row,
    prompt: ctx.prompt,
    suite: ctx.suite,
    variant: ctx.variant,
    model: ctx.model,
    costUsd: ctx.costUsd,
    latencyMs: ctx.latencyMs,
    tokens: ctx.tokens,
    config,
    signal: ctx.signal,
  };
}

/** A user's JS/TS function grades the output; the module is loaded once, when the grader is created. */
const script = defineGrader({
  type: 'script',
  description: 'A JS/TS function `(output, ctx) => boolean | score | { pass, score?, reason? }` grades the output.',
  optionsSchema: {
    type: 'object',
    properties: {
      module: { type: 'string', minLength: 1, description: 'Path of a .js/.mjs/.ts module, relative to llm-eval.yaml.' },
      export: { type: 'string', minLength: 1, default: 'default', description: 'Name of the exported function (default: the default export, or the only function exported).' },
      threshold: { type: 'number', minimum: 0, maximum: 1, default: DEFAULT_SCRIPT_THRESHOLD, description: 'Least score that passes when the function returns a number.' },
      config: { type: 'object', description: 'Passed to the function as ctx.config.' },
    },
    required: ['module'],
    additionalProperties: false,
  },
  validate(config, ctx) {
    const file = path.resolve(ctx.configDir, String(config['module']));
    if (!existsSync(file)) return [{ field: 'module', message: `module ${String(config['module'])} not found (paths are relative to the folder of llm-eval.yaml)` }];
    return [];
  },
  async create(options, env) {
    const name = graderName(options);
    const file = path.resolve(env.configDir, options.module);
    if (!existsSync(file)) throw ConfigError.at(file, 0, `grader ${name}: module not found; check \`module:\``);
    const fn = await importUserModule<ScriptGraderFn>(file, `grader ${name}`, options.export ?? 'default');
    const threshold = options.threshold ?? DEFAULT_SCRIPT_THRESHOLD;
    const userConfig = options.config ?? {};
    return {
      name,
      async grade(ctx) {
        let value: unknown;
        try {
          value = await fn(ctx.output, scriptContext(ctx, userConfig));
        } catch (err) {
          throw new GraderError(name, `script ${path.basename(file)} threw: ${err instanceof Error ? err.message : String(err)}`);
        }
        return toGrade(value, threshold, name);
      },
    };
  },
});

export default script;
