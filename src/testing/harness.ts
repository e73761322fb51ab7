import path from 'node:path';
import { ConfigError, formatIssue, UsageError } from '../errors.js';
import { findConfigFile, loadConfig } from '../config/load.js';
import { bareConfig, resolveModel, type InlineModel } from '../config/resolve.js';
import { createModelCaller, type RunModelCaller } from '../execute/caller.js';
import { createGrader } from '../graders/create.js';
import { createGraderEnv } from '../graders/env.js';
import { graderScope } from '../graders/scope.js';
import { validateGraderOptions } from '../graders/validateOptions.js';
import '../graders/builtins.js';
import { PromptRenderer } from '../prompts/render.js';
import { rowId } from '../datasets/rowId.js';
import { gradeOutput, type GradedOutput } from '../runner/gradeOutput.js';
import { toolCallOf } from '../providers/toolCall.js';
import type { CacheMode, Grader, GraderConfig, GraderEnv, ResolvedConfig, ToolCall, ToolDefinition } from '../types.js';
import { registerSecretsFromEnv } from '../util/secrets.js';
import { valueHash } from '../util/hash.js';

/**
 * Grading outside a run: the graders, judges, cache and cost accounting of `llm-eval run`, for a
 * test file (the `llm-eval/vitest` matchers and describeEval) or any script. The project's
 * llm-eval.yaml is used when one is found (its models, cache folder and defaults); without one
 * the harness works in the current folder with the default settings.
 */

export interface HarnessRow {
  id?: string;
  vars?: Record<string, unknown>;
  expected?: unknown;
  tags?: string[];
}

/**
 * A tool call as your code has it: `{ name, arguments }` (llm-eval's and a script model's form;
 * `input` as Anthropic's `tool_use` blocks have it), or an OpenAI `tool_calls` entry
 * `{ id, type: 'function', function: { name, arguments } }`. Arguments given as a string are the
 * JSON text the model sent (kept raw when it is not valid JSON, as in a run).
 */
export type HarnessToolCall = { name: string; arguments?: unknown; input?: unknown; id?: string } | { id?: string; function: { name: string; arguments?: unknown } };

/** An output with tool calls: `output` (the text, default ""), the calls, and the declared `tools` (for `tool-args-valid`). */
export interface HarnessOutput {
  output?: string;
  toolCalls?: HarnessToolCall[];
  tools?: ToolDefinition[];
}

/** Your calls as the graders see them in a run (ids `call_<n>` where none is given). */
export function harnessToolCalls(calls: readonly HarnessToolCall[]): ToolCall[] {
  return calls.map((c, i) => {
    const { name, args } = 'function' in c ? { name: c.function.name, args: c.function.arguments } : { name: c.name, args: c.arguments ?? c.input };
    return toolCallOf(c.id ?? `call_${i}`, name, typeof args === 'string' ? args : JSON.stringify(args ?? {}));
  });
}

export interface EvalHarnessOptions {
  /** Where llm-eval.yaml is looked for, walking up (default: the current folder). */
  cwd?: string;
  /** An explicit config file, or `false` to use none. */
  configFile?: string | false;
  /** Cache mode for judge calls (default: the config's, else `on`). */
  cache?: CacheMode;
  env?: NodeJS.ProcessEnv;
}

export interface EvalHarness {
  readonly config: ResolvedConfig;
  /**
   * Grades one output with graders written as in llm-eval.yaml, for a row's vars and expected:
   * a text, or `{ output, toolCalls, tools }` for the tool-call graders.
   */
  grade(output: string | HarnessOutput, graders: GraderConfig | GraderConfig[], row?: HarnessRow): Promise<GradedOutput>;
  /** A model judges can use: a name under `models:`, or an inline model (resolves to the name it got). */
  useModel(model: string | InlineModel): Promise<string>;
  /** Judge spend so far (USD, priced calls). */
  spend(): { judgeUsd: number };
  /** Waits for pending cache writes. */
  close(): Promise<void>;
}

