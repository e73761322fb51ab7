import { graderName } from '../name.js';
import type { JudgeOptions } from './options.js';
import { BUILTIN_RUBRICS, inlineRubric, loadBuiltinRubric, loadRubricFile, type Rubric } from './rubrics.js';

function judgeRubric(g: JudgeOptions, configDir: string): Rubric | undefined {
  try {
    if (g.builtin !== undefined && BUILTIN_RUBRICS.includes(g.builtin)) return loadBuiltinRubric(g.builtin);
    if (g.rubricFile !== undefined) return loadRubricFile(g.rubricFile, configDir);
    if (g.rubric !== undefined) return inlineRubric(g.rubric);
  } catch {
    // The config loader reports a rubric that cannot be read.
  }
  return undefined;
}

/** A judge compares with the row's `expected` when its rubric asks for a reference and no `reference` option gives one. */
export function expectedNeedOfJudge(g: JudgeOptions, configDir: string): string | undefined {
  if (g.reference !== undefined || !judgeRubric(g, configDir)?.needs.includes('reference')) return undefined;
  const which = g.builtin !== undefined ? `builtin: ${g.builtin}` : 'its rubric';
  return `grader ${graderName(g)} (${which}) judges against a reference answer, the row's \`expected\``;
}
