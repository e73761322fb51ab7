import { graderScope } from '../graders/scope.js';
import { ProviderError, isStop } from '../errors.js';
import type { CaseError, CaseRecord, EvalCase, Grader, GraderEnv, RenderedPrompt, ResolvedConfig, ResolvedVariant } from '../types.js';
import type { PromptRenderer } from '../prompts/render.js';
import type { RunModelCaller } from '../execute/caller.js';
import { modelLabel } from '../providers/label.js';
import { BUDGET_STOP_KIND, StoppedWhileGrading, gradeOutput, type GradedOutput } from './gradeOutput.js';
import type { PreparedSuite } from './prepare.js';
import { canaryFor } from './canary.js';
import { isConversationCase, runConversationCase } from './conversation/case.js';
import { agentOptionsOf } from './conversation/toolResults.js';

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
  /** For graders a dataset row declares (a scripted turn's `graders`). */
  graderEnv?: GraderEnv;
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
    rendered = ctx.renderer.renderRow(variant.prompt, c.row);
    const canary = canaryFor(c.suite, ctx);
    if (canary) rendered = { ...rendered, messages: canary.plant(rendered.messages) };
    cache.set(key, rendered);
    if (cache.size > RENDER_WINDOW) cache.delete(cache.keys().next().value as string);
  }
  return rendered;
}

type CaseBase = Omit<CaseRecord, 'output' | 'pass' | 'score' | 'grades' | 'tokens' | 'costUsd' | 'latencyMs' | 'cached' | 'error'>;

/**
 * The record's identifying fields, in the order they are written. Built by assignment rather
 * than object spreads: this runs once per case, and conditional spreads cost several times more.
 */
function caseBase(c: EvalCase, variant: ResolvedVariant, modelName: string): CaseBase {
  const base: CaseBase = { suite: c.suite, variant: c.variant, caseId: c.row.id, repeat: c.repeat, vars: c.row.vars } as CaseBase;
  if (c.row.expected !== undefined) base.expected = c.row.expected;
  if (c.row.tags) base.tags = c.row.tags;
  base.prompt = { name: variant.prompt.name, version: variant.prompt.version, hash: variant.prompt.hash };
  base.model = modelName;
  return base;
}

export { BUDGET_STOP_KIND } from './gradeOutput.js';

/** Runs one case: render, call the model, grade. Failures become data in the record. */
export async function runCase(c: EvalCase, ctx: CaseRunContext): Promise<CaseRecord> {
  const variant = ctx.variants.get(`${c.suite}\u0000${c.variant}`)!;
  const model = ctx.config.models[variant.model]!;
  const base = caseBase(c, variant, modelLabel(model));

  let rendered: RenderedPrompt;
  try {
    rendered = renderFor(c, variant, ctx);
  } catch (err) {
    return errored(base, 'render', err);
  }

  // A row with `messages` or `turns`, or an agent suite: played as a conversation (conversation/).
  const agent = agentOptionsOf(ctx.suites.get(c.suite)!.suite, ctx.config.dir);
  if (isConversationCase(c, agent)) {
    const canary = ctx.canaries.get(c.suite) ?? undefined;
    const conversation = { caller: ctx.caller, signal: ctx.signal, graders: ctx.graders.get(c.suite) ?? [], graderEnv: ctx.graderEnv, agent, canary };
    return runConversationCase(c, variant, rendered, base as CaseRecord, conversation);
  }

  const request: Parameters<RunModelCaller['call']>[1] = { messages: rendered.messages, params: variant.params };
  if (rendered.responseFormat) request.responseFormat = rendered.responseFormat;
  if (rendered.tools) request.tools = rendered.tools;
  if (rendered.toolChoice !== undefined) request.toolChoice = rendered.toolChoice;
  let response;
  try {
    response = await ctx.caller.call(
      variant.model,
      request,
      // Each repeat is its own sample: cached apart, so `repeat: 3` records three answers.
      { signal: ctx.signal, purpose: 'candidate', vars: c.row.vars, sample: c.repeat },
    );
  } catch (err) {
    if (isStop(err)) throw err;
    return errored(base, err instanceof ProviderError ? err.kind : 'provider', err);
  }

  const canary = ctx.canaries.get(c.suite);
  const output = response.text;
  // The Liquid scope of graders' templates, built on first use: most graders never read it.
  let scope: Record<string, unknown> | undefined;
  const scopeOf = (): Record<string, unknown> =>
    (scope ??= graderScope(c.row, output, canary ? { canary } : {}, [...rendered.messages, { role: 'assistant', content: output }]));
  let graded: GradedOutput;
  try {
    graded = await gradeOutput(ctx.graders.get(c.suite) ?? [], {
    output: response.text,
    toolCalls: response.toolCalls,
    row: c.row,
    get scope() {
      return scopeOf();
    },
    prompt: rendered,
    suite: c.suite,
    variant: c.variant,
    model: base.model,
    costUsd: response.costUsd,
    latencyMs: response.latencyMs,
    tokens: response.usage,
    signal: ctx.signal,
  });
  } catch (err) {
    if (!(err instanceof StoppedWhileGrading)) throw err;
    // The budget stopped the run during grading: the answer was paid for, so the case is
    // recorded (errored, kind `budget`: a resume grades it again) with what it cost.
    graded = {
      pass: false,
      score: 0,
      grades: err.grades,
      judgeCostUsd: err.judgeCostUsd,
      judgeCostUnknown: false,
      error: { kind: BUDGET_STOP_KIND, message: `not graded: ${err.message}` },
    };
  }

  // The base becomes the record (same key order as writing it out in full, without the copy).
  const record = base as CaseRecord;
  record.output = response.text;
  if (response.toolCalls) record.toolCalls = response.toolCalls;
  record.pass = graded.pass;
  record.score = graded.score;
  record.grades = graded.grades;
  record.tokens = response.usage ?? null;
  record.costUsd = response.costUsd;
  record.judgeCostUsd = graded.judgeCostUsd;
  record.latencyMs = round1(response.latencyMs);
  record.ttftMs = response.ttftMs != null ? round1(response.ttftMs) : null;
  record.cached = response.cached;
  record.error = graded.error;
  return record;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function errored(base: CaseBase, kind: string, err: unknown): CaseRecord {
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
    error: caseError(kind, err),
  };
}

/** A case's error; a failed provider call keeps the provider's request id. */
function caseError(kind: string, err: unknown): CaseError {
  const error: CaseError = { kind, message: err instanceof Error ? err.message : String(err) };
  if (err instanceof ProviderError && err.requestId !== undefined) error.requestId = err.requestId;
  return error;
}
