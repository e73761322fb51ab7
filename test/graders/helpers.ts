import { Liquid } from 'liquidjs';
import type { DatasetRow, Grade, GradeContext, Grader, GraderConfig, GraderEnv, ModelCaller } from '../../src/types.js';
import { getGraderFactory } from '../../src/graders/registry.js';
import '../../src/graders/builtins.js';

/** Strict Liquid like the prompt renderer: a missing variable is an error, not "". */
const liquid = new Liquid({ strictVariables: true, strictFilters: true });

export interface TestEnv extends GraderEnv {
  /** Templates rendered so far, to tell constants (never rendered) from templates. */
  rendered: string[];
}

const noModels: ModelCaller = {
  call: () => Promise.reject(new Error('no model calls in these tests')),
};

export function testEnv(configDir = process.cwd()): TestEnv {
  const rendered: string[] = [];
  return {
    configDir,
    rendered,
    render(template, scope) {
      rendered.push(template);
      return liquid.parseAndRenderSync(template, scope) as string;
    },
    models: noModels,
    modelConfigs: {},
    warn: () => undefined,
  };
}

export interface CaseInput {
  vars?: Record<string, unknown>;
  expected?: unknown;
  costUsd?: number | null;
  latencyMs?: number;
  id?: string;
}

/** A grading context as the runner builds it: the scope has `vars`, `expected` and the vars at top level. */
export function caseCtx(output: string, input: CaseInput = {}): GradeContext {
  const vars = input.vars ?? {};
  const row: DatasetRow = { id: input.id ?? 'row-1', vars, source: { file: 'dataset.jsonl', line: 1 } };
  if ('expected' in input) row.expected = input.expected;
  return {
    output,
    row,
    scope: { ...vars, vars, expected: row.expected, row },
    prompt: { name: 'p', version: 'v1', hash: 'abc123', messages: [{ role: 'user', content: 'hi' }] },
    suite: 'suite',
    variant: 'variant',
    model: 'fast',
    costUsd: input.costUsd === undefined ? 0.001 : input.costUsd,
    latencyMs: input.latencyMs ?? 100,
  };
}

/** Creates a grader straight from its factory, as createGrader would after validation. */
export async function makeGrader(config: GraderConfig, env: GraderEnv = testEnv()): Promise<Grader> {
  const factory = getGraderFactory(config.type);
  if (!factory) throw new Error(`no grader ${config.type}`);
  return factory.create(config, env);
}

/** Grades one output with a fresh grader. */
export async function gradeOnce(config: GraderConfig, output: string, input: CaseInput = {}, env?: GraderEnv): Promise<Grade> {
  const grader = await makeGrader(config, env);
  return grader.grade(caseCtx(output, input));
}
