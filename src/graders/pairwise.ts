import { GraderError } from '../errors.js';
import { defineGrader } from './define.js';
import { graderName } from './name.js';
import { judgeBaseProblems, pairwiseOptionsSchema, type OptionProblem } from './judge/options.js';

/**
 * `pairwise`: an LLM judge compares two variants' outputs for the same case, in both orders; a
 * variant wins a case only when both orders pick it, otherwise the case is a tie. It needs both
 * outputs, so it declares scope `run`: the runner never grades cases with it, it calls
 * runPairwise() over results.jsonl after the cases ran, and report.json gets `suites[i].pairwise`
 * (win/tie/loss rates per pair and how often the two orders disagreed). See docs/judges.md.
 */
const pairwise = defineGrader({
  type: 'pairwise',
  description: 'An LLM judge compares two variants’ outputs case by case, in both orders; reports win/tie/loss rates and position bias per pair.',
  scope: 'run',
  optionsSchema: pairwiseOptionsSchema,
  metrics: {
    winRate: 'per pair [A, B]: share of cases both orders gave to A',
    tieRate: 'share of cases judged a tie, or on which the two orders disagreed',
    lossRate: 'share of cases both orders gave to B',
    orderDisagreementRate: 'share of cases whose verdict changed with the order (position bias)',
    costUsd: "the judge calls' spend",
  },
  validate(options, ctx) {
    const problems: OptionProblem[] = judgeBaseProblems(options, ctx);
    if (options.variants && options.variants[0] === options.variants[1]) {
      problems.push({ field: 'variants', message: `compare two different variants, not "${options.variants[0]}" with itself` });
    }
    return problems;
  },
  suiteProblems(options, suite) {
    const names = suite.variants;
    if (options.variants) {
      return options.variants.filter((v) => !names.includes(v)).map((v) => ({ field: 'variants', message: `unknown variant "${v}" (variants: ${names.join(', ')})` }));
    }
    return names.length < 2 ? [{ field: 'type', message: `pairwise compares variants, and the suite has ${names.length}: add variants` }] : [];
  },
  create(options) {
    // Only reached when a runner ignores `scope: 'run'`: fail every case loudly rather than
    // record a grade that means nothing.
    const name = graderName(options);
    return {
      name,
      grade() {
        throw new GraderError(name, 'pairwise compares variants after the run (runPairwise); it cannot grade one case');
      },
    };
  },
});

export default pairwise;
