import type { CaseRecord, EvalCase, GateVerdict } from '../types.js';
import type { Reporter, RunStartInfo, StoredRun } from './types.js';

/** Each hook's arguments. */
interface Hooks {
  onRunStart: [RunStartInfo];
  onCaseStart: [EvalCase];
  onCaseResult: [CaseRecord];
  onWarning: [string];
  onRunEnd: [StoredRun, GateVerdict];
}
type HookName = keyof Hooks;
type HookFn<K extends HookName> = (...args: Hooks[K]) => void | Promise<void>;

/**
 * Calls reporters' hooks for a run, so that a reporter can never stop it: a hook that throws, or
 * whose promise rejects, becomes one warning (per reporter and hook) and the run goes on. Hooks
 * may be async; per-case hooks are not awaited one by one (a slow reporter does not slow the
 * run), but `flush` waits for all of them before the run ends.
 */
export class ReporterHub {
  private readonly pending = new Set<Promise<void>>();
  private readonly failed = new Set<string>();

  constructor(
    private readonly reporters: readonly Reporter[],
    private readonly warn: (message: string) => void,
  ) {}

  private failure(reporter: Reporter, hook: HookName, err: unknown): void {
    const key = `${reporter.name}\u0000${hook}`;
    if (this.failed.has(key)) return;
    this.failed.add(key);
    this.warn(`reporter "${reporter.name}" failed in ${hook} (the run goes on): ${err instanceof Error ? err.message : String(err)}`);
  }

  private call<K extends HookName>(reporter: Reporter, hook: K, args: Hooks[K]): Promise<void> | undefined {
    // The Reporter interface types each hook; indexing it by a generic name loses that link.
    const fn = reporter[hook] as HookFn<K> | undefined;
    if (!fn) return undefined;
    try {
      const result = fn.apply(reporter, args);
      if (result && typeof (result as Promise<void>).then === 'function') {
        return (result as Promise<void>).catch((err: unknown) => this.failure(reporter, hook, err));
      }
    } catch (err) {
      this.failure(reporter, hook, err);
    }
    return undefined;
  }

  /** Calls the hook on every reporter without waiting; async work is awaited by `flush`. */
  emit<K extends HookName>(hook: K, ...args: Hooks[K]): void {
    for (const r of this.reporters) {
      const p = this.call(r, hook, args);
      if (p) {
        this.pending.add(p);
        void p.finally(() => this.pending.delete(p));
      }
    }
  }

  /** Calls the hook on every reporter in turn, waiting for each (run start and end). */
  async emitInOrder<K extends HookName>(hook: K, ...args: Hooks[K]): Promise<void> {
    for (const r of this.reporters) await this.call(r, hook, args);
  }

  /** Waits for every per-case hook still running. */
  async flush(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }
}
