import type { CallOptions, CallResult, ModelProvider, ModelResponse } from '../types.js';
import { ProviderError } from '../errors.js';
import type { AdaptiveLimiter, SlotOutcome } from './limiter.js';
import { withRetries, type RetryEvent, type RetryPolicy } from './retry.js';
import { withTimeout } from './timeout.js';
import type { EndpointRegistry } from './endpoints.js';
import type { ModelRegistry, ModelState } from './models.js';
import type { Spend } from './spend.js';
import type { CallExecutor, CallWork } from './work.js';

/**
 * The live call: create the provider → is its endpoint up? → reserve spend →
 * retry( limiter slot → timeout( generate / embed ) ) → price and settle.
 */

export interface LiveCallOptions {
  models: ModelRegistry;
  endpoints: EndpointRegistry;
  spend: Spend;
  policy: RetryPolicy;
  timeoutMs: number;
  onRetry?(event: RetryEvent & { model: string }): void;
}

function slotOutcome(err: unknown): SlotOutcome {
  return err instanceof ProviderError && err.kind === 'rate-limit' ? 'rate-limited' : 'failed';
}

export class LiveCall implements CallExecutor {
  /** Calls answered by a provider. */
  liveCalls = 0;
  /** Attempts beyond the first, over all calls. */
  retries = 0;

  constructor(private readonly o: LiveCallOptions) {}

  async execute(state: ModelState, work: CallWork, callOpts: CallOptions): Promise<CallResult> {
    const { models, endpoints, spend } = this.o;
    const { model } = state;
    let provider: ModelProvider;
    try {
      provider = await models.providerOf(state);
    } catch (err) {
      endpoints.setupFailed(model, err);
      throw err;
    }
    const endpoint = endpoints.of(provider, model);
    const down = endpoint.health.down();
    // Not started, so not finished: the runner leaves the case for a resume.
    if (down) throw new ProviderError('aborted', `not started: ${down}`);

    const ticket = await spend.reserve(state, work, callOpts.signal);
    let result: { value: ModelResponse; attempts: number };
    try {
      result = await this.attempts(provider, endpoint.limiter, work, callOpts, model.name);
    } catch (err) {
      spend.release(ticket);
      endpoints.failed(endpoint.health, err);
      throw err;
    }
    this.liveCalls++;
    endpoints.succeeded(endpoint.health);
    const response = result.value;
    const costUsd = spend.settle(ticket, state, work, response, callOpts.purpose);
    // Object.assign then plain sets: `{ ...response, more }` takes a slow path in V8, once per call.
    const out = Object.assign({}, response) as CallResult;
    out.cached = false;
    out.costUsd = costUsd;
    out.attempts = result.attempts;
    return out;
  }

  private attempts(
    provider: ModelProvider,
    limiter: AdaptiveLimiter,
    work: CallWork,
    callOpts: CallOptions,
    modelName: string,
  ): Promise<{ value: ModelResponse; attempts: number }> {
    const { timeoutMs, policy, onRetry } = this.o;
    const who = `model "${modelName}"`;
    return withRetries(
      async (attempt) => {
        const slot = await limiter.acquire(callOpts.signal, attempt > 1);
        try {
          const response = await withTimeout((signal) => work.run(provider, { timeoutMs, vars: callOpts.vars, signal }), timeoutMs, callOpts.signal, who);
          limiter.release(slot, 'ok');
          return response;
        } catch (err) {
          limiter.release(slot, slotOutcome(err));
          throw err;
        }
      },
      policy,
      callOpts.signal,
      (e) => {
        this.retries++;
        onRetry?.({ ...e, model: modelName });
      },
    );
  }
}
