import { ConfigError, GraderError } from '../errors.js';
import type { GradeContext } from '../types.js';
import { graderName } from './name.js';
import { isTemplate, textTemplate } from './reference.js';
import { templateProblems } from './templateCheck.js';
import { execWithTimeLimit, type TimedMatch } from './timedRegex.js';
import { quote, textOptionsSchema } from './text.js';
import { defineGrader, type OptionsOf } from './define.js';


/**
 * `g` and `y` make RegExp.test() stateful (it resumes from lastIndex), so the same output could
 * pass on one case and fail on the next: they are refused rather than silently dropped.
 */
const ALLOWED_FLAGS = /^[dimsuv]*$/;

/** Distinct rendered patterns kept compiled when `pattern` is a template; bounded for 100k-case runs. */
const MAX_COMPILED_PATTERNS = 1000;

function effectiveFlags(options: RegexOptions): string {
  const flags = options.flags ?? '';
  return options.ignoreCase && !flags.includes('i') ? `${flags}i` : flags;
}

function compileError(pattern: string, flags: string): string | undefined {
  try {
    new RegExp(pattern, flags);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

const regexOptionsSchema = {
  type: 'object',
  properties: {
    pattern: { type: 'string', minLength: 1, description: 'JavaScript regular expression, without slashes; may be a Liquid template.' },
    flags: { type: 'string', description: 'RegExp flags: any of d, i, m, s, u, v (g and y are refused: they make matching stateful).' },
    ...textOptionsSchema,
  },
  required: ['pattern'],
  additionalProperties: false,
} as const;

type RegexOptions = OptionsOf<typeof regexOptionsSchema>;

/** The (trimmed, by default) output matches `pattern`. A constant pattern is compiled once at create. */
const regex = defineGrader({
  type: 'regex',
  description: 'The output matches the regular expression `pattern` (JavaScript syntax).',
  optionsSchema: regexOptionsSchema,
  validate(options) {
    const flags = options.flags ?? '';
    if (!ALLOWED_FLAGS.test(flags)) return [{ field: 'flags', message: `\`flags\` may hold d, i, m, s, u, v (got ${JSON.stringify(flags)})` }];
    if (isTemplate(options.pattern)) return templateProblems([['pattern', options.pattern]]);
    const error = compileError(options.pattern, effectiveFlags(options));
    return error ? [{ field: 'pattern', message: `\`pattern\` is not a valid regular expression: ${error}` }] : [];
  },
  create(options, env) {
    const name = graderName(options);
    const flags = effectiveFlags(options);
    const trim = options.trim ?? true;
    let compiled: (ctx: GradeContext) => RegExp;
    if (isTemplate(options.pattern)) {
      const render = textTemplate(options.pattern, env, name, 'pattern');
      const cache = new Map<string, RegExp>();
      compiled = (ctx) => {
        const source = render(ctx);
        let re = cache.get(source);
        if (!re) {
          const error = compileError(source, flags);
          if (error) throw new GraderError(name, `\`pattern\` rendered to ${quote(source)}, not a valid regular expression: ${error}`);
          re = new RegExp(source, flags);
          if (cache.size >= MAX_COMPILED_PATTERNS) cache.clear();
          cache.set(source, re);
        }
        return re;
      };
    } else {
      let re: RegExp;
      try {
        re = new RegExp(options.pattern, flags);
      } catch (err) {
        throw ConfigError.at(env.configDir, 0, `grader ${name}: \`pattern\` is not a valid regular expression: ${err instanceof Error ? err.message : String(err)}`);
      }
      compiled = () => re;
    }
    return {
      name,
      async grade(ctx) {
        const re = compiled(ctx);
        const text = trim ? ctx.output.trim() : ctx.output;
        let match: TimedMatch | null;
        try {
          match = await execWithTimeLimit(re, text);
        } catch (err) {
          throw new GraderError(name, err instanceof Error ? err.message : String(err));
        }
        if (match) return { pass: true, score: 1, reason: `matches ${re} at ${quote(match.text)}` };
        return { pass: false, score: 0, reason: `no match for ${re} in ${quote(text)}` };
      },
    };
  },
});

export default regex;
