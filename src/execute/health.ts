import type { ProviderError } from '../errors.js';

/**
 * Is an endpoint down? Judged on calls' final outcomes (after retries), so a provider that
 * recovers within the retry policy is healthy. Down when `consecutiveFailures` calls in a row
 * failed, or when at least `failureRate` of the last `window` calls failed. Only failures
 * that say something about the provider count (rate limits, server errors, timeouts, auth,
 * unknown model); a bad request is about one request, an abort about the run.
 */

export interface HealthOptions {
  consecutiveFailures: number;
  window: number;
  failureRate: number;
}

export const DEFAULT_HEALTH: HealthOptions = { consecutiveFailures: 10, window: 40, failureRate: 0.75 };

const COUNTED = new Set(['rate-limit', 'transient', 'timeout', 'auth', 'not-found']);

export function countsAgainstHealth(err: ProviderError): boolean {
  return COUNTED.has(err.kind);
}

export class EndpointHealth {
  private consecutive = 0;
  private readonly outcomes: Uint8Array;
  private next = 0;
  private filled = 0;
  private failures = 0;
  private lastError = '';
  private downReason: string | null = null;

  constructor(
    private readonly label: string,
    private readonly opts: HealthOptions = DEFAULT_HEALTH,
  ) {
    this.outcomes = new Uint8Array(Math.max(1, opts.window));
  }

  record(failed: boolean, err?: ProviderError): void {
    const slot = this.next;
    if (this.filled === this.outcomes.length) this.failures -= this.outcomes[slot]!;
    else this.filled++;
    this.outcomes[slot] = failed ? 1 : 0;
    this.next = (slot + 1) % this.outcomes.length;
    if (failed) {
      this.failures++;
      this.consecutive++;
      if (err) this.lastError = err.message;
    } else {
      this.consecutive = 0;
    }
    if (this.downReason === null) this.downReason = this.judge();
  }

  private judge(): string | null {
    if (this.consecutive >= this.opts.consecutiveFailures) {
      return `${this.label} looks down: ${this.consecutive} calls in a row failed (last: ${this.lastError})`;
    }
    if (this.filled === this.outcomes.length && this.failures / this.filled >= this.opts.failureRate) {
      return `${this.label} looks down: ${this.failures} of the last ${this.filled} calls failed (last: ${this.lastError})`;
    }
    return null;
  }

  /** Why the endpoint is considered down (sticky once decided), or null. */
  down(): string | null {
    return this.downReason;
  }
}
