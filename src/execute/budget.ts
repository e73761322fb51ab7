import type { ChatMessage, JsonSchema, ModelPrice, ResolvedConfig, ResolvedSuite, TokenUsage } from '../types.js';
import { RunAbortedError, UsageError } from '../errors.js';
import { costOf } from '../cost/compute.js';
import { expectedOutputTokens, maxOutputTokens } from '../cost/estimate.js';
import { resolvePrice } from '../cost/prices.js';

/**
 * `--max-cost`: a call may start only if what is spent, plus what calls in flight are expected
 * to spend, plus this call's estimate stays within the budget. Each call reserves its estimate
 * before it starts and settles with its actual cost when it ends, so 64 concurrent calls cannot
 * all slip in under the same remaining dollar. A call that does not fit waits for calls in
 * flight to settle; the run stops only when it still does not fit with nothing in flight.
 */

export const BUDGET_EXCEEDED = 'BUDGET_EXCEEDED';

export interface Reservation {
  readonly usd: number;
}

function usd(n: number): string {
  return `$${n.toFixed(n < 1 ? 4 : 2)}`;
}

export class Budget {
  private spent = 0;
  private reserved = 0;
  private readonly waiters = new Set<() => void>();

  constructor(readonly limitUsd: number) {}

  /** Reserves `estimateUsd` for a call, or throws RunAbortedError BUDGET_EXCEEDED. */
  reserve(estimateUsd: number, who: string): Reservation {
    if (this.spent + this.reserved + estimateUsd > this.limitUsd) {
      throw new RunAbortedError(
        BUDGET_EXCEEDED,
        `budget of ${usd(this.limitUsd)} reached: spent ${usd(this.spent)}, ${usd(this.reserved)} reserved by calls in flight; the next call to ${who} (about ${usd(estimateUsd)}) would pass it`,
      );
    }
    this.reserved += estimateUsd;
    return { usd: estimateUsd };
  }

  /**
   * Reserves `estimateUsd` for a call, waiting while calls in flight hold reservations that
   * keep it out: they usually settle for less than they reserved, and the budget is spent
   * rather than abandoned at the first call that does not fit. Throws RunAbortedError
   * BUDGET_EXCEEDED once nothing is in flight and the call still does not fit, or when
   * `signal` aborts while waiting.
   */
  async acquire(estimateUsd: number, who: string, signal?: AbortSignal): Promise<Reservation> {
    for (;;) {
      if (this.reserved <= 0 || this.spent + this.reserved + estimateUsd <= this.limitUsd) return this.reserve(estimateUsd, who);
      if (signal?.aborted) return this.reserve(estimateUsd, who);
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          signal?.removeEventListener('abort', wake);
          this.waiters.delete(wake);
          resolve();
        };
        this.waiters.add(wake);
        signal?.addEventListener('abort', wake, { once: true });
      });
    }
  }

  /** Replaces a reservation with what the call actually cost (0 when it failed or is unknown). */
  settle(r: Reservation, actualUsd: number | null): void {
    this.reserved -= r.usd;
    // Float residue of many adds and subtracts: nothing is in flight any more.
    if (this.reserved < 1e-12) this.reserved = 0;
    if (actualUsd) this.spent += actualUsd;
    for (const wake of [...this.waiters]) wake();
  }

  state(): { limitUsd: number; spentUsd: number; reservedUsd: number } {
    return { limitUsd: this.limitUsd, spentUsd: this.spent, reservedUsd: this.reserved };
  }
}

/** Names of the configured models the suites call: their variants' models and their graders' judges. */
export function modelsCalledBy(config: Pick<ResolvedConfig, 'models'>, suites: ReadonlyArray<Pick<ResolvedSuite, 'variants' | 'graders'>>): string[] {
  const names = new Set<string>();
  for (const suite of suites) {
    for (const v of suite.variants) names.add(v.model);
    for (const g of suite.graders) if (typeof g['model'] === 'string' && config.models[g['model']]) names.add(g['model']);
  }
  return [...names];
}

/**
 * `--max-cost` can only be enforced over models whose price is known: a model without one
 * would spend without limit, so the run is refused before any call (exit 2), naming the models.
 */
export function assertBudgetEnforceable(config: Pick<ResolvedConfig, 'models'>, suites: ReadonlyArray<Pick<ResolvedSuite, 'variants' | 'graders'>>): void {
  const unpriced = modelsCalledBy(config, suites).filter((name) => {
    const model = config.models[name];
    return model !== undefined && resolvePrice(model).kind === 'unknown';
  });
  if (unpriced.length === 0) return;
  const list = unpriced.map((n) => `"${n}"${config.models[n]!.model ? ` (${config.models[n]!.provider} ${config.models[n]!.model})` : ''}`).join(', ');
  throw new UsageError(
    `--max-cost cannot be enforced: no price is known for model${unpriced.length > 1 ? 's' : ''} ${list}, so ${unpriced.length > 1 ? 'their' : 'its'} spend could not be counted. ` +
      `Set \`price: { input, output }\` (USD per 1M tokens) on ${unpriced.length > 1 ? 'each' : 'the'} model in llm-eval.yaml, or run without --max-cost.`,
  );
}

/**
 * What a call will probably cost, learnt per model as calls finish: input tokens from the
 * request's length × the observed tokens-per-character (3 chars per token until known, which
 * errs high for English), output tokens as the request's max_tokens when it sets one (the most
 * the call can cost), else the observed mean (until known: the dry-run default). Cheap enough
 * to run on every call.
 */
export class CostEstimator {
  private chars = 0;
  private inputTokens = 0;
  private outputTokens = 0;
  private calls = 0;

  constructor(private readonly price: ModelPrice) {}

  static requestChars(messages: ChatMessage[], responseFormat?: JsonSchema): number {
    let n = 0;
    for (const m of messages) n += m.content.length;
    // A schema adds tokens too; its size is fixed per prompt so one stringify per call is fine.
    if (responseFormat) n += JSON.stringify(responseFormat).length;
    return n;
  }

  estimate(chars: number, params: Record<string, unknown>): number {
    return costOf({ input: this.inputTokensFor(chars), output: this.outputTokensFor(params), cachedInput: 0 }, this.price);
  }

  /** Input tokens of a request of `chars` characters, by the ratio observed so far. */
  inputTokensFor(chars: number): number {
    const tokensPerChar = this.chars > 0 ? this.inputTokens / this.chars : 1 / 3;
    return Math.ceil(chars * tokensPerChar) + 10;
  }

  /**
   * Output tokens to expect: the request's own cap bounds what it can cost; without one, what
   * this model's answers have been so far (a fixed guess only before the first answer).
   */
  outputTokensFor(params: Record<string, unknown>): number {
    return maxOutputTokens(params) ?? (this.calls > 0 ? this.outputTokens / this.calls : expectedOutputTokens(params));
  }

  learn(chars: number, usage: TokenUsage): void {
    this.chars += chars;
    this.inputTokens += usage.input;
    this.outputTokens += usage.output;
    this.calls++;
  }
}
