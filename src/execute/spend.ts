import type { CallOptions, ModelResponse } from '../types.js';
import { costOf } from '../cost/compute.js';
import { BATCH_DISCOUNT, unknownPriceWarning } from '../cost/prices.js';
import { Budget, CostEstimator, type Reservation } from './budget.js';
import type { ModelState } from './models.js';
import type { CallWork } from './work.js';

/**
 * What calls cost: each answered call is priced (the provider's own cost, else usage × price)
 * and added to candidate or judge spend. Under `--max-cost` a call reserves its estimate before
 * it starts (budget.ts) and settles with its actual cost when it ends.
 */

/** A call's hold on the budget, from before it starts until it settles. */
export interface SpendTicket {
  reservation?: Reservation;
  /** Request characters measured for the estimate (0 when none was needed). */
  chars: number;
}

export class Spend {
  private readonly budget?: Budget;
  private readonly estimators = new Map<string, CostEstimator | null>();
  private candidateUsd = 0;
  private judgeUsd = 0;

  constructor(
    maxCostUsd: number | undefined,
    private readonly warn: (message: string) => void,
  ) {
    if (maxCostUsd !== undefined) this.budget = new Budget(maxCostUsd);
  }

  /** Under a budget, the model's cost estimator (null when its price is unknown, with a warning once). */
  estimatorOf(state: ModelState): CostEstimator | undefined {
    if (!this.budget) return undefined;
    const name = state.model.name;
    let e = this.estimators.get(name);
    if (e === undefined) {
      e = state.price.kind === 'unknown' ? null : new CostEstimator(state.price.price);
      this.estimators.set(name, e);
      if (!e) this.warn(`--max-cost cannot account for model "${name}": its price is unknown (set \`price:\` on the model)`);
    }
    return e ?? undefined;
  }

  /** Reserves the call's estimate; throws RunAbortedError BUDGET_EXCEEDED when it does not fit. */
  async reserve(state: ModelState, work: CallWork, signal: AbortSignal | undefined): Promise<SpendTicket> {
    if (!this.budget) return { chars: 0 };
    const estimator = this.estimatorOf(state);
    const chars = estimator ? work.chars() : 0;
    const reservation = await this.budget.acquire(estimator ? estimator.estimate(chars, work.params) : 0, `model "${state.model.name}"`, signal);
    return { reservation, chars };
  }

  /**
   * Under a budget, reserves a request queued for a provider batch: its estimate at the batch
   * rate. It does not wait (a batch settles in minutes or hours, not as calls in flight do):
   * throws RunAbortedError BUDGET_EXCEEDED when it does not fit. Returns the USD reserved (0
   * without a budget); the batch executor frees it as the batch's answers are taken
   * (`releaseUsd`), each answer then counted at its actual cost (`settle`).
   */
  reserveBatched(state: ModelState, work: CallWork, vendor: keyof typeof BATCH_DISCOUNT): number {
    if (!this.budget) return 0;
    const estimator = this.estimatorOf(state);
    if (!estimator) return 0;
    const usd = estimator.estimate(work.chars(), work.params) * BATCH_DISCOUNT[vendor];
    this.budget.reserve(usd, `model "${state.model.name}" (in a provider batch)`);
    return usd;
  }

  /** Frees `usd` of reservations made by `reserveBatched`. */
  releaseUsd(usd: number): void {
    if (this.budget && usd > 0) this.budget.settle({ usd }, 0);
  }

  /** A call that failed spent nothing that is known: its reservation is freed. */
  release(ticket: SpendTicket): void {
    if (ticket.reservation) this.budget!.settle(ticket.reservation, 0);
  }

  /** Prices an answered call, settles its reservation, counts its cost; returns the cost (null: unknown). */
  settle(ticket: SpendTicket, state: ModelState, work: CallWork, response: Pick<ModelResponse, 'usage' | 'costUsd'>, purpose: CallOptions['purpose']): number | null {
    const costUsd = this.costFor(state, response);
    if (ticket.reservation) this.budget!.settle(ticket.reservation, costUsd);
    const estimator = this.estimatorOf(state);
    if (estimator && response.usage) estimator.learn(ticket.chars || work.chars(), response.usage);
    if (costUsd !== null) {
      if (purpose === 'judge') this.judgeUsd += costUsd;
      else this.candidateUsd += costUsd;
    }
    return costUsd;
  }

  totals(): { candidateUsd: number; judgeUsd: number } {
    return { candidateUsd: this.candidateUsd, judgeUsd: this.judgeUsd };
  }

  private costFor(state: ModelState, response: Pick<ModelResponse, 'usage' | 'costUsd'>): number | null {
    if (response.costUsd !== undefined && response.costUsd !== null) return response.costUsd;
    if (state.price.kind === 'unknown') {
      this.warn(unknownPriceWarning(state.model));
      return null;
    }
    if (!response.usage) {
      this.warn(`model "${state.model.name}" returned no token usage: its cost is unknown`);
      return null;
    }
    return costOf(response.usage, state.price.price);
  }
}
