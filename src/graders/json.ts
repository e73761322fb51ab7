import { extractJson } from './extractJson.js';
import { jsonMismatch, jsonReferenceSource } from './jsonReference.js';
import { graderName } from './name.js';
import { templateProblems } from './templateCheck.js';
import { defineGrader } from './define.js';


/**
 * The output is JSON (a fenced code block is unwrapped first). With `value`, or with
 * `equals: true` and the row's `expected`, the parsed JSON must also equal the reference
 * (object key order ignored); the reason names the first differing path.
 */
const json = defineGrader({
  type: 'json',
  description: 'The output parses as JSON (a ```json fence is unwrapped); optionally equals `value` or the row\'s `expected`.',
  optionsSchema: {
    type: 'object',
    properties: {
      value: {
        description:
          'The JSON the output must equal: a Liquid template whose result is parsed as JSON (or compared as a string), or a literal YAML value.',
      },
      equals: { type: 'boolean', default: false, description: "Also compare with the row's `expected` (implied by `value`)." },
    },
    additionalProperties: false,
  },
  needsExpected: (options) =>
    options.equals === true && options.value === undefined
      ? `grader ${graderName(options)} has \`equals: true\` and no \`value\`, so it compares the output with the row's \`expected\``
      : undefined,
  validate(options) {
    if (options.equals === false && options.value !== undefined) {
      return [{ field: 'equals', message: '`equals: false` contradicts `value`: drop one of them' }];
    }
    return templateProblems([['value', options.value]]);
  },
  create(options, env) {
    const name = graderName(options);
    const compare = options.value !== undefined || options.equals === true;
    const reference = compare ? jsonReferenceSource(options.value, env, name) : undefined;
    return {
      name,
      grade(ctx) {
        const parsed = extractJson(ctx.output);
        if (!parsed.ok) return { pass: false, score: 0, reason: parsed.error };
        const where = parsed.fenced ? 'valid JSON (in a code block)' : 'valid JSON';
        if (!reference) return { pass: true, score: 1, reason: where };
        const mismatch = jsonMismatch(reference(ctx), parsed.value);
        if (mismatch) return { pass: false, score: 0, reason: `${where} but not equal: ${mismatch}` };
        return { pass: true, score: 1, reason: `${where}, equal to the reference` };
      },
    };
  },
});

export default json;
