import type { ResolvedConfig } from '../types.js';
import { PromptRenderer } from '../prompts/render.js';
import { prepareSuites } from './prepare.js';

export interface ValidationSummary {
  suites: Array<{ name: string; rows: number; variants: number; repeat: number; cases: number; classification: boolean }>;
}

/**
 * Everything `run` checks before calling a model, without calling one: config (already loaded),
 * templates against every dataset row. Throws ConfigError listing every problem.
 */
export async function validateProject(config: ResolvedConfig, sel: { suites?: string[] } = {}): Promise<ValidationSummary> {
  const prepared = await prepareSuites(config, sel, new PromptRenderer({ promptsDir: config.promptsDir }));
  return {
    suites: prepared.map((p) => ({
      name: p.suite.name,
      rows: p.rows,
      variants: p.suite.variants.length,
      repeat: p.suite.repeat,
      cases: p.rows * p.suite.variants.length * p.suite.repeat,
      classification: Boolean(p.labels),
    })),
  };
}
