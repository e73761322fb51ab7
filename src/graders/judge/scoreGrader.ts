import { ConfigError, isStop } from '../../errors.js';
import type { Grade, GradeContext, Grader, GraderEnv } from '../../types.js';
import { askVerdict } from './ask.js';
import { dataSource, scopeWithoutOutput } from './dataSources.js';
import { selfPreferenceWarner } from './family.js';
import { JudgeError } from './judgeError.js';
import type { JudgeOptions } from './options.js';
import { DEFAULT_JUDGE_THRESHOLD } from './threshold.js';
import { scoreFormatHint, scoreMessages, type ScoreScale } from './prompt.js';
import { reduceSamples, toSample, type JudgeSample, type Reduce } from './reduce.js';
import { resolveRubric } from './rubricSource.js';
import { JudgeSpend } from './spend.js';
import { parseScoreVerdict, scoreVerdictSchema } from './verdict.js';

export type { JudgeOptions };
export { DEFAULT_JUDGE_THRESHOLD };
export const DEFAULT_SCALE: ScoreScale = { min: 0, max: 1 };
export const DEFAULT_REDUCE: Reduce = 'majority';

/** How much of the judge's reasoning a reason line carries; the whole reasoning is in `details`. */
const REASON_CHARS = 300;
const DETAIL_CHARS = 4000;

function cut(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(2).replace(/0+$/, '').replace(/\.$/, '');
}

/** Builds a `judge` grader: everything that can be decided once (rubric, data sources, params) is. */
export async function createScoreJudge(options: JudgeOptions, env: GraderEnv, name: string): Promise<Grader> {
  const judgeModel = env.modelConfigs[options.model];
  if (!judgeModel) throw ConfigError.at(env.configDir, 0, `grader ${name}: unknown judge model "${options.model}" (models: ${Object.keys(env.modelConfigs).join(', ') || '(none)'})`);
  const { rubric, render } = await resolveRubric(options, env, name);
  const scale = options.scale ?? DEFAULT_SCALE;
  const threshold = options.threshold ?? DEFAULT_JUDGE_THRESHOLD;
  const repeat = options.judgeRepeat ?? 1;
  const reduce = options.reduce ?? DEFAULT_REDUCE;
  const params = { ...judgeModel.params, ...(options.params ?? {}) };
  const responseFormat = scoreVerdictSchema(scale.min, scale.max);
  const hint = scoreFormatHint(scale);
  const data = dataSource(options, rubric.needs, env, name);
  const warnSelfPreference = selfPreferenceWarner(options.model, name, env.modelConfigs, env.warn);

  return {
    name,
    async grade(ctx: GradeContext): Promise<Grade> {
      warnSelfPreference(ctx.model);
      const scope = scopeWithoutOutput(ctx);
      const criteria = render(scope);
      const judgeData = data({ scope, vars: ctx.row.vars, expected: ctx.row.expected, messages: ctx.prompt.messages, caseId: ctx.row.id });
      const spend = new JudgeSpend();
      let reasks = 0;

      const settled = await Promise.allSettled(
        Array.from({ length: repeat }, async (_, sample): Promise<JudgeSample> => {
          const messages = scoreMessages({ rubric: criteria, scale, data: judgeData, output: ctx.output, sample });
          const { verdict, reasked } = await askVerdict(
            env.models,
            { model: options.model, messages, params, responseFormat, signal: ctx.signal, sample },
            (reply) => parseScoreVerdict(reply, scale.min, scale.max),
            hint,
            name,
            spend,
          );
          if (reasked) reasks++;
          return toSample(verdict.score, verdict.reasoning, scale, threshold);
        }),
      );
      const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failed) {
        const err: unknown = failed.reason;
        if (isStop(err)) throw err;
        const message = err instanceof Error ? err.message : String(err);
        const which = repeat > 1 ? ` (sample ${settled.indexOf(failed) + 1} of ${repeat})` : '';
        throw new JudgeError(name, `${message}${which}`, spend, { cause: err });
      }
      const samples = settled.map((s) => (s as PromiseFulfilledResult<JudgeSample>).value);
      const reduced = reduceSamples(samples, reduce, threshold);
      const compare = `${fmt(reduced.score)} ${reduced.score >= threshold ? '≥' : '<'} ${fmt(threshold)}`;
      const head =
        repeat === 1
          ? `score ${fmt(samples[0]!.raw)} on ${fmt(scale.min)}..${fmt(scale.max)} (${compare})`
          : `${reduce === 'majority' ? `majority ${reduced.passes}/${repeat} pass, ` : ''}mean ${compare} (scores ${samples.map((s) => fmt(s.raw)).join(', ')} on ${fmt(scale.min)}..${fmt(scale.max)})`;
      const grade: Grade = {
        pass: reduced.pass,
        score: reduced.score,
        reason: `${head}: ${cut(reduced.representative.reasoning, REASON_CHARS)}`,
        costUsd: spend.costUsd,
        details: {
          judge: options.model,
          rubric: rubric.id,
          scale,
          threshold,
          scores: samples.map((s) => s.raw),
          ...(repeat > 1 ? { reduce } : {}),
          reasoning: truncate(reduced.representative.reasoning.trim(), DETAIL_CHARS),
          ...(reasks > 0 ? { reasked: reasks } : {}),
          calls: spend.calls,
        },
      };
      if (spend.tokens) grade.tokens = spend.tokens;
      return grade;
    },
  };
}
