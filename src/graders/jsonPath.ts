import { JSONPath } from 'jsonpath-plus';
import { extractJson } from './extractJson.js';
import { jsonMismatch, jsonReferenceSource } from './jsonReference.js';
import { graderName } from './name.js';
import { templateProblems } from './templateCheck.js';
import { defineGrader } from './define.js';
import { expectedUnlessSet } from './needsExpected.js';


/**
 * Whether a path names at most one node. Following Jayway's JsonPath, a definite path's match is
 * compared as a single value, and an indefinite one (wildcard, recursive descent, filter, slice,
 * union) as the list of its matches, however many there are: the shape of the comparison never
 * depends on how many nodes the output happens to have.
 */
export function isDefinitePath(path: string): boolean {
  return JSONPath.toPathArray(path).every((seg) => seg !== '*' && seg !== '..' && !/^[?(]/.test(seg) && !/[:,]/.test(seg) && !seg.startsWith('@'));
}

const CLOSER: Record<string, string> = { '[': ']', '(': ')' };

/**
 * What is wrong with a JSONPath, or undefined. jsonpath-plus reads `$.a[` as `$.a` and `$.a]`
 * as a property named `$.a`, so a typo would grade every case against the wrong node: brackets,
 * parentheses and quotes must balance, and the path must not end on a bare `.`.
 */
export function jsonPathProblem(path: string): string | undefined {
  const open: string[] = [];
  let quote: string | null = null;
  for (let i = 0; i < path.length; i++) {
    const ch = path[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '[' || ch === '(') open.push(ch);
    else if (ch === ']' || ch === ')') {
      const last = open.pop();
      if (last === undefined || CLOSER[last] !== ch) return `unexpected \`${ch}\` at character ${i + 1}`;
    }
  }
  if (quote) return `unclosed quote ${quote}`;
  if (open.length) return `unclosed \`${open.at(-1)}\``;
  if (/[^.]\.$|^\$\.$/.test(path)) return 'ends with `.`: name a field after it';
  try {
    JSONPath({ path, json: {}, wrap: true, eval: 'safe' });
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  return undefined;
}

/** A value at a JSONPath in the output's JSON equals `value` (a template) or the row's `expected`. */
const jsonPath = defineGrader({
  type: 'json-path',
  description: "The value at JSONPath `path` in the output's JSON equals `value` or the row's `expected`.",
  optionsSchema: {
    type: 'object',
    properties: {
      path: { type: 'string', minLength: 1, description: 'JSONPath, e.g. $.category or $.items[*].sku (a list of matches).' },
      value: {
        description:
          "The expected value: a Liquid template whose result is parsed as JSON (or compared as a string), or a literal YAML value; default: the row's `expected`.",
      },
    },
    required: ['path'],
    additionalProperties: false,
  },
  needsExpected: expectedUnlessSet(['value']),
  validate(options) {
    const problems = templateProblems([['value', options.value]]);
    const p = options.path;
    if (typeof p === 'string' && !p.startsWith('$')) {
      problems.push({ field: 'path', message: `\`path\` must start at the root, e.g. "$.${p.replace(/^\.+/, '')}"` });
    } else if (typeof p === 'string') {
      const problem = jsonPathProblem(p);
      if (problem) problems.push({ field: 'path', message: `\`path\` ${JSON.stringify(p)} is not a valid JSONPath: ${problem}` });
    }
    return problems;
  },
  create(options, env) {
    const name = graderName(options);
    const definite = isDefinitePath(options.path);
    const reference = jsonReferenceSource(options.value, env, name);
    return {
      name,
      grade(ctx) {
        const parsed = extractJson(ctx.output);
        if (!parsed.ok) return { pass: false, score: 0, reason: parsed.error };
        // eval 'safe': filter expressions run in jsonpath-plus's own interpreter, never eval();
        // ignoreEvalErrors: a filter that meets a node without the field skips it.
        const matches = JSONPath({ path: options.path, json: parsed.value as object, wrap: true, eval: 'safe', ignoreEvalErrors: true }) as unknown[];
        if (definite && matches.length === 0) return { pass: false, score: 0, reason: `${options.path} not found in the output` };
        const actual = definite ? matches[0] : matches;
        const mismatch = jsonMismatch(reference(ctx), actual);
        if (mismatch) return { pass: false, score: 0, reason: mismatch.replace(/^at \$/, `at ${options.path}`) };
        return { pass: true, score: 1, reason: `${options.path} equals ${JSON.stringify(actual)?.slice(0, 80)}` };
      },
    };
  },
});

export default jsonPath;
