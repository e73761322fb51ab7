import type { GradeContext } from '../types.js';
import { toolCallsText } from '../util/toolCallText.js';
import { defineGrader } from './define.js';
import { graderName } from './name.js';
import { templateProblems } from './templateCheck.js';
import { schemaCompileError } from './schemaSource.js';
import { FIELDS_SCHEMA, MATCH_SCHEMA, callMatcher, expectedCallsOfRow, type ArgsMatch, type CallMatcher, type ExpectedCall } from './toolCallMatch.js';

function rowHasCalls(ctx: GradeContext): boolean {
  const e = ctx.row.expected;
  return typeof e === 'object' && e !== null && Array.isArray((e as Record<string, unknown>)['toolCalls']);
}

/**
 * `tool-call`: the model called `tool` (some call, in any position) with matching arguments, and
 * none of the `never` tools. Without `tool`, the expected call is the row's first
 * `expected.toolCalls` entry; a row without one, with `never` given, checks only `never`.
 */
const toolCall = defineGrader({
  type: 'tool-call',
  description: 'The model called `tool` with matching arguments (exact, subset, or per field by JSON Schema / Liquid), and no `never` tool.',
  optionsSchema: {
    type: 'object',
    properties: {
      tool: { type: 'string', minLength: 1, description: "Expected tool name (Liquid allowed); default: the row's expected.toolCalls[0]." },
      args: { description: 'Expected arguments: a mapping (string leaves may be Liquid) or a Liquid template rendering JSON.' },
      match: MATCH_SCHEMA,
      fields: FIELDS_SCHEMA,
      never: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, description: 'Tools that must not be called.' },
    },
    additionalProperties: false,
  },
  validate(o) {
    const problems = templateProblems([
      ['tool', o.tool],
      ['args', typeof o.args === 'string' ? o.args : undefined],
      ...Object.entries(o.fields ?? {}).map(([k, v]): [string, unknown] => [`fields.${k}`, v]),
    ]);
    for (const [k, v] of Object.entries(o.fields ?? {})) {
      const error = typeof v === 'string' ? undefined : schemaCompileError(v);
      if (error) problems.push({ field: `fields.${k}`, message: `\`fields.${k}\` is not a valid JSON Schema: ${error}` });
    }
    if (o.tool === undefined && (o.args !== undefined || o.fields !== undefined)) {
      problems.push({ field: 'tool', message: '`args` and `fields` need `tool`: name the tool whose arguments they check' });
    }
    return problems;
  },
  create(o, env) {
    const name = graderName(o);
    const match: ArgsMatch = o.match ?? 'subset';
    const never = new Set(o.never ?? []);
    let fromOptions: CallMatcher | undefined;
    if (o.tool !== undefined) {
      const expected: ExpectedCall = { name: o.tool, ...(o.args !== undefined ? { args: o.args } : {}), ...(o.fields !== undefined ? { fields: o.fields } : {}) };
      fromOptions = callMatcher(expected, match, env, name);
    }
    // Without `tool`: the row's first expected call; when the row gives none, `never` alone is checked.
    const matcherOf = (ctx: GradeContext): CallMatcher | undefined => {
      if (fromOptions) return fromOptions;
      if (never.size > 0 && !rowHasCalls(ctx)) return undefined;
      return callMatcher(expectedCallsOfRow(ctx, name)[0] ?? { name: '' }, match, env, name);
    };
    return {
      name,
      grade(ctx) {
        const calls = ctx.toolCalls ?? [];
        const forbidden = calls.filter((c) => never.has(c.name));
        const details: Record<string, unknown> = { calls: calls.map((c) => c.name) };
        if (forbidden.length > 0) {
          return { pass: false, score: 0, reason: `called ${[...new Set(forbidden.map((c) => c.name))].join(', ')}, which must never be called: ${toolCallsText(forbidden, 80)}`, details };
        }
        const matcher = matcherOf(ctx);
        if (!matcher) return { pass: true, score: 1, reason: calls.length ? `no forbidden tool among ${toolCallsText(calls, 40)}` : 'no tool called', details };
        if (calls.length === 0) return { pass: false, score: 0, reason: 'no tool was called', details };
        const misses: string[] = [];
        for (const [i, call] of calls.entries()) {
          const miss = matcher(call, ctx);
          if (miss === undefined) return { pass: true, score: 1, reason: `called ${toolCallsText([call], 120)}`, details: { ...details, matched: i } };
          misses.push(miss);
        }
        // The closest miss: one about arguments (the right tool) says more than a wrong name.
        const best = misses.find((m) => !m.startsWith('called ')) ?? `${misses[0]}; calls: ${toolCallsText(calls, 60)}`;
        return { pass: false, score: 0, reason: best, details };
      },
    };
  },
});

export default toolCall;
