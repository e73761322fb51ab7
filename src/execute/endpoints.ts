import type { ModelProvider, ResolvedModel } from '../types.js';
import { ProviderError, isStop } from '../errors.js';
import { AdaptiveLimiter, type LimiterStats } from './limiter.js';
import { DEFAULT_HEALTH, EndpointHealth, countsAgainstHealth, type HealthOptions } from './health.js';

/**
 * The endpoints a run calls (a provider's base URL and model), each with its adaptive limiter
 * (calls in flight) and its health (is it down?). Also the health of models whose provider could
 * not even be created (a missing key), so they too can stop the run.
 */

export interface Endpoint {
  limiter: AdaptiveLimiter;
  health: EndpointHealth;
}

export class EndpointRegistry {
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly setupHealth = new Map<string, EndpointHealth>();
  private readonly healthOpts: HealthOptions;
  private downReason: string | null = null;
  /** Calls that ended in an error (after retries), stops not counted. */
  failedCalls = 0;

  constructor(
    /** Calls in flight per endpoint unless the model sets `concurrency`. */
    private readonly concurrency: number,
    health: Partial<HealthOptions> | undefined,
    private readonly warn: (message: string) => void,
  ) {
    this.healthOpts = { ...DEFAULT_HEALTH, ...health };
  }

  of(provider: ModelProvider, model: ResolvedModel): Endpoint {
    let e = this.endpoints.get(provider.endpoint);
    if (!e) {
      const label = `${provider.id} (${provider.endpoint.split('#')[0]})`;
      const limiter = new AdaptiveLimiter(model.concurrency ?? this.concurrency, 1, (_limit, why) => {
        if (why === 'rate-limited') this.warn(`${label} is rate limiting (429): fewer calls are sent to it at once, and more again as calls succeed`);
      });
      e = { limiter, health: new EndpointHealth(label, this.healthOpts) };
      this.endpoints.set(provider.endpoint, e);
    }
    return e;
  }

  /** A model's provider could not be created: counts against that model's health. */
  setupFailed(model: ResolvedModel, err: unknown): void {
    let h = this.setupHealth.get(model.name);
    if (!h) this.setupHealth.set(model.name, (h = new EndpointHealth(`model "${model.name}"`, this.healthOpts)));
    this.failed(h, err);
  }

  failed(health: EndpointHealth, err: unknown): void {
    // A call stopped because the run is stopping did not fail.
    if (isStop(err)) return;
    this.failedCalls++;
    if (err instanceof ProviderError && countsAgainstHealth(err)) {
      health.record(true, err);
      this.downReason ??= health.down();
    }
  }

  succeeded(health: EndpointHealth): void {
    health.record(false);
  }

  /** Why an endpoint is considered down (the run should stop), or null. */
  down(): string | null {
    return this.downReason;
  }

  stats(): Array<{ endpoint: string } & LimiterStats> {
    return [...this.endpoints].map(([endpoint, e]) => ({ endpoint, ...e.limiter.stats() }));
  }
}
