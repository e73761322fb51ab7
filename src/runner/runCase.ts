import { ProviderError, RunAbortedError } from '../errors.js';
import type { CaseRecord, EvalCase, Grader, RenderedPrompt, ResolvedConfig, ResolvedVariant } from '../types.js';
import type { PromptRenderer } from '../prompts/render.js';
import type { RunModelCaller } from '../execute/caller.js';
import { modelLabel } from '../providers/label.js';
import { gradeOutput } from './gradeOutput.js';
import type { PreparedSuite } from './prepare.js';
import { canaryFor } from './canary.js';

export interface CaseRunContext {
  config: ResolvedConfig;
  renderer: PromptRenderer;
  caller: RunModelCaller;
  graders: Map<string, Grader[]>;
  /** `${suite}\0${variant}` → variant */
  variants: Map<string, ResolvedVariant>;
  suites: Map<string, PreparedSuite>;
  /** Aborts in-flight calls (after the grace period of a stop). */
  signal: AbortSignal;
  /** Suite → planted canary token. */
  canaries: Map<string, string | null>;
}

/**
 * Rendered prompts of the rows in flight, reused across variants sharing a prompt and across
 * repeats: cases are expanded row-major, so a small window covers every reuse.
 */
const RENDER_WINDOW = 512;
const renderCache = new WeakMap<CaseRunContext, Map<string, RenderedPrompt>>();

function renderFor(c: EvalCase, variant: ResolvedVariant, ctx: CaseRunContext): RenderedPrompt {
  let cache = renderCache.get(ctx);
  if (!cache) renderCache.set(ctx, (cache = new Map()));
  const key = `${c.suite}\u0000${c.row.id}\u0000${variant.prompt.ref}`;
  let rendered = cache.get(key);
  if (!rendered) {
    rendered = ctx.renderer.render(variant.prompt, c.row.vars);
    const canary = canaryFor(c.suite, ctx);
    if (canary) rendered = { ...rendered, messages: canary.plant(rendered.messages) };
    cache.set(key, rendered);
    if (cache.size > RENDER_WINDOW) cache.delete(cache.keys().next().value as string);
  }
  return rendered;
}

/** Runs one case: render, call the model, grade. Failures become data in the record. */
export async function runCase(c: EvalCase, ctx: CaseRunContext): Promise<CaseRecord> {
  const variant = ctx.variants.get(`${c.suite}\u0000${c.variant}`)!;
  const model = ctx.config.models[variant.model]!;
  const base = {
    suite: c.suite,
    variant: c.variant,
    caseId: c.row.id,
    repeat: c.repeat,
    vars: c.row.vars,
    ...(c.row.expected !== undefined ? { expected: c.row.expected } : {}),
    ...(c.row.tags ? { tags: c.row.tags } : {}),
    prompt: { name: variant.prompt.name, version: variant.prompt.version, hash: variant.prompt.hash },
    model: modelLabel(model),
  };

  let rendered: RenderedPrompt;
  try {
    rendered = renderFor(c, variant, ctx);
  } catch (err) {
    return errored(base, 'render', err);
  }

  let response;
  try {
    response = await ctx.caller.call(
      variant.model,
      { messages: rendered.messages, params: variant.params, ...(rendered.responseFormat ? { responseFormat: rendered.responseFormat } : {}) },
      // Each repeat is its own sample: cached apart, so `repeat: 3` records three answers.
      { signal: ctx.signal, purpose: 'candidate', vars: c.row.vars, sample: c.repeat },
    );
  } catch (err) {
    if (err instanceof RunAbortedError) throw err;
    if (err instanceof ProviderError && err.kind === 'aborted') throw err;
    return errored(base, err instanceof ProviderError ? err.kind : 'provider', err);
  }

  const canary = ctx.canaries.get(c.suite);
  const scope: Record<string, unknown> = {
    ...c.row.vars,
    vars: c.row.vars,
    expected: c.row.expected,
    row: { id: c.row.id, tags: c.row.tags ?? [] },
    output: response.text,
    ...(canary ? { canary } : {}),
  };
  const graded = await gradeOutput(ctx.graders.get(c.suite) ?? [], {
    output: response.text,
    row: c.row,
    scope,
    prompt: rendered,
    suite: c.suite,
    variant: c.variant,
    model: variant.model,
    costUsd: response.costUsd,
    latencyMs: response.latencyMs,
    tokens: response.usage,
    signal: ctx.signal,
  });

  return {
    ...base,
    output: response.text,
    pass: graded.pass,
    score: graded.score,
    grades: graded.grades,
    tokens: response.usage ?? null,
    costUsd: response.costUsd,
    judgeCostUsd: graded.judgeCostUsd,
    latencyMs: round1(response.latencyMs),
    ttftMs: response.ttftMs != null ? round1(response.ttftMs) : null,
    cached: response.cached,
    error: graded.error,
  };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function errored(base: Omit<CaseRecord, 'output' | 'pass' | 'score' | 'grades' | 'tokens' | 'costUsd' | 'latencyMs' | 'cached' | 'error'>, kind: string, err: unknown): CaseRecord {
  return {
    ...base,
    output: null,
    pass: false,
    score: 0,
    grades: [],
    tokens: null,
    costUsd: null,
    latencyMs: null,
    cached: false,
    error: { kind, message: err instanceof Error ? err.message : String(err) },
  };
}
