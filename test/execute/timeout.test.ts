import { describe, expect, it } from 'vitest';
import { withTimeout } from '../../src/execute/timeout.js';
import { ProviderError } from '../../src/errors.js';

/** An attempt that settles only when its signal aborts (then rejects), exposing its signal. */
function hanging(signals: AbortSignal[]): (signal: AbortSignal) => Promise<string> {
  return (signal) =>
    new Promise((_, reject) => {
      signals.push(signal);
      signal.addEventListener('abort', () => reject(new Error('aborted by signal')), { once: true });
    });
}

describe('withTimeout', () => {
  it('a run stop aborts every attempt in flight under that run, and each says the run is stopping', async () => {
    const run = new AbortController();
    const signals: AbortSignal[] = [];
    const attempts = Array.from({ length: 5 }, () => withTimeout(hanging(signals), 60_000, run.signal, 'model "m"'));
    expect(signals).toHaveLength(5);
    run.abort();
    const results = await Promise.allSettled(attempts);
    for (const r of results) {
      expect(r.status).toBe('rejected');
      const err = (r as PromiseRejectedResult).reason as ProviderError;
      expect(err).toBeInstanceOf(ProviderError);
      expect(err.kind).toBe('aborted');
    }
    expect(signals.every((s) => s.aborted)).toBe(true);
  });

  it('an attempt that finished is not aborted by a later stop, and one under another run is left alone', async () => {
    const run = new AbortController();
    const other = new AbortController();
    let finishedSignal: AbortSignal | undefined;
    await withTimeout(async (signal) => ((finishedSignal = signal), 'ok'), 60_000, run.signal, 'model "m"');
    const otherSignals: AbortSignal[] = [];
    const otherAttempt = withTimeout(hanging(otherSignals), 60_000, other.signal, 'model "m"');
    run.abort();
    expect(finishedSignal!.aborted).toBe(false);
    expect(otherSignals[0]!.aborted).toBe(false);
    other.abort();
    await expect(otherAttempt).rejects.toMatchObject({ kind: 'aborted' });
  });

  it('an attempt past its time is aborted and fails as a timeout (retried), naming who and how long', async () => {
    const signals: AbortSignal[] = [];
    await expect(withTimeout(hanging(signals), 20, new AbortController().signal, 'model "slow"')).rejects.toMatchObject({
      kind: 'timeout',
      message: 'model "slow" did not answer within 20 ms',
    });
    expect(signals[0]!.aborted).toBe(true);
  });

  it('a run already stopped starts no attempt', async () => {
    const run = new AbortController();
    run.abort();
    let started = false;
    await expect(withTimeout(async () => ((started = true), 'x'), 1000, run.signal, 'model "m"')).rejects.toMatchObject({ kind: 'aborted' });
    expect(started).toBe(false);
  });
});
