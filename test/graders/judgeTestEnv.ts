import { PromptRenderer } from '../../src/prompts/render.js';
import type {
  CallResult,
  ChatMessage,
  DatasetRow,
  GradeContext,
  GraderEnv,
  ModelCaller,
  ModelRequest,
  ResolvedConfig,
  ResolvedModel,
} from '../../src/types.js';

/**
 * Set-up shared by the judge, pairwise and calibrate tests: model configs, a GraderEnv with the
 * project's real Liquid renderer, a scripted ModelCaller for unit tests, and a ResolvedConfig
 * pointing models at the fake LLM server for end-to-end tests.
 */

export function model(name: string, provider: string, id: string | undefined, extra: Partial<ResolvedModel> = {}): ResolvedModel {
  return { name, provider, ...(id !== undefined ? { model: id } : {}), params: {}, stream: false, ...extra };
}

/** A judge from one family, candidates from the same and another family. */
export const MODELS: Record<string, ResolvedModel> = {
  judge: model('judge', 'openai', 'gpt-4o-mini', { params: { temperature: 0 } }),
  claudeJudge: model('claudeJudge', 'anthropic', 'claude-sonnet-4-5'),
  gpt: model('gpt', 'openai', 'gpt-4.1'),
  claude: model('claude', 'anthropic', 'claude-3-5-haiku-latest'),
  local: model('local', 'echo', undefined),
};

export interface ScriptedCall {
  model: string;
  req: Omit<ModelRequest, 'model'>;
  purpose?: string;
}

/** A ModelCaller answering from `reply` (by call index), with a fixed cost per call; records every call. */
export function scriptedCaller(
  reply: (req: Omit<ModelRequest, 'model'>, index: number) => string,
  costUsd: number | null = 0.001,
): ModelCaller & { calls: ScriptedCall[] } {
  const calls: ScriptedCall[] = [];
  return {
    calls,
    async call(modelName, req, opts) {
      calls.push({ model: modelName, req, purpose: opts?.purpose });
      const text = reply(req, calls.length - 1);
      const result: CallResult = { text, latencyMs: 1, cached: false, costUsd, attempts: 1, usage: { input: 100, output: 20, cachedInput: 0 } };
      return result;
    },
  };
}

/** Replies from a list, in order (the last one repeats). */
export function replies(...texts: string[]): (req: unknown, index: number) => string {
  return (_req, index) => texts[Math.min(index, texts.length - 1)]!;
}

export const verdict = (score: number, reasoning = 'Reasoned assessment.'): string => JSON.stringify({ reasoning, score });

export function judgeEnv(models: ModelCaller, warnings: string[] = [], configDir = process.cwd()): GraderEnv {
  const renderer = new PromptRenderer();
  return {
    configDir,
    render: (t, scope) => renderer.renderString(t, scope),
    models,
    modelConfigs: MODELS,
    warn: (m) => warnings.push(m),
  };
}

export function gradeCtx(
  output: string,
  opts: { vars?: Record<string, unknown>; expected?: unknown; messages?: ChatMessage[]; model?: string; id?: string } = {},
): GradeContext {
  const vars = opts.vars ?? { question: 'What is the capital of France?' };
  const row: DatasetRow = { id: opts.id ?? 'case-1', vars, source: { file: 'dataset.jsonl', line: 1 } };
  if (opts.expected !== undefined) row.expected = opts.expected;
  return {
    output,
    row,
    scope: { ...vars, vars, expected: opts.expected, row: { id: row.id, tags: [] }, output },
    prompt: { name: 'qa', version: 'v1', hash: 'abc123', messages: opts.messages ?? [{ role: 'system', content: 'Answer briefly.' }, { role: 'user', content: 'What is the capital of France?' }] },
    suite: 'qa',
    variant: 'v1',
    model: opts.model ?? 'gpt',
    costUsd: 0.5,
    latencyMs: 10,
  };
}

/** A ResolvedConfig whose models point at the fake server (keys from FAKE_KEY). */
export function fakeConfig(fake: { openaiBaseURL: string; anthropicBaseURL: string }, dir = process.cwd()): ResolvedConfig {
  const at = (m: ResolvedModel): ResolvedModel => ({
    ...m,
    baseURL: m.provider === 'anthropic' ? fake.anthropicBaseURL : fake.openaiBaseURL,
    apiKeyEnv: 'FAKE_KEY',
    // USD per 1M tokens: round numbers, so a test can recompute the cost from the recorded usage.
    price: { input: 1, output: 2 },
  });
  const models = Object.fromEntries(Object.entries(MODELS).map(([k, m]) => [k, m.provider === 'echo' ? m : at(m)]));
  return {
    file: `${dir}/llm-eval.yaml`,
    dir,
    hash: 'test',
    models,
    suites: [],
    defaults: { concurrency: 4, timeoutMs: 10_000, retries: 0, cache: 'off' },
    outDir: `${dir}/reports`,
    cacheDir: `${dir}/.llm-eval/cache`,
    promptsDir: `${dir}/prompts`,
  };
}

export const FAKE_ENV = { FAKE_KEY: 'sk-test-judge' } as NodeJS.ProcessEnv;

/** The error a grade (or any call) ends with, or undefined when it succeeds. */
export async function failureOf(run: () => unknown): Promise<unknown> {
  try {
    await run();
    return undefined;
  } catch (err) {
    return err;
  }
}
