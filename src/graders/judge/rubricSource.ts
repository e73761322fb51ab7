import path from 'node:path';
import { ConfigError, GraderError } from '../../errors.js';
import { loadPromptTemplate } from '../../prompts/loader.js';
import type { GraderEnv } from '../../types.js';
import { isTemplate } from '../reference.js';
import { readsOutput, type JudgeBaseOptions } from './options.js';
import { inlineRubric, loadBuiltinRubric, loadRubricFile, type Rubric } from './rubrics.js';

/** A grader's rubric, loaded once, and the function rendering it for a case (scope without `output`). */
export interface ResolvedRubric {
  rubric: Rubric;
  render(scope: Record<string, unknown>): string;
}

/**
 * Loads the rubric an options object names (inline, file, prompt under prompts/, or built-in).
 * Problems are ConfigErrors: graders are created before any model is called.
 */
export async function resolveRubric(options: JudgeBaseOptions, env: GraderEnv, grader: string): Promise<ResolvedRubric> {
  let rubric: Rubric;
  try {
    if (options.builtin !== undefined) rubric = loadBuiltinRubric(options.builtin);
    else if (options.rubricFile !== undefined) rubric = loadRubricFile(options.rubricFile, env.configDir);
    else if (options.prompt !== undefined) rubric = await promptRubric(options.prompt, env);
    else if (options.rubric !== undefined) rubric = inlineRubric(options.rubric);
    else throw new Error('no rubric: set one of rubric, rubricFile, prompt or builtin');
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw ConfigError.at(env.configDir, 0, `grader ${grader}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const text = rubric.text;
  if (readsOutput(text)) {
    throw ConfigError.at(env.configDir, 0, `grader ${grader}: the rubric (${rubric.id}) must not include {{ output }}: the judge is always given the output, in a fenced data block`);
  }
  if (!isTemplate(text)) return { rubric, render: () => text };
  return {
    rubric,
    render(scope) {
      try {
        return env.render(text, scope);
      } catch (err) {
        throw new GraderError(grader, `cannot render the rubric (${rubric.id}): ${err instanceof Error ? err.message : String(err)}`);
      }
    },
  };
}

/** A prompt under prompts/ as a rubric: its messages' text, in order. */
async function promptRubric(ref: string, env: GraderEnv): Promise<Rubric> {
  const promptsDir = env.promptsDir ?? path.join(env.configDir, 'prompts');
  const template = await loadPromptTemplate(promptsDir, ref);
  const text = template.messages.map((m) => m.content.trim()).filter(Boolean).join('\n\n');
  if (text === '') throw new Error(`prompt ${template.ref} is empty`);
  const rubric: Rubric = { id: `prompt:${template.ref}#${template.hash}`, text, needs: [] };
  if (template.description !== undefined) rubric.description = template.description;
  return rubric;
}
