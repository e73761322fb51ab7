import type { GraderConfig, GraderFactory } from '../types.js';
import { graderName } from './name.js';
import { textReference } from './reference.js';
import { templateProblems } from './templateCheck.js';
import { quote, textNormalizer, textOptionsSchema, type TextOptions } from './text.js';

interface ExactOptions extends GraderConfig, TextOptions {
  value?: string;
}

/** The output equals the reference, after trimming (default) and case folding (ignoreCase). */
const exact: GraderFactory = {
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
  validate: (options) => templateProblems([['value', options['value']]]),
  create(config, env) {
    const options = config as ExactOptions;
    const name = graderName(config);
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
};

export default exact;
