import type {
  CaseRecord,
  ChatMessage,
  EvalCase,
  GradeContext,
  Grader,
  GraderConfig,
  GraderEnv,
  RenderedPrompt,
  ResolvedVariant,
  ToolCall,
} from '../../types.js';
import type { RunModelCaller } from '../../execute/caller.js';
import { createGrader } from '../../graders/create.js';
import { graderScope } from '../../graders/scope.js';
import { BUDGET_STOP_KIND, StoppedWhileGrading, gradeOutput, type GradedOutput } from '../gradeOutput.js';
import { joinConversation } from './join.js';
import { AGENT_GRADER, TURNS_GRADER, playConversation, stepTotals, type PlayedExchange } from './play.js';
import type { AgentOptions } from './toolResults.js';

/** What a conversation case needs from the run (a subset of runCase's context). */
export interface ConversationCaseContext {
  caller: RunModelCaller;
  signal: AbortSignal;
  /** The suite's graders (they see the final answer and the whole transcript). */
  graders: Grader[];
  /** Builds a scripted turn's graders; absent outside a run (then turn graders are an error). */
  graderEnv?: GraderEnv;
  agent?: AgentOptions;
  canary?: string;
}

/** True when a case is played as a conversation: the row has `messages` or `turns`, or the suite runs the agent loop. */
export function isConversationCase(c: EvalCase, agent: AgentOptions | undefined): boolean {
  return agent !== undefined || c.row.messages !== undefined || c.row.turns !== undefined;
}

const turnGraders = new WeakMap<GraderEnv, Map<string, Promise<Grader[]>>>();

/** A turn's graders, built once per distinct config list in a run. */
function gradersOf(configs: GraderConfig[], env: GraderEnv): Promise<Grader[]> {
  let built = turnGraders.get(env);
  if (!built) turnGraders.set(env, (built = new Map()));
  const key = JSON.stringify(configs);
  let graders = built.get(key);
  if (!graders) {
    graders = Promise.all(configs.map((g) => createGrader(g, env)));
    built.set(key, graders);
  }
  return graders;
}

function trajectoryOf(steps: ReadonlyArray<{ toolCalls?: ToolCall[] }>): GradeContext['trajectory'] {
  return { toolCalls: steps.flatMap((s) => s.toolCalls ?? []), steps: steps.length };
}

/**
 * Runs a conversation case and fills `record` (the case's base fields): plays the conversation,
 * grades the final answer with the suite's graders, and records steps, turns and the transcript,
 * with tokens, cost and latency summed over every call.
 */
