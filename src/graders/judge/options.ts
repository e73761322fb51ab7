import { existsSync } from 'node:fs';
import { Liquid } from 'liquidjs';
import type { ResolvedModel } from '../../types.js';
import type { OptionsOf } from '../define.js';
import { parsePromptRef } from '../../prompts/ref.js';
import { templateProblems } from '../templateCheck.js';
import { didYouMean } from '../../util/suggest.js';
import { BUILTIN_RUBRICS, builtinRubricFile, loadBuiltinRubric, loadRubricFile, parseRubricText, type RubricNeed } from './rubrics.js';
import { DEFAULT_JUDGE_THRESHOLD } from './threshold.js';
import { pushAll } from '../../util/arrays.js';

export const RUBRIC_OPTIONS = ['rubric', 'rubricFile', 'prompt', 'builtin'] as const;

/** Options shared by `judge` and `pairwise`: who judges, by which rubric, over which data. */
export const judgeBaseSchema = {
  model: { type: 'string', minLength: 1, description: 'The judge: a model name under `models:`.' },
  rubric: { type: 'string', minLength: 1, description: 'The grading criteria, inline (a Liquid template over vars and expected).' },
  rubricFile: { type: 'string', minLength: 1, description: 'A rubric file (.md/.txt, optional front matter), relative to llm-eval.yaml.' },
  prompt: { type: 'string', minLength: 1, description: 'A prompt under prompts/ (`name` or `name@version`) whose text is the rubric.' },
  builtin: { enum: BUILTIN_RUBRICS, description: 'A built-in rubric (templates/rubrics/<name>.md).' },
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
} as const;

/** The options of a `judge` entry (a judge grading each output against a rubric). */
export const judgeOptionsSchema = {
  type: 'object',
  properties: {
    ...judgeBaseSchema,
    scale: {
      type: 'object',
      properties: { min: { type: 'number' }, max: { type: 'number' } },
      required: ['min', 'max'],
      additionalProperties: false,
      description: 'The score range the judge answers in (default 0..1), e.g. { min: 1, max: 10 }.',
    },
    threshold: {
      type: 'number',
      description: `Pass mark on the normalised 0..1 score: (score − min) / (max − min) ≥ threshold. Default ${DEFAULT_JUDGE_THRESHOLD}.`,
    },
    judgeRepeat: { type: 'integer', minimum: 1, maximum: 25, description: 'Ask the judge this many times and reduce the verdicts (default 1).' },
    reduce: { enum: ['majority', 'mean'], description: 'How repeated verdicts combine: majority of passes (default) or mean score against the threshold.' },
  },
  required: ['model'],
  additionalProperties: false,
} as const;

/** The options of a `pairwise` entry (a judge comparing two variants' outputs case by case). */
export const pairwiseOptionsSchema = {
  type: 'object',
  properties: {
    ...judgeBaseSchema,
    variants: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      minItems: 2,
      maxItems: 2,
      description: 'The two variants to compare, [A, B]; default every pair of the suite’s variants.',
    },
  },
  required: ['model'],
  additionalProperties: false,
} as const;

export type JudgeOptions = OptionsOf<typeof judgeOptionsSchema>;
export type PairwiseOptions = OptionsOf<typeof pairwiseOptionsSchema>;
/** What judge and pairwise options have in common: what the rubric and data sources read. */
export type JudgeBaseOptions = JudgeOptions | PairwiseOptions;

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
