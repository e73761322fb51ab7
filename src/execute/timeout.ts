import { ProviderError, runStopping } from '../errors.js';

/**
 * The attempts in flight under each run signal, aborted together when it aborts: one listener
 * per run signal for the whole run, instead of an add/remove of a listener per attempt (an
 * EventTarget operation that showed in the per-case CPU profile).
 */
const attemptsUnder = new WeakMap<AbortSignal, Set<AbortController>>();

function attemptsOf(runSignal: AbortSignal): Set<AbortController> {
  let attempts = attemptsUnder.get(runSignal);
  if (attempts === undefined) {
    const set = (attempts = new Set());
    attemptsUnder.set(runSignal, set);
    runSignal.addEventListener('abort', () => {
      for (const controller of set) controller.abort();
      set.clear();
    }, { once: true });
  }
  return attempts;
}

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
  const running = runSignal ? attemptsOf(runSignal) : undefined;
  running?.add(controller);
  try {
    return await attempt(controller.signal);
  } catch (err) {
    if (runSignal?.aborted) throw runStopping();
    if (timedOut) throw new ProviderError('timeout', `${who} did not answer within ${timeoutMs} ms`);
    throw err;
  } finally {
    clearTimeout(timer);
    running?.delete(controller);
  }
}
