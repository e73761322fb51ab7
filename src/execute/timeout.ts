import { ProviderError, runStopping } from '../errors.js';

/**
 * Runs one attempt with a signal that aborts after `timeoutMs` or when the run stops, and
 * says which it was: ProviderError 'timeout' (retried) or 'aborted' (the run is stopping).
 * A plain controller and timer rather than AbortSignal.any/timeout: cheaper per call, and
 * nothing stays attached to the run's signal once the attempt is over.
 */
export async function withTimeout<T>(
  attempt: (signal: AbortSignal) => Promise<T>,
  timeoutMs: number,
  runSignal: AbortSignal | undefined,
  who: string,
): Promise<T> {
  if (runSignal?.aborted) throw runStopping();
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onRunAbort = (): void => controller.abort();
  runSignal?.addEventListener('abort', onRunAbort, { once: true });
  try {
    return await attempt(controller.signal);
  } catch (err) {
    if (runSignal?.aborted) throw runStopping();
    if (timedOut) throw new ProviderError('timeout', `${who} did not answer within ${timeoutMs} ms`);
    throw err;
  } finally {
    clearTimeout(timer);
    runSignal?.removeEventListener('abort', onRunAbort);
  }
}
