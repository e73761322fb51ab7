import type { ComparisonReport, GateFailure, GateVerdict, ResolvedConfig, ResolvedSuite, SuiteSummary } from '../types.js';
import { pairwiseFailures, thresholdFailures, verdictOf } from '../gate/evaluate.js';
import type { PairwiseSummary } from '../graders/judge/pairwise/tally.js';
import { baselineReplacesDefaultRule } from '../gate/regression.js';
import { runStatistics } from '../results/runStatistics.js';
import { pushAll } from '../util/arrays.js';

/**
 * The end of a run, shared by `run` and `rescore`: statistics over the stored results (repeats,
 * fingerprints, the baseline comparison), then the gate: threshold rules, plus regression and
 * repeat rules. With a baseline, a suite without a gate is judged by regression instead of
 * "every case must pass", so a baseline that already has failures does not fail every build.
 */
export async function decideGate(opts: {
  runDir: string;
  config: ResolvedConfig;
  suites: ResolvedSuite[];
  summaries: SuiteSummary[];
  baseline?: string;
  /** Pairwise summaries by suite: their judge spend counts in maxCostUsd, their undecided cases fail. */
  pairwise?: ReadonlyMap<string, PairwiseSummary[]>;
  warn(message: string): void;
}): Promise<{ gate: GateVerdict; comparison?: ComparisonReport }> {
  const stats = await runStatistics({ runDir: opts.runDir, config: opts.config, suites: opts.suites, summaries: opts.summaries, baseline: opts.baseline });
  const failures: GateFailure[] = [];
  for (const suite of opts.suites) {
    const summary = opts.summaries.find((s) => s.name === suite.name);
    const pairwise = opts.pairwise?.get(suite.name) ?? [];
    if (summary && !baselineReplacesDefaultRule(suite.gate, Boolean(opts.baseline))) pushAll(failures, thresholdFailures(suite, summary, pairwise));
    pushAll(failures, pairwiseFailures(suite.name, pairwise));
  }
  pushAll(failures, stats.failures);
  for (const w of stats.warnings) opts.warn(w);
  return { gate: verdictOf(failures), ...(stats.comparison ? { comparison: stats.comparison } : {}) };
}
