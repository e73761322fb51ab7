import { needleNormalizer, needleOptionsSchema, needleSource, quoteAll, validateNeedles } from './contains.js';
import { graderName } from './name.js';
import { blankQuoted } from './text.js';
import { defineGrader } from './define.js';
import { expectedUnlessSet } from './needsExpected.js';

/**
 * The output contains none of the texts. Scores the fraction of texts absent, so a reply that
 * leaks one forbidden phrase of four scores 0.75 but still fails.
 */
const notContains = defineGrader({
  type: 'not-contains',
  description: "The output contains none of `value` / `values` (Liquid templates) or the row's `expected`.",
  optionsSchema: {
    type: 'object',
    properties: {
      ...needleOptionsSchema,
      ignoreQuoted: {
        type: 'boolean',
        default: false,
        description: 'Ignore occurrences inside quotation marks ("…", “…”, «…»): a reply that quotes the forbidden text to refuse it has not said it.',
      },
    },
    additionalProperties: false,
  },
  needsExpected: expectedUnlessSet(['value', 'values']),
  validate: validateNeedles,
  create(options, env) {
    const name = graderName(options);
    const needles = needleSource(options, env, name);
    const normalize = needleNormalizer(options);
    return {
      name,
      grade(ctx) {
        const forbidden = needles(ctx);
        const haystack = normalize(options.ignoreQuoted ? blankQuoted(ctx.output) : ctx.output);
        const present = forbidden.filter((n) => haystack.includes(n.normalized));
        const score = 1 - present.length / forbidden.length;
        if (present.length === 0) return { pass: true, score, reason: `contains none of ${quoteAll(forbidden)}` };
        return { pass: false, score, reason: `contains ${quoteAll(present)}` };
      },
    };
  },
});

export default notContains;
