import type { GateFailure, GateVerdict, RegressionGateConfig, ResolvedSuite, SuiteSummary } from '../types.js';
import type { Comparison } from '../comparison/compare.js';
import type { VariantOutcomes } from '../results/outcomes.js';
import type { PairwiseSummary } from '../graders/judge/pairwise/tally.js';
import { pairwiseFailures, thresholdFailures, verdictOf } from './evaluate.js';
import { baselineReplacesDefaultRule, nonInferiorityFailures, passAllRepeatsFailures, regressionFailures, regressionRuleFor } from './regression.js';
import type { UnmeasuredCases } from './unmeasured.js';
import { pushAll } from '../util/arrays.js';

/**
 * The one place a verdict is composed, for `run`, `rescore`, `merge` and `compare`: summaries and
 * per-case outcomes (from results/) plus a comparison (from comparison/) in, a `GateVerdict` out.
 * Order of the failures: per suite its threshold and pairwise rules, then passAllRepeats,
 * regression and non-inferiority, then cases that could not be measured, then what stopped the
 * run from finishing.
 */
export interface GateInput {
  /**
   * The config's suites, for their gates. Undefined when there is no config (`merge` without
   * one): every summarised suite then gets the default rule (every case must pass).
   */
  suites?: readonly ResolvedSuite[];
  /** Threshold rules run over these (compare passes none: it judges the comparison only). */
  summaries?: readonly SuiteSummary[];
  /** Per-case outcomes, for passAllRepeats. */
  outcomes?: readonly VariantOutcomes[];
  /** Against a baseline or another run: regression (and non-inferiority when it was asked for). */
  comparison?: Comparison | null;
  /** Overrides of each suite's regression rule (`compare --alpha/--margin`). */
  regression?: Partial<RegressionGateConfig>;
  /** Pairwise summaries by suite: their judge spend counts in maxCostUsd, their undecided cases fail. */
  pairwise?: ReadonlyMap<string, readonly PairwiseSummary[]>;
  /** Cases the run could not measure (replay misses, provider failures): exit 3. */
  unmeasured?: UnmeasuredCases;
  /** Why the run is not whole (it stopped, shards are missing): see `runIncomplete`, `shardsMissing`. */
  incomplete?: readonly GateFailure[];
}

export interface GateDecision {
  verdict: GateVerdict;
  /** Things the gate could not check (a suite not in the config). */
  warnings: string[];
}

/** Stands in for a suite the config does not describe, when there is no config at all. */
function defaultSuite(name: string): ResolvedSuite {
  return { name, dataset: '', variants: [], repeat: 1, graders: [], options: {} };
}

export function decideVerdict(input: GateInput): GateDecision {
  const failures: GateFailure[] = [];
  const warnings: string[] = [];
  const baselineGiven = Boolean(input.comparison);
  const gateOf = (name: string) => input.suites?.find((s) => s.name === name)?.gate;
  for (const summary of input.summaries ?? []) {
    const suite = input.suites ? input.suites.find((s) => s.name === summary.name) : defaultSuite(summary.name);
    if (!suite) {
      warnings.push(`suite "${summary.name}" is not in the config: its gate is not checked`);
      continue;
    }
    const pairwise = input.pairwise?.get(suite.name) ?? [];
    if (!baselineReplacesDefaultRule(suite.gate, baselineGiven)) pushAll(failures, thresholdFailures(suite, summary, pairwise));
    pushAll(failures, pairwiseFailures(suite.name, pairwise));
  }
  if (input.outcomes) pushAll(failures, passAllRepeatsFailures([...input.outcomes], (name) => gateOf(name)?.passAllRepeats === true));
  if (input.comparison) {
    const ruleFor = (suite: string): RegressionGateConfig => {
      const rule = regressionRuleFor(gateOf(suite), true)!;
      return { alpha: input.regression?.alpha ?? rule.alpha, margin: input.regression?.margin ?? rule.margin };
    };
    pushAll(failures, regressionFailures(input.comparison, ruleFor));
    pushAll(failures, nonInferiorityFailures(input.comparison));
  }
  if (input.unmeasured) pushAll(failures, input.unmeasured.failures());
  pushAll(failures, input.incomplete ?? []);
  return { verdict: verdictOf(failures), warnings };
}

/** A run that stopped before every case ran (interrupt, budget, provider down). */
export function runIncomplete(runId: string, reason: string): GateFailure {
  return { rule: 'run-incomplete', message: `the run did not finish (${reason}); resume it with \`llm-eval run --resume ${runId}\`` };
}

/** Merged runs of which some did not finish. */
export function shardsIncomplete(unfinished: readonly string[], status: string): GateFailure {
  return { rule: 'run-incomplete', message: `${unfinished.join(', ')} did not finish (${status}): resume ${unfinished.length > 1 ? 'them' : 'it'}, then merge again` };
}

/** Missing shards: the gate would judge part of the cases as if it were all of them (exit 3). */
export function shardsMissing(missing: readonly string[]): GateFailure {
  return {
    rule: 'shards-missing',
    message: `shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} missing: merge every shard, or pass --allow-partial to gate on the cases present`,
  };
}
