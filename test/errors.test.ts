import { describe, expect, it } from 'vitest';
import { GraderError, ProviderError, RunAbortedError, UsageError, isStop, runStopping } from '../src/errors.js';
import { Budget, BUDGET_EXCEEDED } from '../src/execute/budget.js';

describe('isStop: is this error the run stopping rather than a case failing?', () => {
  it('is a stop for a budget stop, an interrupt and a call not started because its endpoint is down', () => {
    // A real budget stop: $0.01 limit, a call estimated at $0.02 does not fit.
    const budgetStop = (() => {
      try {
        new Budget(0.01).reserve(0.02, 'model "x"');
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(budgetStop).toBeInstanceOf(RunAbortedError);
    expect((budgetStop as RunAbortedError).code).toBe(BUDGET_EXCEEDED);
    expect(isStop(budgetStop)).toBe(true);
    expect(isStop(runStopping())).toBe(true);
    expect(isStop(new ProviderError('aborted', 'not started: openai looks down'))).toBe(true);
  });

  it('is not a stop for a failed call, a grader error, a usage error or a bug', () => {
    for (const kind of ['rate-limit', 'transient', 'timeout', 'auth', 'not-found', 'bad-request', 'cache-miss'] as const) {
      expect(isStop(new ProviderError(kind, kind))).toBe(false);
    }
    expect(isStop(new GraderError('judge', 'bad verdict'))).toBe(false);
    expect(isStop(new UsageError('unknown model'))).toBe(false);
    expect(isStop(new TypeError('bug'))).toBe(false);
    expect(isStop(undefined)).toBe(false);
  });
});
