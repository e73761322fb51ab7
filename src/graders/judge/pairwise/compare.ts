import { ConfigError } from '../../../errors.js';
import type { GraderEnv } from '../../../types.js';
import { askVerdict } from '../ask.js';
import { dataSource } from '../dataSources.js';
import type { JudgeBaseOptions } from '../options.js';
import { PAIR_FORMAT_HINT, pairMessages } from '../prompt.js';
import { resolveRubric } from '../rubricSource.js';
import { JudgeSpend } from '../spend.js';
import { graderScope } from '../../scope.js';
import { PAIR_VERDICT_SCHEMA, parsePairVerdict, type PairChoice } from '../verdict.js';

/** Which variant a verdict favours, once the positions are mapped back to variants. */
export type Preference = 'a' | 'b' | 'tie';

/** One case compared in both orders. */
export interface PairDecision {
  /** Verdict with A shown first, and with B shown first, as a preference between the variants. */
  aFirst: Preference;
  bFirst: Preference;
  /** Both orders agree on a side: that side; otherwise a tie. */
  outcome: Preference;
  /** The two orders gave different verdicts: position bias (or noise) decided this case. */
  orderDisagreement: boolean;
  /** Verdicts that picked whichever response was shown first, out of the decisive ones. */
  firstShownPicked: number;
  decisive: number;
  reasoning: { aFirst: string; bFirst: string };
}

/** What the comparison reads of one case: its row and the two variants' outputs. */
export interface PairCase {
  caseId: string;
  vars: Record<string, unknown>;
  expected?: unknown;
  tags?: string[];
  outputA: string;
  outputB: string;
  signal?: AbortSignal;
}

export type PairComparer = (c: PairCase, spend: JudgeSpend) => Promise<PairDecision>;

function preference(choice: PairChoice, firstIs: 'a' | 'b'): Preference {
  if (choice === 'tie') return 'tie';
  const secondIs = firstIs === 'a' ? 'b' : 'a';
  return choice === '1' ? firstIs : secondIs;
}

/**
 * Builds the comparison of one `pairwise` grader: the judge sees the two outputs as Response 1
 * and Response 2, once in each order. Only a side both orders pick wins; any disagreement is a
 * tie, so a judge that always prefers the first (or second) response cannot decide a case.
 */
export async function createPairComparer(options: JudgeBaseOptions, env: GraderEnv, name: string): Promise<{ compare: PairComparer; rubricId: string }> {
  const judgeModel = env.modelConfigs[options.model];
  if (!judgeModel) throw ConfigError.at(env.configDir, 0, `grader ${name}: unknown judge model "${options.model}"`);
  const { rubric, render } = await resolveRubric(options, env, name);
  const params = { ...judgeModel.params, ...(options.params ?? {}) };
  const data = dataSource(options, rubric.needs, env, name);

  const compare: PairComparer = async (c, spend) => {
    const scope = graderScope({ id: c.caseId, vars: c.vars, expected: c.expected, tags: c.tags }, null);
    const criteria = render(scope);
    const judgeData = data({ scope, vars: c.vars, expected: c.expected, messages: [], caseId: c.caseId });
    const ask = (first: string, second: string) =>
      askVerdict(
        env.models,
        { model: options.model, messages: pairMessages({ rubric: criteria, data: judgeData, first, second }), params, responseFormat: PAIR_VERDICT_SCHEMA, signal: c.signal },
        parsePairVerdict,
        PAIR_FORMAT_HINT,
        name,
        spend,
      );
    // Both orders settle before a failure is reported, so the spend of the other one is counted.
    const settled = await Promise.allSettled([ask(c.outputA, c.outputB), ask(c.outputB, c.outputA)]);
    const [one, two] = settled.map((s) => {
      if (s.status === 'rejected') throw s.reason;
      return s.value;
    });
    const aFirst = preference(one.verdict.winner, 'a');
    const bFirst = preference(two.verdict.winner, 'b');
    const picks = [one.verdict.winner, two.verdict.winner];
    return {
      aFirst,
      bFirst,
      outcome: aFirst === bFirst ? aFirst : 'tie',
      orderDisagreement: aFirst !== bFirst,
      firstShownPicked: picks.filter((p) => p === '1').length,
      decisive: picks.filter((p) => p !== 'tie').length,
      reasoning: { aFirst: one.verdict.reasoning, bFirst: two.verdict.reasoning },
    };
  };
  return { compare, rubricId: rubric.id };
}
