import type { ComparisonReport, GateFailure, GateVerdict, ResolvedConfig, ResolvedSuite, SuiteSummary } from '../types.js';
import type { PairwiseSummary } from '../graders/judge/pairwise/tally.js';
import { decideVerdict } from '../gate/decide.js';
import type { UnmeasuredCases } from '../gate/unmeasured.js';
import { runStatistics } from '../comparison/runStatistics.js';
import type { OutcomeSet } from '../results/outcomes.js';

/**
 * The end of a run, shared by `run` and `rescore`: statistics over the stored results (repeats,
 * fingerprints, the baseline comparison; comparison/runStatistics.ts), then the one gate
 * (gate/decide.ts) over the summaries and that comparison.
 */
export async function decideGate(opts: {
  runDir: string;
  config: ResolvedConfig;
  suites: ResolvedSuite[];
  summaries: SuiteSummary[];
  baseline?: string;
  /** Pairwise summaries by suite: their judge spend counts in maxCostUsd, their undecided cases fail. */
  pairwise?: ReadonlyMap<string, PairwiseSummary[]>;
  unmeasured?: UnmeasuredCases;
  /** Why the run is not whole (gate/decide.ts `runIncomplete`). */
  incomplete?: GateFailure[];
  /** The run's outcomes, gathered while its records were written (else read back from results.jsonl). */
  outcomes?: OutcomeSet;
  warn(message: string): void;
}): Promise<{ gate: GateVerdict; comparison?: ComparisonReport }> {
  const stats = await runStatistics({ runDir: opts.runDir, config: opts.config, suites: opts.suites, summaries: opts.summaries, baseline: opts.baseline, outcomes: opts.outcomes });
  for (const w of stats.warnings) opts.warn(w);
  const decided = decideVerdict({
    suites: opts.suites,
    summaries: opts.summaries,
    outcomes: stats.outcomes.variants,
    comparison: stats.comparison,
    pairwise: opts.pairwise,
    unmeasured: opts.unmeasured,
    incomplete: opts.incomplete,
  });
  for (const w of decided.warnings) opts.warn(w);
  return { gate: decided.verdict, ...(stats.comparison ? { comparison: stats.comparison } : {}) };
}
