/**
 * llm-eval as a library: everything the CLI does is a function here. Never imports cli/.
 */
export * from './types.js';
export { LlmEvalError, ConfigError, UsageError, ProviderError, GraderError, RunAbortedError, formatIssue } from './errors.js';
export type { Issue, ProviderErrorKind } from './errors.js';

export { loadConfig, parseConfigText, findConfigFile } from './config/load.js';
export { configSchema } from './config/schema.js';
export { loadPromptTemplate } from './prompts/loader.js';
export { PromptRenderer } from './prompts/render.js';
export { readDataset } from './datasets/read.js';
export { rowId } from './datasets/rowId.js';

export { runEval } from './runner/runEval.js';
export type { RunOptions, RunOutcome } from './runner/runEval.js';
export { rescore } from './runner/rescore.js';
export type { RescoreOptions } from './runner/rescore.js';
export { validateProject } from './runner/validateProject.js';
export { dryRun } from './runner/dryRun.js';

export { createModelCaller } from './execute/caller.js';
export { loadProviderFactory, providerNames } from './providers/registry.js';
export { registerGrader, getGraderFactory, graderTypes } from './graders/registry.js';
export { createGrader } from './graders/create.js';
export { defineGrader, type DefinedGrader, type GraderDefinition, type OptionsOf } from './graders/define.js';
export * as graders from './graders/api.js';
export { createEvalHarness } from './testing/harness.js';
export type { EvalHarness, EvalHarnessOptions, HarnessRow } from './testing/harness.js';
export { retirementOf, RETIREMENT_TABLE, RETIREMENTS_AS_OF } from './cost/retirements.js';

export { wilsonInterval } from './stats/intervals.js';
export { readCaseRecords, resolveRunDir, readReport } from './results/store.js';
export type { Reporter, StoredRun, RunStartInfo, ReportFormat } from './reporters/types.js';
export { renderStoredRun } from './reporters/render.js';

export { createFileReporters, createConsoleReporter, openStoredRun } from './reporters/index.js';

// Statistics, baselines, comparisons, shards
export { saveBaseline, readBaseline } from './results/baseline.js';
export { compareOutcomes, compareToBaseline } from './comparison/compare.js';
export { mergeRuns } from './runner/merge.js';
export { runStatistics } from './comparison/runStatistics.js';
export { inShard, parseShard } from './plan/shard.js';
export { mcnemarExact } from './stats/mcnemar.js';
export { benjaminiHochberg } from './stats/multipleTesting.js';
export { passAtK, passHatK } from './stats/repeats.js';
export { ConfusionCounter } from './stats/classification.js';

// Cost
export { BATCH_DISCOUNT, PRICE_TABLE, PRICES_AS_OF, batchPrice, lookupPrice } from './cost/prices.js';
export { costOf } from './cost/compute.js';
export { estimateRequestTokens } from './cost/estimate.js';

// Judges
export { calibrate } from './calibrate/calibrate.js';
export type { CalibrationReport } from './calibrate/calibrate.js';
export { runPairwise } from './graders/judge/pairwise/run.js';
export { pairwiseForRun, attachPairwise } from './graders/judge/pairwise/forRun.js';
export type { PairwiseSummary } from './graders/judge/pairwise/tally.js';
export { agreementOf } from './stats/agreement.js';
export { JudgeError } from './graders/judge/judgeError.js';
