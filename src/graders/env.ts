import type { GraderEnv, ModelCaller, ResolvedConfig } from '../types.js';
import type { PromptRenderer } from '../prompts/render.js';

/** What every grader gets to work with in a run, a rescore or a calibration: built in one place. */
export function createGraderEnv(config: ResolvedConfig, renderer: PromptRenderer, models: ModelCaller, warn: (message: string) => void): GraderEnv {
  return {
    configDir: config.dir,
    promptsDir: config.promptsDir,
    render: (template, scope) => renderer.renderString(template, scope),
    models,
    modelConfigs: config.models,
    warn,
  };
}
