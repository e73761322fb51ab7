import type { GraderConfig } from '../types.js';
import { BUILTIN_RUBRICS, inlineRubric, loadBuiltinRubric, loadRubricFile, type BuiltinRubric, type Rubric } from './judge/rubrics.js';
import { graderName } from './name.js';

/**
 * Which graders compare each output with the row's `expected`, so a row without one would make
 * its case error after the model was paid for. The dataset scan reports such a row at its line,
 * before any call.
 */

/** Graders that use the row's `expected` when none of these options is set. */
const REFERENCE_OPTIONS: Record<string, string[]> = {
  exact: ['value'],
  contains: ['value', 'values'],
  'not-contains': ['value', 'values'],
  'one-of': ['values'],
  similarity: ['value'],
  'json-path': ['value'],
};

function judgeRubric(g: GraderConfig, configDir: string): Rubric | undefined {
  try {
    if (typeof g['builtin'] === 'string' && (BUILTIN_RUBRICS as readonly string[]).includes(g['builtin'])) return loadBuiltinRubric(g['builtin'] as BuiltinRubric);
    if (typeof g['rubricFile'] === 'string') return loadRubricFile(g['rubricFile'], configDir);
    if (typeof g['rubric'] === 'string') return inlineRubric(g['rubric']);
  } catch {
    // The config loader reports a rubric that cannot be read.
  }
  return undefined;
}

/** Why this grader needs every row to have an `expected`, or undefined when it does not. */
export function expectedNeed(g: GraderConfig, configDir: string): string | undefined {
  const name = graderName(g);
  const options = REFERENCE_OPTIONS[g.type];
  if (options) {
    if (options.some((o) => g[o] !== undefined)) return undefined;
    return `grader ${name} has no \`${options.join('` or `')}\`, so it compares the output with the row's \`expected\``;
  }
  if (g.type === 'json' && g['equals'] === true && g['value'] === undefined) {
    return `grader ${name} has \`equals: true\` and no \`value\`, so it compares the output with the row's \`expected\``;
  }
  if (g.type === 'judge' && g['reference'] === undefined && judgeRubric(g, configDir)?.needs.includes('reference')) {
    const which = typeof g['builtin'] === 'string' ? `builtin: ${g['builtin']}` : 'its rubric';
    return `grader ${name} (${which}) judges against a reference answer, the row's \`expected\``;
  }
  return undefined;
}
