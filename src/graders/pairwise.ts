import { GraderError } from '../errors.js';
import type { GraderFactory } from '../types.js';
import { graderName } from './name.js';
import { judgeBaseProblems, judgeBaseSchema } from './judge/options.js';
import type { PairwiseOptions } from './judge/pairwise/run.js';

/**
 * `pairwise`: an LLM judge compares two variants' outputs for the same case, in both orders; a
 * variant wins a case only when both orders pick it, otherwise the case is a tie. It needs both
 * outputs, so it does not grade cases one by one: the runner calls runPairwise() over
 * results.jsonl after the cases ran, and report.json gets `suites[i].pairwise` (win/tie/loss
 * rates per pair and how often the two orders disagreed). See docs/judges.md.
 */
const pairwise: GraderFactory = {
  type: 'pairwise',
  description: 'An LLM judge compares two variants’ outputs case by case, in both orders; reports win/tie/loss rates and position bias per pair.',
  perCase: false,
  optionsSchema: {
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
  },
  validate(config, ctx) {
    const options = config as PairwiseOptions;
    const problems = judgeBaseProblems(options, ctx);
    if (options.variants && options.variants[0] === options.variants[1]) {
      problems.push({ field: 'variants', message: `compare two different variants, not "${options.variants[0]}" with itself` });
    }
    return problems;
  },
  create(config) {
    // Only reached when a runner ignores `perCase: false`: fail every case loudly rather than
    // record a grade that means nothing.
    const name = graderName(config);
    return {
      name,
      grade() {
        throw new GraderError(name, 'pairwise compares variants after the run (runPairwise); it cannot grade one case');
      },
    };
  },
};

export default pairwise;
