import { addUsage } from '../../cost/compute.js';
import type { CallResult, TokenUsage } from '../../types.js';

/**
 * What a grader's judge calls cost, summed over re-asks and repeats. The runner adds a grade's
 * `costUsd` to the case's judge cost, apart from the candidate's own cost.
 */
export class JudgeSpend {
  /** Null until a call with a known price is seen (an unpriced judge has an unknown cost, not 0). */
  costUsd: number | null = null;
  tokens: TokenUsage | undefined;
  calls = 0;

  add(result: Pick<CallResult, 'costUsd' | 'usage'>): void {
    this.calls++;
    this.addCost(result.costUsd, result.usage);
  }

  merge(other: JudgeSpend): void {
    this.calls += other.calls;
    this.addCost(other.costUsd, other.tokens);
  }

  private addCost(costUsd: number | null | undefined, usage: TokenUsage | undefined): void {
    if (costUsd != null) this.costUsd = (this.costUsd ?? 0) + costUsd;
    if (usage) this.tokens = this.tokens ? addUsage(this.tokens, usage) : { ...usage };
  }
}
