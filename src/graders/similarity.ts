import { distance } from 'fastest-levenshtein';
import { graderName } from './name.js';
import { textReference } from './reference.js';
import { templateProblems } from './templateCheck.js';
import { quote, textNormalizer, textOptionsSchema } from './text.js';
import { defineGrader } from './define.js';
import { expectedUnlessSet } from './needsExpected.js';


export const DEFAULT_SIMILARITY_THRESHOLD = 0.8;

/** 1 − Levenshtein distance / length of the longer text: 1 for equal texts (two empty texts included), 0 for nothing in common. */
export function similarityRatio(a: string, b: string): number {
  const longest = Math.max(a.length, b.length);
  if (longest === 0) return 1;
  return 1 - distance(a, b) / longest;
}

/** The output is close to the reference by normalised edit distance; the score is the similarity. */
const similarity = defineGrader({
  type: 'similarity',
  description: "Normalised edit-distance similarity to `value` or the row's `expected` is at least `threshold`.",
  optionsSchema: {
    type: 'object',
    properties: {
      value: { type: 'string', description: "Liquid template of the reference text; default: the row's `expected`." },
      threshold: { type: 'number', minimum: 0, maximum: 1, default: DEFAULT_SIMILARITY_THRESHOLD, description: 'Least similarity (0..1) that passes.' },
      ...textOptionsSchema,
    },
    additionalProperties: false,
  },
  needsExpected: expectedUnlessSet(['value']),
  validate: (options) => templateProblems([['value', options.value]]),
  create(options, env) {
    const name = graderName(options);
    const reference = textReference(options.value, env, name);
    const normalize = textNormalizer(options);
    const threshold = options.threshold ?? DEFAULT_SIMILARITY_THRESHOLD;
    return {
      name,
      grade(ctx) {
        const want = reference(ctx);
        const score = similarityRatio(normalize(ctx.output), normalize(want));
        const pass = score >= threshold;
        return { pass, score, reason: `similarity ${score.toFixed(3)} ${pass ? '≥' : '<'} ${threshold} to ${quote(want)}` };
      },
    };
  },
});

export default similarity;
