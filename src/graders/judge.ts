import { defineGrader } from './define.js';
import { graderName } from './name.js';
import { expectedNeedOfJudge } from './judge/needsExpected.js';
import { judgeBaseProblems, judgeOptionsSchema, type OptionProblem } from './judge/options.js';
import { createScoreJudge } from './judge/scoreGrader.js';

/**
 * `judge`: an LLM grades the output against a rubric (and the reference answer, if any). The
 * output and input are fenced as data, the verdict is structured JSON (reasoning, then score)
 * validated and re-asked once, and a judge that cannot give a verdict errors the case. See
 * docs/judges.md.
 */
const judge = defineGrader({
  type: 'judge',
  description: 'An LLM judge grades the output against a rubric (inline, a file, a prompt, or built-in); passes when its normalised score reaches `threshold`.',
  optionsSchema: judgeOptionsSchema,
  metrics: {
    pass: 'the normalised score reached `threshold` (by `reduce` over `judgeRepeat` verdicts)',
    score: "the judge's score normalised to 0..1",
    costUsd: "the judge calls' spend, reported apart from the candidate's",
  },
  needsExpected: expectedNeedOfJudge,
  validate(options, ctx) {
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
  create(options, env) {
    return createScoreJudge(options, env, graderName(options));
  },
});

export default judge;