export async function runConversationCase(
  c: EvalCase,
  variant: ResolvedVariant,
  rendered: RenderedPrompt,
  record: CaseRecord,
  ctx: ConversationCaseContext,
): Promise<CaseRecord> {
  const request: Parameters<RunModelCaller['call']>[1] = { messages: [], params: variant.params };
  if (rendered.responseFormat) request.responseFormat = rendered.responseFormat;
  if (rendered.tools) request.tools = rendered.tools;
  if (rendered.toolChoice) request.toolChoice = rendered.toolChoice;
  const extra: Record<string, unknown> = ctx.canary ? { canary: ctx.canary } : {};
  const gradeContext = (output: string, transcript: ChatMessage[], steps: PlayedExchange['steps']): GradeContext => {
    const totals = stepTotals(steps);
    let scope: Record<string, unknown> | undefined;
    return {
      output,
      row: c.row,
      get scope() {
        return (scope ??= graderScope(c.row, output, extra, transcript));
      },
      prompt: rendered,
      suite: c.suite,
      variant: c.variant,
      model: variant.model,
      costUsd: totals.costUsd,
      latencyMs: totals.latencyMs,
      tokens: totals.tokens ?? undefined,
      signal: ctx.signal,
      transcript,
      trajectory: trajectoryOf(steps),
    };
  };

  // Judges among a turn's graders spend too: counted with the suite graders' judge spend.
  let turnJudgeCost: number | null = null;
  const played = await playConversation(joinConversation(rendered.messages, c.row.messages), {
    row: c.row,
    agent: ctx.agent,
    call: (messages) => ctx.caller.call(variant.model, { ...request, messages }, { signal: ctx.signal, purpose: 'candidate', vars: c.row.vars, sample: c.repeat }),
    async gradeTurn(turn, _index, done, transcript) {
      if (!turn.graders?.length) return { grades: [], pass: true, error: null };
      if (!ctx.graderEnv) return { grades: [], pass: false, error: { kind: 'grader', message: 'turn graders need a run (no grader environment)' } };
      const graded = await gradeOutput(await gradersOf(turn.graders, ctx.graderEnv), gradeContext(done.output, transcript, done.steps));
      if (graded.judgeCostUsd !== null) turnJudgeCost = (turnJudgeCost ?? 0) + graded.judgeCostUsd;
      return { grades: graded.grades, pass: graded.pass, error: graded.error };
    },
  });

  const totals = stepTotals(played.steps);
  record.output = played.error && played.steps.length === 0 ? null : played.output;
  record.tokens = totals.tokens;
  record.costUsd = played.steps.length ? totals.costUsd : null;
  record.latencyMs = played.steps.length ? totals.latencyMs : null;
  record.ttftMs = null;
  record.cached = totals.cached;
  if (ctx.agent) record.steps = played.steps;
  if (played.turns) record.turns = played.turns;
  record.transcript = played.transcript;
  if (played.error) return finish(record, { pass: false, score: 0, grades: played.grades, judgeCostUsd: turnJudgeCost, judgeCostUnknown: false, error: played.error });

  let graded: GradedOutput;
  try {
    graded = await gradeOutput(ctx.graders, gradeContext(played.output, played.transcript, played.steps));
  } catch (err) {
    if (!(err instanceof StoppedWhileGrading)) throw err;
    graded = { pass: false, score: 0, grades: err.grades, judgeCostUsd: err.judgeCostUsd, judgeCostUnknown: false, error: { kind: BUDGET_STOP_KIND, message: `not graded: ${err.message}` } };
  }
  const judgeCostUsd = graded.judgeCostUsd === null && turnJudgeCost === null ? null : (graded.judgeCostUsd ?? 0) + (turnJudgeCost ?? 0);
  return finish(record, { ...graded, judgeCostUsd, grades: [...played.grades, ...graded.grades] });
}

function finish(record: CaseRecord, result: GradedOutput): CaseRecord {
  const graded = scored(result);
  record.pass = graded.pass;
  record.score = graded.score;
  record.grades = graded.grades;
  record.judgeCostUsd = graded.judgeCostUsd;
  record.error = graded.error;
  return record;
}

/**
 * A stored case re-graded (rescore): the suite's graders see its transcript and trajectory, and
 * the conversation's own grades (failed turns, maxSteps reached) are kept in front of theirs.
 */
export function regradeStoredConversation(rec: CaseRecord): { context: Pick<GradeContext, 'transcript' | 'trajectory'>; combine(graded: GradedOutput): GradedOutput } {
  const context: Pick<GradeContext, 'transcript' | 'trajectory'> = {};
  if (rec.transcript) context.transcript = rec.transcript;
  if (rec.steps) context.trajectory = trajectoryOf(rec.steps);
  else if (rec.turns) context.trajectory = { toolCalls: rec.turns.flatMap((t) => t.toolCalls ?? []), steps: rec.turns.reduce((n, t) => n + t.steps, 0) };
  const kept = rec.grades.filter((g) => g.grader === AGENT_GRADER || g.grader === TURNS_GRADER);
  return {
    context,
    combine: (graded) => (kept.length ? scored({ ...graded, grades: [...kept, ...graded.grades] }) : graded),
  };
}

/** Pass and score of a case from its grades (as gradeOutput computes them). */
function scored(graded: GradedOutput): GradedOutput {
  const { grades, error } = graded;
  return { ...graded, pass: !error && grades.every((g) => g.pass), score: error ? 0 : grades.length ? grades.reduce((s, g) => s + g.score, 0) / grades.length : 1 };
}
