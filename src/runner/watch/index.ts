import path from 'node:path';
import type { CaseRecord, ResolvedConfig, ResolvedSuite } from '../../types.js';
import { selectSuites } from '../../plan/select.js';
import { maxOf } from '../../util/arrays.js';
import { RESULTS_FILE, readCaseRecords } from '../../results/store.js';
import { runEval, type RunOptions, type RunOutcome } from '../runEval.js';
import { caseOutcomes, compareOutcomes, type CaseChanges, type CaseOutcomes } from './caseChanges.js';
import { fingerprintDiff, foldersToWatch, suiteFingerprint, type SuiteFingerprint } from './dependencies.js';
import { watchFolders } from './folderWatcher.js';
import { clearPromptTemplateCache } from '../../prompts/loader.js';
import { reimportUserModulesFromNowOn } from '../../util/importModule.js';

/**
 * Watch mode: runs the selected suites, then, each time a file changes, reloads the config and
 * runs again only the suites whose settings, prompts, dataset, model modules or grader files
 * changed (with the cache on, their unchanged calls are cache hits). Reports what each run
 * changed against the previous run of the same suite. Bad input (a broken config, a dataset
 * error) is reported and watching goes on. Prints nothing: `onEvent` does.
 */

export type WatchEvent =
  /** A run is starting: the suites it runs and, per suite, what changed (absent on the first run). */
  | { kind: 'run'; suites: string[]; changed: Record<string, string[]>; first: boolean }
  /** A run finished. `changes` per suite that had a previous run to compare with. */
  | { kind: 'ran'; outcome: RunOutcome; changes: Record<string, CaseChanges> }
  /** Loading the config or running failed; watching goes on. */
  | { kind: 'error'; error: unknown }
  /** Waiting for the next change. */
  | { kind: 'idle'; folders: number };

export interface WatchOptions extends Omit<RunOptions, 'resume' | 'shard' | 'signal'> {
  /** Loads llm-eval.yaml again after a change (throws a ConfigError on bad input). */
  reload(): Promise<ResolvedConfig>;
  /** Aborting it ends watching (a run in progress stops as on Ctrl-C). */
  signal: AbortSignal;
  onEvent(event: WatchEvent): void;
  /** Quiet time after the last file event before reloading (default 200 ms). */
  debounceMs?: number;
}

interface SuiteState {
  fingerprint: SuiteFingerprint;
  cases?: CaseOutcomes;
  /** Exit code of the suite's last run: 0, 1, 3, or 2 when it could not start (bad input). */
  exitCode: number;
}

export interface WatchResult {
  /** The worst of the watched suites' last exit codes (0 when every one passed). */
  exitCode: number;
}

export async function watchEval(opts: WatchOptions): Promise<WatchResult> {
  const { signal, onEvent } = opts;
  // An unknown --suite or --variant is a usage error now (exit 2), not something to wait on.
  selectSuites(opts.config, { suites: opts.suites, variants: opts.variants });
  const states = new Map<string, SuiteState>();
  let dirty = true;
  let wake: (() => void) | undefined;
  const watcher = watchFolders(() => {
    dirty = true;
    wake?.();
  }, opts.debounceMs ?? 200);
  const onAbort = (): void => wake?.();
  signal.addEventListener('abort', onAbort);
  let config = opts.config;
  let first = true;
  let loaded = false;
  try {
    while (!signal.aborted) {
      if (!dirty) {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        continue;
      }
      dirty = false;
      let suites: ResolvedSuite[];
      try {
        if (loaded) {
          // The files are read again: templates and user modules are cached per process.
          clearPromptTemplateCache();
          reimportUserModulesFromNowOn();
          config = await opts.reload();
        }
        loaded = true;
        suites = selectSuites(config, { suites: opts.suites, variants: opts.variants });
      } catch (error) {
        // Keep watching llm-eval.yaml's folder, so fixing it triggers a reload.
        watcher.setFolders([...new Set([config.dir, path.dirname(config.file)])]);
        onEvent({ kind: 'error', error });
        onEvent({ kind: 'idle', folders: 1 });
        continue;
      }
      const folders = foldersToWatch(config, suites);
      watcher.setFolders(folders);
      const changed: Record<string, string[]> = {};
      const fingerprints = new Map<string, SuiteFingerprint>();
      for (const s of suites) {
        const fp = suiteFingerprint(config, s);
        fingerprints.set(s.name, fp);
        const diff = fingerprintDiff(states.get(s.name)?.fingerprint, fp);
        if (diff.length > 0) changed[s.name] = diff;
      }
      // Suites no longer selected (removed from the config) no longer count.
      for (const name of [...states.keys()]) if (!fingerprints.has(name)) states.delete(name);
      const names = Object.keys(changed);
      // A file event that changed nothing a suite depends on (reports written, an editor's swap
      // file) runs nothing and prints nothing.
      if (names.length === 0) continue;
      onEvent({ kind: 'run', suites: names, changed: first ? {} : changed, first });
      await runSuites(opts, config, names, fingerprints, states);
      first = false;
      if (!signal.aborted) onEvent({ kind: 'idle', folders: folders.length });
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    watcher.close();
  }
  return { exitCode: maxOf([...states.values()].map((s) => s.exitCode), 0) };
}

/** Runs `names` once, and records each suite's fingerprint, exit code and case outcomes. */
async function runSuites(opts: WatchOptions, config: ResolvedConfig, names: string[], fingerprints: Map<string, SuiteFingerprint>, states: Map<string, SuiteState>): Promise<void> {
  const { reload: _reload, onEvent: _onEvent, debounceMs: _debounceMs, ...runOptions } = opts;
  let outcome: RunOutcome;
  try {
    outcome = await runEval({ ...runOptions, config, suites: names });
  } catch (error) {
    // Bad input: nothing ran. The suites wait for their next change.
    for (const name of names) states.set(name, { ...states.get(name), fingerprint: fingerprints.get(name)!, exitCode: 2 });
    opts.onEvent({ kind: 'error', error });
    return;
  }
  const records = new Map<string, CaseRecord[]>();
  for await (const rec of readCaseRecords(path.join(outcome.dir, RESULTS_FILE))) {
    let list = records.get(rec.suite);
    if (!list) records.set(rec.suite, (list = []));
    list.push(rec);
  }
  const changes: Record<string, CaseChanges> = {};
  for (const name of names) {
    const before = states.get(name)?.cases;
    let after = caseOutcomes(records.get(name) ?? []);
    if (before) changes[name] = compareOutcomes(before, after);
    // An unfinished run measured only some cases: the others keep their last outcome.
    if (before && outcome.status !== 'completed') after = new Map([...before, ...after]);
    states.set(name, { fingerprint: fingerprints.get(name)!, cases: after, exitCode: outcome.exitCode });
  }
  opts.onEvent({ kind: 'ran', outcome, changes });
}
