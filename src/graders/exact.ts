import { defineGrader } from './define.js';
import { graderName } from './name.js';
import { expectedUnlessSet } from './needsExpected.js';
import { textReference } from './reference.js';
import { templateProblems } from './templateCheck.js';
import { quote, textNormalizer, textOptionsSchema } from './text.js';

/** The output equals the reference, after trimming (default) and case folding (ignoreCase). */
const exact = defineGrader({
  type: 'exact',
  description: "The output equals `value` (a Liquid template) or the row's `expected`.",
  optionsSchema: {
    type: 'object',
    properties: {
      value: { type: 'string', description: "Liquid template of the expected text; default: the row's `expected`." },
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
    return {
      name,
      grade(ctx) {
        const want = reference(ctx);
        if (normalize(ctx.output) === normalize(want)) return { pass: true, score: 1, reason: `equals ${quote(want)}` };
        return { pass: false, score: 0, reason: `expected ${quote(want)}, got ${quote(ctx.output)}` };
      },
    };
  },
});

export default exact;
