import { ProviderError, RunAbortedError } from '../../errors.js';
import type {
  CallResult,
  CaseError,
  ChatMessage,
  DatasetRow,
  GradeRecord,
  ScriptedTurn,
  StepRecord,
  TokenUsage,
  ToolCall,
  TurnRecord,
} from '../../types.js';
import { pushAll } from '../../util/arrays.js';
import { resolveToolCall, type AgentOptions } from './toolResults.js';

/**
 * Plays a conversation case: one exchange for a plain or `messages` row, one per user turn for a
 * `turns` row, each answer fed back. An exchange is one model call, or with the agent loop on,
 * model → tool calls → tool results → model until the model answers without tool calls or
 * `maxSteps` calls were made (a recorded failure, not a crash). Every call goes through the
 * caller given (cache → budget → retry), so replay and resume work for each step.
 */

export interface TurnGrading {
  grades: GradeRecord[];
  pass: boolean;
  error: CaseError | null;
}

export interface PlayDeps {
  row: DatasetRow;
  agent?: AgentOptions;
  /** One model call over the conversation so far. */
  call(messages: ChatMessage[]): Promise<CallResult>;
  /** Grades one scripted turn's answer (its own graders). */
  gradeTurn(turn: ScriptedTurn, index: number, played: PlayedExchange, transcript: ChatMessage[]): Promise<TurnGrading>;
}

/** What one exchange (a turn, or the whole case without turns) produced. */
export interface PlayedExchange {
  output: string;
  steps: StepRecord[];
  toolCalls: ToolCall[];
  /** Set when the agent loop made maxSteps calls and the model still called tools. */
  hitMaxSteps: boolean;
}

export interface PlayedConversation {
  output: string;
  steps: StepRecord[];
  turns?: TurnRecord[];
  transcript: ChatMessage[];
  /** Failing grades the conversation itself adds (maxSteps hit, failed turns). */
  grades: GradeRecord[];
  /** A call or a turn grader failed: the case is errored, with what was played so far. */
  error: CaseError | null;
}

/** The grader name of the conversation's own checks in a case's grades. */
export const AGENT_GRADER = 'agent:maxSteps';
export const TURNS_GRADER = 'turns';

async function exchange(messages: ChatMessage[], deps: PlayDeps): Promise<PlayedExchange> {
  const maxSteps = deps.agent?.maxSteps ?? 1;
  const steps: StepRecord[] = [];
  const toolCalls: ToolCall[] = [];
  for (;;) {
    const response = await deps.call([...messages]);
    const step: StepRecord = {
      output: response.text,
      tokens: response.usage ?? null,
      costUsd: response.costUsd,
      latencyMs: Math.round(response.latencyMs * 10) / 10,
      cached: response.cached,
    };
    const assistant: ChatMessage = { role: 'assistant', content: response.text };
    const calls = response.toolCalls ?? [];
    if (calls.length) {
      step.toolCalls = calls;
      assistant.toolCalls = calls;
      pushAll(toolCalls, calls);
    }
    messages.push(assistant);
    steps.push(step);
    if (!deps.agent || calls.length === 0) return { output: response.text, steps, toolCalls, hitMaxSteps: false };
    if (steps.length >= maxSteps) return { output: response.text, steps, toolCalls, hitMaxSteps: true };
    step.toolResults = [];
    for (const call of calls) {
      const result = await resolveToolCall(call, deps.row, deps.agent);
      step.toolResults.push(result);
      messages.push({ role: 'tool', content: result.content, toolCallId: call.id, toolName: call.name });
    }
  }
}

function maxStepsGrade(maxSteps: number, turn?: number): GradeRecord {
  const where = turn === undefined ? '' : ` in turn ${turn + 1}`;
  return {
    grader: AGENT_GRADER,
    pass: false,
    score: 0,
    reason: `the agent loop reached maxSteps (${maxSteps})${where} and the model was still calling tools`,
  };
}

/** Sums of a list of steps' tokens (null when none reported any), cost (null when one is unpriced) and latency. */
export function stepTotals(steps: readonly Pick<StepRecord, 'tokens' | 'costUsd' | 'latencyMs' | 'cached'>[]): {
  tokens: TokenUsage | null;
  costUsd: number | null;
  latencyMs: number;
  cached: boolean;
} {
  let tokens: TokenUsage | null = null;
  let costUsd: number | null = 0;
  let latencyMs = 0;
  for (const s of steps) {
    if (s.tokens) {
      tokens ??= { input: 0, output: 0, cachedInput: 0 };
      tokens.input += s.tokens.input;
      tokens.output += s.tokens.output;
      tokens.cachedInput += s.tokens.cachedInput;
    }
    costUsd = costUsd === null || s.costUsd === null ? null : costUsd + s.costUsd;
    latencyMs += s.latencyMs;
  }
  return { tokens, costUsd, latencyMs: Math.round(latencyMs * 10) / 10, cached: steps.length > 0 && steps.every((s) => s.cached) };
}

function isStop(err: unknown): boolean {
  return err instanceof RunAbortedError || (err instanceof ProviderError && err.kind === 'aborted');
}

function callError(err: unknown): CaseError {
  return { kind: err instanceof ProviderError ? err.kind : 'provider', message: err instanceof Error ? err.message : String(err) };
}

/** Plays the case from its starting messages (template joined with the row's prior turns). */
export async function playConversation(start: ChatMessage[], deps: PlayDeps): Promise<PlayedConversation> {
  const transcript = [...start];
  const played: PlayedConversation = { output: '', steps: [], transcript, grades: [], error: null };
  const turns = deps.row.turns;
  try {
    if (!turns) {
      const done = await exchange(transcript, deps);
      played.output = done.output;
      played.steps = done.steps;
      if (done.hitMaxSteps) played.grades.push(maxStepsGrade(deps.agent!.maxSteps));
      return played;
    }
    played.turns = [];
    for (const [i, turn] of turns.entries()) {
      transcript.push({ role: 'user', content: turn.user });
      const done = await exchange(transcript, deps);
      pushAll(played.steps, done.steps);
      played.output = done.output;
      const graded = await deps.gradeTurn(turn, i, done, [...transcript]);
      const grades = done.hitMaxSteps ? [maxStepsGrade(deps.agent!.maxSteps, i), ...graded.grades] : graded.grades;
      const totals = stepTotals(done.steps);
      const record: TurnRecord = { user: turn.user, output: done.output, steps: done.steps.length, tokens: totals.tokens, costUsd: totals.costUsd, latencyMs: totals.latencyMs, grades, pass: graded.pass && !done.hitMaxSteps };
      if (done.toolCalls.length) record.toolCalls = done.toolCalls;
      played.turns.push(record);
      if (graded.error) {
        played.error = { ...graded.error, message: `turn ${i + 1}: ${graded.error.message}` };
        return played;
      }
    }
    const failed = played.turns.map((t, i) => ({ t, i })).filter(({ t }) => !t.pass);
    const passed = played.turns.length - failed.length;
    played.grades.push({
      grader: TURNS_GRADER,
      pass: failed.length === 0,
      score: passed / played.turns.length,
      reason: failed.length === 0 ? `all ${played.turns.length} turns passed` : failed.map(({ t, i }) => `turn ${i + 1} failed: ${failingReason(t)}`).join('; '),
    });
    return played;
  } catch (err) {
    if (isStop(err)) throw err;
    played.error = callError(err);
    return played;
  }
}

function failingReason(turn: TurnRecord): string {
  const grade = turn.grades.find((g) => !g.pass);
  return grade ? `${grade.grader}: ${grade.reason}` : 'failed';
}
