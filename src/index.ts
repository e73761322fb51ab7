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

export { wilsonInterval } from './stats/intervals.js';
export { readCaseRecords, resolveRunDir, readReport } from './results/store.js';
export type { Reporter, StoredRun, RunStartInfo, ReportFormat } from './reporters/types.js';
export { renderStoredRun } from './reporters/render.js';