async function configFor(opts: EvalHarnessOptions): Promise<ResolvedConfig> {
  const cwd = path.resolve(opts.cwd ?? process.cwd());
  if (opts.configFile === false) return bareConfig(cwd);
  const file = opts.configFile ? path.resolve(cwd, opts.configFile) : findConfigFile(cwd);
  return file ? loadConfig({ cwd, configFile: file }) : bareConfig(cwd);
}

function problemsError(problems: Array<{ field?: string; message: string }>, what: string): ConfigError {
  return new ConfigError(problems.map((p) => ({ file: what, line: 0, message: p.field ? `${p.field}: ${p.message}` : p.message })));
}

export async function createEvalHarness(opts: EvalHarnessOptions = {}): Promise<EvalHarness> {
  const config = await configFor(opts);
  const env = opts.env ?? process.env;
  const warnings = new Set<string>();
  const warn = (message: string): void => {
    if (warnings.has(message)) return;
    warnings.add(message);
    process.stderr.write(`llm-eval: ${message}\n`);
  };
  const caller: RunModelCaller = createModelCaller({ config, cache: opts.cache ?? config.defaults.cache, concurrency: config.defaults.concurrency, env, onWarning: warn });
  const graderEnv: GraderEnv = createGraderEnv(config, new PromptRenderer({ promptsDir: config.promptsDir }), caller, warn);
  const graders = new Map<string, Promise<Grader>>();

  function graderFor(spec: GraderConfig): Promise<Grader> {
    const key = valueHash(spec, 16);
    let grader = graders.get(key);
    if (!grader) {
      const problems = validateGraderOptions(spec, { configDir: config.dir, models: config.models });
      if (problems.length) return Promise.reject(problemsError(problems, `grader ${JSON.stringify(spec.type)}`));
      grader = createGrader(spec, graderEnv);
      graders.set(key, grader);
    }
    return grader;
  }

  return {
    config,
    async grade(received, specs, row = {}) {
      const { output = '', toolCalls, tools } = typeof received === 'string' ? { output: received } : received;
      const calls = toolCalls?.length ? harnessToolCalls(toolCalls) : undefined;
      const given = Array.isArray(specs) ? specs : [specs];
      // No grader would pass any output: a test that measures nothing must not read as green.
      if (given.length === 0) throw new ConfigError([{ file: 'graders', line: 0, message: 'no graders given: list at least one, e.g. { type: "contains", value: "…" }' }]);
      const list = await Promise.all(given.map(graderFor));
      const vars = row.vars ?? {};
      const datasetRow = { id: rowId(row.id, vars, row.expected), vars, expected: row.expected, tags: row.tags, source: { file: 'test', line: 1 } };
      return gradeOutput(list, {
        output,
        ...(calls ? { toolCalls: calls, trajectory: { toolCalls: calls, steps: 1 } } : {}),
        row: datasetRow,
        scope: graderScope(datasetRow, output),
        prompt: { name: 'test', version: 'inline', hash: '', messages: [], ...(tools ? { tools } : {}) },
        suite: 'test',
        variant: 'test',
        model: 'test',
        costUsd: null,
        latencyMs: null,
      });
    },
    async useModel(model) {
      if (typeof model === 'string') {
        if (!config.models[model]) throw new UsageError(`unknown model "${model}": name one under models: in ${path.basename(config.file)}, or pass { provider, model }`);
        return model;
      }
      const name = `inline-${valueHash(model, 10)}`;
      if (!config.models[name]) {
        const { resolved, problems } = await resolveModel(name, model);
        if (problems.length || !resolved) throw problemsError(problems, `model ${JSON.stringify(model.model ?? model.provider)}`);
        config.models[name] = resolved;
        if (resolved.apiKeyEnv) registerSecretsFromEnv(env, [resolved.apiKeyEnv]);
      }
      return name;
    },
    spend: () => ({ judgeUsd: caller.spend().judgeUsd }),
    close: () => caller.close(),
  };
}

/** A ConfigError as one readable block (for test failure messages). */
export function describeConfigError(err: ConfigError): string {
  return err.issues.map(formatIssue).join('\n');
}
