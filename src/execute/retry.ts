import { ProviderError, isStop, runStopping } from '../errors.js';

/**
 * The one retry policy: rate limits, server errors, dropped connections and timeouts are
 * retried up to `retries` times with exponential backoff and jitter, waiting exactly what a
 * Retry-After asks when the server sends one. Auth, not-found and bad requests never are:
 * repeating them cannot help and costs money. A server's `x-should-retry: true|false` overrides
 * that decision (as openai-node does). An error that gives up after retries keeps the last
 * underlying error as its `cause`.
 */

export interface RetryPolicy {
  /** Retries after the first attempt (`defaults.retries`). */
  retries: number;
  /** First backoff; doubles per attempt. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited out: the call fails (a quota, not a blip). */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_TIMING: Omit<RetryPolicy, 'retries'> = { baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 60_000 };

export interface RetryEvent {
  error: ProviderError;
  /** The attempt that failed, 1-based. */
  attempt: number;
  delayMs: number;
}

/** Backoff before the attempt after `attempt` (1-based) failed with `err`. */
export function backoffMs(err: ProviderError, attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  if (err.retryAfterMs !== undefined) return err.retryAfterMs;
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  // Up to 25% less, so clients that failed together do not retry together.
  return exp * (1 - 0.25 * random());
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(runStopping());
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(runStopping());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Whether a failed attempt is worth another: the server's `x-should-retry` when it sent one, else the kind. */
export function isRetryable(err: unknown): err is ProviderError {
  if (!(err instanceof ProviderError) || isStop(err)) return false;
  return err.shouldRetry ?? err.retryable;
}

/** Runs `attempt(n)` until it succeeds or the policy gives up; returns the value and the attempts made. */
export async function withRetries<T>(
  attempt: (n: number) => Promise<T>,
  policy: RetryPolicy,
  signal: AbortSignal | undefined,
  onRetry?: (e: RetryEvent) => void,
): Promise<{ value: T; attempts: number }> {
  for (let n = 1; ; n++) {
    try {
      return { value: await attempt(n), attempts: n };
    } catch (err) {
      if (!isRetryable(err) || n > policy.retries) throw withAttempts(err, n);
      const delayMs = backoffMs(err, n, policy);
      if (err.retryAfterMs !== undefined && err.retryAfterMs > policy.maxRetryAfterMs) {
        throw new ProviderError(err.kind, `${err.message} (the server asked to wait ${Math.round(err.retryAfterMs / 1000)} s; not retried)`, { ...err.details(), cause: err });
      }
      onRetry?.({ error: err, attempt: n, delayMs });
      await sleep(delayMs, signal);
    }
  }
}

/** Says how many attempts a retried failure took, so the recorded error explains itself. */
function withAttempts(err: unknown, attempts: number): unknown {
  if (!(err instanceof ProviderError) || attempts === 1) return err;
  return new ProviderError(err.kind, `${err.message} (after ${attempts} attempts)`, { ...err.details(), cause: err });
}
