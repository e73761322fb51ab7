import path from 'node:path';
import type { ResolvedConfig, ResolvedSuite, SuiteSummary } from '../types.js';
import { annotateSummaries, readRunOutcomes, type OutcomeSet } from '../results/outcomes.js';
import { skippedLineWarnings } from './readWarnings.js';
import { variantFingerprint } from '../results/fingerprint.js';
import { baselineOutcomes, readBaseline } from '../results/baseline.js';
import { compareOutcomes, compareSettingsFromConfig, type Comparison } from './compare.js';

export interface RunStatistics {
  outcomes: OutcomeSet;
  /** Present when a baseline was given. */
  comparison: Comparison | null;
  /** The comparison's warnings (changed graders, edited cases, power, model aliases). */
  warnings: string[];
}

/**
 * The statistics step at the end of a run (and of `rescore`), in one call for the runner:
 * the run's per-case outcomes (given, or streamed from its results.jsonl), writes `repeats` and `fingerprint`
 * into the variant summaries (mutates `summaries`), compares with the baseline when one is
 * given. The verdict over it is gate/decide.ts's.
 */
export async function runStatistics(opts: {
  runDir: string;
  config: Pick<ResolvedConfig, 'models'>;
  /** The suites that ran (resolved, after --suite/--variant/--repeat selection). */
  suites: ResolvedSuite[];
  summaries: SuiteSummary[];
  baseline?: string;
  /** The run's outcomes when the runner gathered them as it wrote results.jsonl; read from the folder otherwise. */
  outcomes?: OutcomeSet;
}): Promise<RunStatistics> {
  const outcomes = opts.outcomes ?? (await readRunOutcomes(opts.runDir));
  annotateSummaries(opts.summaries, outcomes.variants, (suiteName, variantName) => {
    const suite = opts.suites.find((s) => s.name === suiteName);
    const variant = suite?.variants.find((v) => v.name === variantName);
    return suite && variant ? variantFingerprint(opts.config, suite, variant) : undefined;
  });
  let comparison: Comparison | null = null;
  if (opts.baseline) {
    const file = path.resolve(opts.baseline);
    const before = baselineOutcomes(await readBaseline(file), path.relative(process.cwd(), file) || file);
    comparison = compareOutcomes(before, outcomes, { suites: compareSettingsFromConfig(opts.suites) });
  }
  return {
    outcomes,
    comparison,
    // A comparison's warnings already word its sides' skipped lines.
    warnings: comparison ? comparison.warnings : skippedLineWarnings(outcomes),
  };
}
