import { GraderError } from '../errors.js';
import type { GradeContext, ToolCall } from '../types.js';
import { toolCallsText } from '../util/toolCallText.js';
import { defineGrader } from './define.js';
import { graderName } from './name.js';
import { textTemplate } from './reference.js';
import { templateProblems } from './templateCheck.js';
import { EXPECTED_CALL_SCHEMA, MATCH_SCHEMA, callMatcher, expectedCallsOfRow, type ArgsMatch, type CallMatcher, type ExpectedCall } from './toolCallMatch.js';

/** Pairs each actual call with at most one expected call it matches: the most pairs (`order: any`). */
function maxMatching(ok: boolean[][]): number {
  const owner: number[] = new Array<number>(ok[0]?.length ?? 0).fill(-1);
  const tryAssign = (e: number, seen: boolean[]): boolean => {
    for (let a = 0; a < owner.length; a++) {
      if (!ok[e]![a] || seen[a]) continue;
      seen[a] = true;
      if (owner[a] === -1 || tryAssign(owner[a]!, seen)) {
        owner[a] = e;
        return true;
      }
    }
    return false;
  };
  let pairs = 0;
  for (let e = 0; e < ok.length; e++) if (tryAssign(e, new Array<boolean>(owner.length).fill(false))) pairs++;
  return pairs;
}

/** The longest run of expected calls matched in order by actual calls, gaps allowed (`order: strict`). */
function longestInOrder(ok: boolean[][]): number {
  const n = ok.length;
  const m = ok[0]?.length ?? 0;
  const dp = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let e = 1; e <= n; e++) {
    for (let a = 1; a <= m; a++) dp[e]![a] = ok[e - 1]![a - 1] ? dp[e - 1]![a - 1]! + 1 : Math.max(dp[e - 1]![a]!, dp[e]![a - 1]!);
  }
  return dp[n]![m]!;
}

/**
 * `tool-calls`: the calls made against an expected set (`order: any`) or sequence (`order:
 * strict`). Matched calls: the most pairs of (expected, actual) that match, each used once; in
 * strict order, the longest in-order run. precision = matched / made, recall = matched /
 * expected, score = F1 (1 when none were expected and none made); passes at `threshold` (default 1).
 */
const toolCalls = defineGrader({
  type: 'tool-calls',
  description: 'The tool calls made match an expected set or sequence (`order: any|strict`); score = F1 of precision and recall.',
  optionsSchema: {
    type: 'object',
    properties: {
      calls: {
        description: "Expected calls [{ name, args?, fields? }], or a Liquid template rendering that list as JSON; default: the row's expected.toolCalls.",
        anyOf: [{ type: 'array', items: EXPECTED_CALL_SCHEMA }, { type: 'string', minLength: 1 }],
      },
      order: { enum: ['any', 'strict'], description: 'any (default): a set; strict: this sequence.' },
      match: MATCH_SCHEMA,
      threshold: { type: 'number', minimum: 0, maximum: 1, description: 'Lowest F1 that passes (default 1).' },
    },
    additionalProperties: false,
  },
  validate(o) {
    return templateProblems([['calls', typeof o.calls === 'string' ? o.calls : undefined]]);
  },
  create(o, env) {
    const name = graderName(o);
    const match: ArgsMatch = o.match ?? 'subset';
    const strict = o.order === 'strict';
    const threshold = o.threshold ?? 1;
    const listed = Array.isArray(o.calls) ? o.calls.map((c) => callMatcher(c, match, env, name)) : undefined;
    const template = typeof o.calls === 'string' ? textTemplate(o.calls, env, name, 'calls') : undefined;
    const expectedOf = (ctx: GradeContext): { matchers: CallMatcher[]; names: string[] } => {
      if (listed && Array.isArray(o.calls)) return { matchers: listed, names: o.calls.map((c) => c.name) };
      let calls: ExpectedCall[];
      if (template) {
        const text = template(ctx);
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          throw new GraderError(name, `\`calls\` rendered to ${JSON.stringify(text.slice(0, 80))}, not a JSON list of { name, args }`);
        }
        if (!Array.isArray(parsed)) throw new GraderError(name, '`calls` must render to a JSON list of { name, args }');
        calls = expectedCallsOfRow({ ...ctx, row: { ...ctx.row, expected: { toolCalls: parsed } } }, name);
      } else calls = expectedCallsOfRow(ctx, name);
      return { matchers: calls.map((c) => callMatcher(c, match, env, name)), names: calls.map((c) => c.name) };
    };
    return {
      name,
      grade(ctx) {
        const made: ToolCall[] = ctx.toolCalls ?? [];
        const { matchers, names } = expectedOf(ctx);
        const ok = matchers.map((m) => made.map((call) => m(call, ctx) === undefined));
        const matched = matchers.length === 0 || made.length === 0 ? 0 : strict ? longestInOrder(ok) : maxMatching(ok);
        const precision = made.length === 0 ? (matchers.length === 0 ? 1 : 0) : matched / made.length;
        const recall = matchers.length === 0 ? (made.length === 0 ? 1 : 0) : matched / matchers.length;
        const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
        const score = Math.round(f1 * 10000) / 10000;
        const details = { precision, recall, f1: score, matched, expected: names, made: made.map((c) => c.name), order: strict ? 'strict' : 'any' };
        const summary = `${matched} of ${matchers.length} expected call${matchers.length === 1 ? '' : 's'} matched${strict ? ' in order' : ''}, ${made.length} made (precision ${precision.toFixed(2)}, recall ${recall.toFixed(2)}, F1 ${score.toFixed(2)})`;
        const pass = score >= threshold;
        const reason = pass ? summary : `${summary}; expected ${names.join(', ') || '(none)'}, made ${toolCallsText(made, 60)}`;
        return { pass, score, reason, details };
      },
    };
  },
});

export default toolCalls;
