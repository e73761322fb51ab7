import { PromptRenderer } from '../../src/prompts/render.js';
import type { CallResult, ChatMessage, DatasetRow, GradeContext, GraderConfig, GraderEnv, GraderFactory, ModelCaller, ModelRequest } from '../../src/types.js';

/**
 * Shared set-up for the security grader tests: a GraderEnv with the project's real Liquid
 * renderer, and a GradeContext for one output. `models` is a ModelCaller given by the test (a
 * scripted judge), or one that fails the test if a grader calls a model it should not.
 */

export interface RecordedCall {
  model: string;
  req: Omit<ModelRequest, 'model'>;
  purpose?: string;
}

/** A ModelCaller that answers from `reply` and records what it was asked. */
export function scriptedModels(reply: (req: Omit<ModelRequest, 'model'>, call: number) => string, costUsd = 0.001): ModelCaller & { calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  return {
    calls,
    async call(model, req, opts) {
      calls.push({ model, req, purpose: opts?.purpose });
      const text = reply(req, calls.length - 1);
      const result: CallResult = { text, latencyMs: 1, cached: false, costUsd, attempts: 1, usage: { input: 100, output: 20, cachedInput: 0 } };
      return result;
    },
  };
}

const noModels: ModelCaller = {
  async call(model) {
    throw new Error(`unexpected model call to ${model}`);
  },
};

export function makeEnv(models: ModelCaller = noModels, warnings: string[] = []): GraderEnv {
  const renderer = new PromptRenderer();
  return {
    configDir: process.cwd(),
    render: (t, scope) => renderer.renderString(t, scope),
    models,
    modelConfigs: {},
    warn: (m) => warnings.push(m),
  };
}

export function makeCtx(
  output: string,
  opts: { vars?: Record<string, unknown>; expected?: unknown; messages?: ChatMessage[]; scope?: Record<string, unknown> } = {},
): GradeContext {
  const vars = opts.vars ?? {};
  const row: DatasetRow = { id: 'case-1', vars, expected: opts.expected, source: { file: 'dataset.jsonl', line: 1 } };
  return {
    output,
    row,
    scope: { ...vars, vars, expected: opts.expected, row: { id: row.id, tags: [] }, output, ...(opts.scope ?? {}) },
    prompt: { name: 'p', version: 'v1', hash: 'abc', messages: opts.messages ?? [{ role: 'user', content: 'hi' }] },
    suite: 's',
    variant: 'v',
    model: 'm',
    costUsd: 0,
    latencyMs: 1,
  };
}

/** Creates a grader from its factory with `options` (type filled in). */
export async function makeGrader(factory: GraderFactory, options: Omit<GraderConfig, 'type'> = {}, env: GraderEnv = makeEnv()) {
  return factory.create({ type: factory.type, ...options }, env);
}
