import { runStopping } from '../errors.js';

/**
 * Calls in flight to one endpoint, with a limit that adapts (AIMD, as TCP does): a 429 halves
 * it (down to `min`), and every `limit` successes in a row raise it by one (up to `max`).
 *
 * Each slot remembers the epoch it was granted in; a 429 only cuts the limit if its slot was
 * granted after the last cut. A burst of 429s from calls that were all started under the old
 * limit is one signal, not many, so the limit halves once per overload, not to 1 at once.
 *
 * Retries ask for a slot with priority: a call that already waited out a backoff goes ahead of
 * calls that have not started, so a retried case does not wait behind the whole queue.
 */

export type SlotOutcome = 'ok' | 'rate-limited' | 'failed';

export interface LimiterSlot {
  readonly epoch: number;
}

export interface LimiterStats {
  limit: number;
  max: number;
  /** Lowest limit reached so far. */
  lowest: number;
  inFlight: number;
  queued: number;
  /** Times the limit was cut. */
  decreases: number;
}

interface Waiter {
  resolve(slot: LimiterSlot): void;
  reject(err: unknown): void;
  signal?: AbortSignal;
  onAbort?: () => void;
  settled: boolean;
}

/** A FIFO with O(1) shift that skips waiters cancelled while queued. */
class WaitQueue {
  private items: Waiter[] = [];
  private head = 0;
  push(w: Waiter): void {
    this.items.push(w);
  }
  shift(): Waiter | undefined {
    while (this.head < this.items.length) {
      const w = this.items[this.head++]!;
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
      if (!w.settled) return w;
    }
    return undefined;
  }
  get size(): number {
    let n = 0;
    for (let i = this.head; i < this.items.length; i++) if (!this.items[i]!.settled) n++;
    return n;
  }
}

export class AdaptiveLimiter {
  private limit: number;
  private lowest: number;
  private inFlight = 0;
  private epoch = 0;
  private successes = 0;
  private decreases = 0;
  private readonly urgent = new WaitQueue();
  private readonly normal = new WaitQueue();

  constructor(
    readonly max: number,
    private readonly min = 1,
    private readonly onChange?: (limit: number, why: 'rate-limited' | 'recovered') => void,
  ) {
    this.limit = Math.max(min, max);
    this.lowest = this.limit;
  }

  /** Waits for a slot; rejects with ProviderError 'aborted' if `signal` aborts first. */
  acquire(signal?: AbortSignal, priority = false): Promise<LimiterSlot> {
    if (signal?.aborted) return Promise.reject(runStopping());
    if (this.inFlight < this.limit) {
      this.inFlight++;
      return Promise.resolve({ epoch: this.epoch });
    }
    return new Promise<LimiterSlot>((resolve, reject) => {
      const w: Waiter = { resolve, reject, signal, settled: false };
      if (signal) {
        w.onAbort = () => {
          if (w.settled) return;
          w.settled = true;
          reject(runStopping());
        };
        signal.addEventListener('abort', w.onAbort, { once: true });
      }
      (priority ? this.urgent : this.normal).push(w);
    });
  }

  release(slot: LimiterSlot, outcome: SlotOutcome): void {
    this.inFlight--;
    if (outcome === 'rate-limited') {
      if (slot.epoch === this.epoch) {
        this.epoch++;
        this.successes = 0;
        const next = Math.max(this.min, Math.floor(this.limit / 2));
        if (next !== this.limit) {
          this.limit = next;
          this.decreases++;
          if (next < this.lowest) this.lowest = next;
          this.onChange?.(next, 'rate-limited');
        }
      }
    } else if (outcome === 'ok' && this.limit < this.max && ++this.successes >= this.limit) {
      this.successes = 0;
      this.limit++;
      this.onChange?.(this.limit, 'recovered');
    }
    this.dispatch();
  }

  private dispatch(): void {
    while (this.inFlight < this.limit) {
      const w = this.urgent.shift() ?? this.normal.shift();
      if (!w) return;
      w.settled = true;
      if (w.signal && w.onAbort) w.signal.removeEventListener('abort', w.onAbort);
      this.inFlight++;
      w.resolve({ epoch: this.epoch });
    }
  }

  stats(): LimiterStats {
    return { limit: this.limit, max: this.max, lowest: this.lowest, inFlight: this.inFlight, queued: this.urgent.size + this.normal.size, decreases: this.decreases };
  }
}
