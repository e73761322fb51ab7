import { RunAbortedError, isStop } from '../../../errors.js';
import type { GraderEnv, ResolvedSuite, RunReport, RunStatus } from '../../../types.js';
import { runPairwise, type RunPairwiseOptions } from './run.js';
import { runGraderConfigs } from '../../suiteGraders.js';
import type { PairwiseSummary } from './tally.js';

/**
 * The runner's side of pairwise judging: after a run's cases are all in results.jsonl, run each
 * suite's pairwise graders and put their summaries into report.json. Two calls for the runner:
 *
 *   const pairwise = await pairwiseForRun(runDir, suites, graderEnv, { concurrency, signal });
 *   ...gate (with pairwise.bySuite), build the report...
 *   attachPairwise(report, pairwise);
 */

export interface RunPairwiseResult {
  bySuite: Map<string, PairwiseSummary[]>;
  /** Spend of every pairwise judge call; null when none had a known price. */
  costUsd: number | null;
  /** Set when a budget stop or an interrupt ended the comparisons early: the run did not finish. */
  stopped?: { status: Extract<RunStatus, 'budget-exceeded' | 'interrupted'>; reason: string };
}

export async function pairwiseForRun(
  runDir: string,
  suites: ResolvedSuite[],
  env: GraderEnv,
  opts: Omit<RunPairwiseOptions, 'variants' | 'onStop'> = {},
): Promise<RunPairwiseResult> {
  const result: RunPairwiseResult = { bySuite: new Map(), costUsd: null };
  const keep = (name: string, summaries: PairwiseSummary[]): void => {
    result.bySuite.set(name, summaries);
    for (const s of summaries) if (s.costUsd != null) result.costUsd = (result.costUsd ?? 0) + s.costUsd;
  };
  for (const suite of suites) {
    if (runGraderConfigs(suite).length === 0) continue;
    try {
      keep(suite.name, await runPairwise(runDir, suite, env, { ...opts, onStop: (partial) => keep(suite.name, partial) }));
    } catch (err) {
      // A budget stop or an interrupt during the comparisons: the spend so far is kept, the run
      // did not finish (exit 3), and no later suite is compared.
      if (isStop(err)) {
        const reason = (err as Error).message;
        env.warn(`suite ${suite.name}: pairwise comparison stopped (${reason}); its pairwise section covers only the cases compared before the stop`);
        result.stopped = { status: err instanceof RunAbortedError ? 'budget-exceeded' : 'interrupted', reason };
        break;
      }
      throw err;
    }
  }
  return result;
}

/** Adds `pairwise` to each suite of the report, and its judge spend to the report's judge cost. */
export function attachPairwise(report: RunReport, result: RunPairwiseResult): void {
  for (const suite of report.suites) {
    const summaries = result.bySuite.get(suite.name);
    if (summaries) suite.pairwise = summaries;
  }
  if (result.costUsd != null) report.totals.judgeCostUsd = (report.totals.judgeCostUsd ?? 0) + result.costUsd;
}
