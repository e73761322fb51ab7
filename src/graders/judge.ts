import type { GraderConfig, GraderFactory } from '../types.js';
import { graderName } from './name.js';
import { judgeBaseProblems, judgeBaseSchema, type OptionProblem } from './judge/options.js';
import { createScoreJudge, DEFAULT_JUDGE_THRESHOLD, type JudgeOptions } from './judge/scoreGrader.js';

/**
 * `judge`: an LLM grades the output against a rubric (and the reference answer, if any). The
 * output and input are fenced as data, the verdict is structured JSON (reasoning, then score)
 * validated and re-asked once, and a judge that cannot give a verdict errors the case. See
 * docs/judges.md.
 */
const judge: GraderFactory = {
  type: 'judge',
  description: 'An LLM judge grades the output against a rubric (inline, a file, a prompt, or built-in); passes when its normalised score reaches `threshold`.',
  optionsSchema: {
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
  },
  validate(config, ctx) {
    const options = config as JudgeOptions;
    const problems: OptionProblem[] = judgeBaseProblems(options, ctx);
    const scale = options.scale;
    if (scale && !(scale.max > scale.min)) problems.push({ field: 'scale', message: `\`scale.max\` (${scale.max}) must be greater than \`scale.min\` (${scale.min})` });
    const t = options.threshold;
    if (t !== undefined && (t < 0 || t > 1)) {
      const hint = scale && t >= scale.min && t <= scale.max ? `; for ${t} on ${scale.min}..${scale.max} write ${+((t - scale.min) / (scale.max - scale.min)).toFixed(3)}` : '';
      problems.push({ field: 'threshold', message: `\`threshold\` is on the normalised 0..1 score, not the judge's scale${hint}` });
    }
    if (options.reduce !== undefined && (options.judgeRepeat ?? 1) === 1) {
      problems.push({ field: 'reduce', message: '`reduce` combines repeated verdicts: set `judgeRepeat` above 1, or leave `reduce` out' });
    }
    return problems;
  },
  create(config: GraderConfig, env) {
    return createScoreJudge(config as JudgeOptions, env, graderName(config));
  },
};

export default judge;
