import { graderName } from './name.js';
import { textListReference } from './reference.js';
import { templateProblems } from './templateCheck.js';
import { quote, textNormalizer, textOptionsSchema } from './text.js';
import { defineGrader } from './define.js';
import { expectedUnlessSet } from './needsExpected.js';


/** The output equals one of the allowed texts: `values`, or the row's `expected` list. */
const oneOf = defineGrader({
  type: 'one-of',
  description: "The output equals one of `values` (Liquid templates) or of the row's `expected` list.",
  optionsSchema: {
    type: 'object',
    properties: {
      values: {
        type: 'array',
        items: { type: 'string' },
        minItems: 1,
        description: "Allowed texts, each a Liquid template; default: the row's `expected` (a list, or one text).",
      },
      ...textOptionsSchema,
    },
    additionalProperties: false,
  },
  needsExpected: expectedUnlessSet(['values']),
  validate(options) {
    const values = options.values ?? [];
    return templateProblems(values.map((v, i): [string, unknown] => [`values[${i}]`, v]));
  },
  create(options, env) {
    const name = graderName(options);
    const allowed = textListReference(options.values, env, name);
    const normalize = textNormalizer(options);
    return {
      name,
      grade(ctx) {
        const choices = allowed(ctx);
        const output = normalize(ctx.output);
        const hit = choices.find((c) => normalize(c) === output);
        if (hit !== undefined) return { pass: true, score: 1, reason: `equals ${quote(hit)}` };
        return { pass: false, score: 0, reason: `${quote(ctx.output)} is not one of ${choices.map((c) => quote(c, 40)).join(', ')}` };
      },
    };
  },
});

export default oneOf;
