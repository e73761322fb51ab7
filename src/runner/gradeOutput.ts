import { LlmEvalError, ProviderError, RunAbortedError, isStop } from '../errors.js';
import type { CaseError, GradeContext, GradeRecord, Grader } from '../types.js';

/** Error kind of a case recorded when the budget stopped the run during its grading. */
export const BUDGET_STOP_KIND = 'budget';

export interface GradedOutput {
  pass: boolean;
  score: number;
  grades: GradeRecord[];
  /** Spend of grading calls (judges), null when none had a known price. */
  judgeCostUsd: number | null;
  /** True when a judge call's cost is unknown (an unpriced judge model): the grades say which (`costUsd: null`). */
  judgeCostUnknown: boolean;
  /** Set when a grader could not grade: recorded as an error, never as a pass. */
  error: CaseError | null;
}

/**
 * A budget stop met while grading (a judge call the budget refused). Still a RunAbortedError,
 * so the run stops; it also carries what grading had spent and graded, so the runner can
 * record the case whose candidate answer was already paid for.
 */
export class StoppedWhileGrading extends RunAbortedError {
  constructor(
    readonly stop: RunAbortedError,
    readonly judgeCostUsd: number | null,
    readonly grades: GradeRecord[],
  ) {
    super(stop.code, stop.message);
  }
}

/**
 * Applies a suite's graders to one output. A case passes when every grader passes; its score is
 * the mean of the grades' scores. A grader that throws makes the case errored (not failed), so a
 * broken judge never reads as a pass or as the model's fault.
 */
export async function gradeOutput(graders: Grader[], ctx: GradeContext): Promise<GradedOutput> {
  const grades: GradeRecord[] = [];
  let judgeCost: number | null = null;
  let error: CaseError | null = null;
  /** A judge call with no known price: the case's judge cost is unknown (see judgeCostUnknown). */
  let judgeCostUnknown = false;
  for (const g of graders) {
    try {
      const grade = await g.grade(ctx);
      const score = Number.isFinite(grade.score) ? Math.min(1, Math.max(0, grade.score)) : 0;
      const rec: GradeRecord = { grader: g.name, pass: grade.pass, score, reason: grade.reason };
      if (grade.costUsd !== undefined) rec.costUsd = grade.costUsd;
      if (grade.details) rec.details = grade.details;
      grades.push(rec);
      if (grade.costUsd != null) judgeCost = (judgeCost ?? 0) + grade.costUsd;
      else if (grade.costUsd === null) judgeCostUnknown = true;
    } catch (err) {
      // A stop (budget, interrupt) inside a judge call stops the run; it is not a grading failure.
      // A budget stop carries the grading spend so far: the case's answer is paid for and is recorded.
      if (isStop(err)) throw err instanceof RunAbortedError ? new StoppedWhileGrading(err, judgeCost, grades) : err;
      // A judge that failed still spent money on its attempts.
      const spent = (err as { costUsd?: unknown }).costUsd;
      if (typeof spent === 'number') judgeCost = (judgeCost ?? 0) + spent;
      else if (spent === null) judgeCostUnknown = true;
      const message = err instanceof Error ? err.message : String(err);
      const rec: GradeRecord = { grader: g.name, pass: false, score: 0, reason: `grader error: ${message}` };
      if (spent === null) rec.costUsd = null;
      grades.push(rec);
      if (!error) {
        error = { kind: 'grader', message: `${g.name}: ${message}` };
        // A judge whose call failed could not measure (a replay miss, a 401, a 5xx): say which
        // failure; a resume retries the transient ones (results/transient.ts).
        const failedCall = providerCause(err);
        if (failedCall) error.provider = failedCall.kind;
        if (failedCall?.requestId !== undefined) error.requestId = failedCall.requestId;
      }
      if (!(err instanceof LlmEvalError) && process.env['LLM_EVAL_DEBUG']) console.error(err);
    }
  }
  const score = grades.length ? grades.reduce((s, g) => s + g.score, 0) / grades.length : 1;
  return { pass: !error && grades.every((g) => g.pass), score: error ? 0 : score, grades, judgeCostUsd: judgeCost, judgeCostUnknown, error };
}

/** The model call failure behind a grader error, however deep in its `cause` chain. */
function providerCause(err: unknown): ProviderError | undefined {
  for (let e: unknown = err, depth = 0; e !== null && typeof e === 'object' && depth < 10; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof ProviderError) return e;
  }
  return undefined;
}
