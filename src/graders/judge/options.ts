import { existsSync } from 'node:fs';
import { Liquid } from 'liquidjs';
import type { GraderConfig, JsonSchema, ResolvedModel } from '../../types.js';
import { parsePromptRef } from '../../prompts/ref.js';
import { templateProblems } from '../templateCheck.js';
import { didYouMean } from '../../util/suggest.js';
import { BUILTIN_RUBRICS, builtinRubricFile, loadBuiltinRubric, loadRubricFile, parseRubricText, type BuiltinRubric, type RubricNeed } from './rubrics.js';
import { pushAll } from '../../util/arrays.js';

/** Options shared by `judge` and `pairwise`: who judges, by which rubric, over which data. */
export interface JudgeBaseOptions extends GraderConfig {
  model: string;
  rubric?: string;
  rubricFile?: string;
  prompt?: string;
  builtin?: BuiltinRubric;
  input?: string | boolean;
  reference?: string | boolean;
  context?: string;
  params?: Record<string, unknown>;
}

export const RUBRIC_OPTIONS = ['rubric', 'rubricFile', 'prompt', 'builtin'] as const;

export const judgeBaseSchema: Record<string, JsonSchema> = {
  model: { type: 'string', minLength: 1, description: 'The judge: a model name under `models:`.' },
  rubric: { type: 'string', minLength: 1, description: 'The grading criteria, inline (a Liquid template over vars and expected).' },
  rubricFile: { type: 'string', minLength: 1, description: 'A rubric file (.md/.txt, optional front matter), relative to llm-eval.yaml.' },
  prompt: { type: 'string', minLength: 1, description: 'A prompt under prompts/ (`name` or `name@version`) whose text is the rubric.' },
  builtin: { enum: [...BUILTIN_RUBRICS], description: 'A built-in rubric (templates/rubrics/<name>.md).' },
  input: {
    type: ['string', 'boolean'],
    description: 'Liquid template of the input shown to the judge (default: the prompt the candidate was given); false to leave it out, true for the default.',
  },
  reference: {
    type: ['string', 'boolean'],
    description: "Liquid template of the reference answer (default: the row's `expected`, when present); false to leave it out, true for the default.",
  },
  context: { type: 'string', description: 'Liquid template of the context the answer must rely on, e.g. "{{ documents }}" (faithfulness).' },
  params: { type: 'object', description: "Request params for the judge's calls, over the judge model's own params (e.g. temperature)." },
};

export type OptionProblem = { field?: string; message: string };

let liquid: Liquid | undefined;

/** True when a Liquid source reads `output`: a rubric must not, the output is only ever shown fenced. */
export function readsOutput(source: string): boolean {
  if (!source.includes('{{') && !source.includes('{%')) return false;
  liquid ??= new Liquid();
  try {
    return liquid.globalVariablesSync(source).includes('output');
  } catch {
    return false; // a syntax error is reported by templateProblems
  }
}

/** Checks shared by judge and pairwise, run at config load (before any call). */
export function judgeBaseProblems(options: JudgeBaseOptions, ctx: { configDir: string; models: Record<string, ResolvedModel> }): OptionProblem[] {
  const problems: OptionProblem[] = [];
  const modelNames = Object.keys(ctx.models);
  if (!ctx.models[options.model]) {
    problems.push({
      field: 'model',
      message: `unknown judge model "${options.model}" (models: ${modelNames.length ? modelNames.join(', ') : '(none)'})${didYouMean(options.model, modelNames)}`,
    });
  }

  const given = RUBRIC_OPTIONS.filter((k) => options[k] !== undefined);
  if (given.length === 0) {
    problems.push({ message: `give the judge its criteria: one of \`rubric\` (inline), \`rubricFile\`, \`prompt\` or \`builtin\` (${BUILTIN_RUBRICS.join(', ')})` });
  } else if (given.length > 1) {
    problems.push({ field: given[1], message: `give one rubric source, not ${given.map((g) => `\`${g}\``).join(' and ')}` });
  }

  pushAll(problems, templateProblems([['rubric', options.rubric], ['input', options.input], ['reference', options.reference], ['context', options.context]]));
  if (typeof options.rubric === 'string' && readsOutput(options.rubric)) {
    problems.push({ field: 'rubric', message: 'the rubric must not include {{ output }}: the judge is always given the output, in a fenced data block' });
  }
  if (typeof options.rubric === 'string') {
    // The same parse the grader does when it is created, so an empty rubric is reported here, at its line.
    try {
      parseRubricText(options.rubric, 'inline');
    } catch (err) {
      problems.push({ field: 'rubric', message: err instanceof Error ? err.message : String(err) });
    }
  }

  let needs: RubricNeed[] = [];
  if (typeof options.rubricFile === 'string') {
    try {
      const rubric = loadRubricFile(options.rubricFile, ctx.configDir);
      needs = rubric.needs;
      if (readsOutput(rubric.text)) problems.push({ field: 'rubricFile', message: `${options.rubricFile} must not include {{ output }}: the judge is always given the output, in a fenced data block` });
    } catch (err) {
      problems.push({ field: 'rubricFile', message: err instanceof Error ? err.message : String(err) });
    }
  }
  if (typeof options.builtin === 'string') {
    if (!existsSync(builtinRubricFile(options.builtin))) problems.push({ field: 'builtin', message: `built-in rubric file ${builtinRubricFile(options.builtin)} is missing (broken install?)` });
    else needs = loadBuiltinRubric(options.builtin).needs;
  }
  if (typeof options.prompt === 'string') {
    // Existence is checked when the grader is created (still before any call): the prompts
    // folder may be moved with `paths.prompts`, which this check does not see.
    const ref = parsePromptRef(options.prompt);
    if ('error' in ref) problems.push({ field: 'prompt', message: ref.error });
  }
  if (needs.includes('context') && options.context === undefined) {
    problems.push({ field: 'context', message: `the ${options.builtin ?? 'rubric'} rubric checks the output against context: set \`context\`, e.g. context: "{{ documents }}"` });
  }
  if (needs.includes('reference') && options.reference === false) {
    problems.push({ field: 'reference', message: `the ${options.builtin ?? 'rubric'} rubric compares against a reference answer: \`reference: false\` leaves it out` });
  }
  return problems;
}
