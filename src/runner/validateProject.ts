import type { ResolvedConfig } from '../types.js';
import { PromptRenderer } from '../prompts/render.js';
import { prepareSuites } from './prepare.js';
import { retirementWarnings } from '../cost/retirements.js';
import { preflightModels } from './preflight.js';

export interface ValidationSummary {
  suites: Array<{ name: string; rows: number; variants: number; repeat: number; cases: number; classification: boolean; classificationReason: string }>;
  /** Things to act on that do not stop a run (a model retiring soon). */
  warnings: string[];
}

/**
 * Everything `run` checks before calling a model, without calling one: config (already loaded),
 * templates against every dataset row. Throws ConfigError listing every problem.
 */
export async function validateProject(config: ResolvedConfig, sel: { suites?: string[] } = {}): Promise<ValidationSummary> {
  const prepared = await prepareSuites(config, sel, new PromptRenderer({ promptsDir: config.promptsDir }));
  // Script models' modules must load; keys are not checked (validate calls nothing).
  await preflightModels(config, prepared.map((p) => p.suite), { env: process.env, keys: false, cache: config.defaults.cache });
  return {
    suites: prepared.map((p) => ({
      name: p.suite.name,
      rows: p.rows,
      variants: p.suite.variants.length,
      repeat: p.suite.repeat,
      cases: p.rows * p.suite.variants.length * p.suite.repeat,
      classification: Boolean(p.labels),
      classificationReason: p.classificationReason,
    })),
    warnings: retirementWarnings(Object.values(config.models)),
  };
}
