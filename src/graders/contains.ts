import { GraderError } from '../errors.js';
import type { GradeContext, GraderEnv } from '../types.js';
import { graderName } from './name.js';
import { textListReference, textTemplate } from './reference.js';
import { templateProblems } from './templateCheck.js';
import { quote, textNormalizer, textOptionsSchema } from './text.js';
import { compactForMatching } from './normalizeText.js';
import { pushAll } from '../util/arrays.js';
import { defineGrader, type OptionsOfProperties } from './define.js';
import { expectedUnlessSet } from './needsExpected.js';

/** Options shared by `contains` and `not-contains`: one needle or a list, each a template. */
export const needleOptionsSchema = {
  value: { type: 'string', minLength: 1, description: "Liquid template of the text to look for; default: the row's `expected` (a text or a list of texts)." },
  values: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, description: 'Several texts to look for, each a Liquid template.' },
  ...textOptionsSchema,
  normalize: {
    type: 'boolean',
    default: false,
    description:
      'Match obfuscated text too: decode URL, HTML-entity and JSON escapes, strip tags, fold full-width, look-alike and accented letters, ignore case, spaces and punctuation ("ACTION:transfer_funds(" matches "ACTION: transfer_funds", "P-W-N-E-D" matches "PWNED").',
  },
} as const;

/** The options `contains` and `not-contains` share, as needleOptionsSchema describes them. */
export type NeedleOptions = OptionsOfProperties<typeof needleOptionsSchema>;

/** How output and needles are put in comparable form: `normalize` wins over ignoreCase / trim. */
export function needleNormalizer(options: NeedleOptions): (text: string) => string {
  return options.normalize ? compactForMatching : textNormalizer(options);
}

export function validateNeedles(options: NeedleOptions): Array<{ field?: string; message: string }> {
  const problems: Array<{ field?: string; message: string }> = [];
  if (options.value !== undefined && options.values !== undefined) {
    problems.push({ field: 'values', message: 'set either `value` (one text) or `values` (a list), not both' });
  }
  const values = options.values ?? [];
  pushAll(problems, templateProblems([['value', options.value], ...values.map((v, i): [string, unknown] => [`values[${i}]`, v])]));
  return problems;
}

export interface Needle {
  /** As written or rendered, for reasons. */
  text: string;
  /** Normalised, for the search. */
  normalized: string;
}

/**
 * The needles of one case. An empty needle is an error, not a match: every text contains "", so
 * a template that rendered to nothing would otherwise pass `contains` silently.
 */
export function needleSource(options: NeedleOptions, env: GraderEnv, name: string): (ctx: GradeContext) => Needle[] {
  const normalize = needleNormalizer(options);
  let texts: (ctx: GradeContext) => string[];
  if (options.value !== undefined) {
    const one = textTemplate(options.value, env, name, 'value');
    texts = (ctx) => [one(ctx)];
  } else {
    texts = textListReference(options.values, env, name);
  }
  return (ctx) => {
    const needles = texts(ctx).map((text) => ({ text, normalized: normalize(text) }));
    if (needles.length === 0) throw new GraderError(name, `nothing to look for in case ${ctx.row.id}: the list is empty`);
    if (needles.some((n) => n.normalized === '')) throw new GraderError(name, `empty text to look for in case ${ctx.row.id}; every output contains ""`);
    return needles;
  };
}

export function quoteAll(needles: Needle[]): string {
  return needles.map((n) => quote(n.text)).join(', ');
}

/**
 * The output contains the needle(s). With a list, `mode: all` (default) needs every one and
 * scores the fraction found; `mode: any` needs one and scores 1 or 0.
 */
const contains = defineGrader({
  type: 'contains',
  description: "The output contains `value` / `values` (Liquid templates) or the row's `expected`.",
  optionsSchema: {
    type: 'object',
    properties: {
      ...needleOptionsSchema,
      mode: { enum: ['all', 'any'], default: 'all', description: 'With several texts: all must appear, or any one.' },
    },
    additionalProperties: false,
  },
  needsExpected: expectedUnlessSet(['value', 'values']),
  validate: validateNeedles,
  create(options, env) {
    const name = graderName(options);
    const needles = needleSource(options, env, name);
    const normalize = needleNormalizer(options);
    const mode = options.mode ?? 'all';
    return {
      name,
      grade(ctx) {
        const wanted = needles(ctx);
        const haystack = normalize(ctx.output);
        const found = wanted.filter((n) => haystack.includes(n.normalized));
        const missing = wanted.filter((n) => !haystack.includes(n.normalized));
        if (mode === 'any') {
          return found.length > 0
            ? { pass: true, score: 1, reason: `contains ${quoteAll(found.slice(0, 1))}` }
            : { pass: false, score: 0, reason: `contains none of ${quoteAll(wanted)}` };
        }
        const score = found.length / wanted.length;
        if (missing.length === 0) return { pass: true, score, reason: `contains ${quoteAll(wanted)}` };
        return { pass: false, score, reason: `missing ${quoteAll(missing)} (${found.length}/${wanted.length} found)` };
      },
    };
  },
});

export default contains;
