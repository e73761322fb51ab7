import { addUsage } from '../../cost/compute.js';
import type { CallResult, TokenUsage } from '../../types.js';

/**
 * What a grader's judge calls cost, summed over re-asks and repeats. The runner adds a grade's
 * `costUsd` to the case's judge cost, apart from the candidate's own cost.
 */
export class JudgeSpend {
  private knownUsd = 0;
  /** Calls whose cost is unknown (an unpriced judge model, or no usage reported). */
  unknownCalls = 0;
  tokens: TokenUsage | undefined;
  calls = 0;

  /**
   * The spend in USD (0 before any call); null when any call's cost is unknown: an unpriced
   * judge has an unknown cost, never a quiet 0.
   */
  get costUsd(): number | null {
    return this.unknownCalls > 0 ? null : this.knownUsd;
  }

  add(result: Pick<CallResult, 'costUsd' | 'usage'>): void {
    this.calls++;
    if (result.costUsd == null) this.unknownCalls++;
    else this.knownUsd += result.costUsd;
    if (result.usage) this.tokens = this.tokens ? addUsage(this.tokens, result.usage) : { ...result.usage };
  }

  merge(other: JudgeSpend): void {
    this.calls += other.calls;
    this.unknownCalls += other.unknownCalls;
    this.knownUsd += other.knownUsd;
    if (other.tokens) this.tokens = this.tokens ? addUsage(this.tokens, other.tokens) : { ...other.tokens };
  }
}
