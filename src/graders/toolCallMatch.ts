import type { ValidateFunction } from 'ajv';
import type { FromSchema } from 'json-schema-to-ts';
import { GraderError } from '../errors.js';
import type { GradeContext, GraderEnv, ToolCall } from '../types.js';
import { toolCallText } from '../util/toolCallText.js';
import { firstDifference } from './jsonDiff.js';
import { isTemplate, textTemplate } from './reference.js';
import { compileSchema, describeSchemaErrors } from './schemaSource.js';

/**
 * What the tool-call graders share: the expected calls of a case (from options, with Liquid, or
 * the row's `expected.toolCalls`), and whether one actual call matches one expected call.
 *
 * An expected call is `{ name, args?, fields? }`:
 *  - `args` compared with the call's arguments `exact`ly or as a `subset` (every given key, at
 *    any depth, present and equal; lists compared item by item). A string leaf holding Liquid is
 *    rendered per case and read as JSON when it parses (`"{{ vars.amount }}"` → 5), else as text.
 *  - `fields`: per argument path (`customer.email`), a JSON Schema (a mapping, checked with ajv)
 *    or a Liquid template whose rendering must equal the value (read as JSON when it parses).
 */

/** JSON Schema of `fields` (shared by tool-call and the expected calls of tool-calls). */
export const FIELDS_SCHEMA = {
  type: 'object',
  description: 'Per argument path (a.b.c): a JSON Schema the value must match, or a Liquid template it must equal.',
  additionalProperties: { anyOf: [{ type: 'string' }, { type: 'object' }] },
} as const;
/** JSON Schema of one expected call in options (shared by tool-call and tool-calls). */
export const EXPECTED_CALL_SCHEMA = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1 },
    args: { description: 'Expected arguments (a mapping; string leaves may be Liquid templates).' },
    fields: FIELDS_SCHEMA,
  },
  required: ['name'],
  additionalProperties: false,
} as const;
export const MATCH_SCHEMA = { enum: ['exact', 'subset'], description: 'How `args` are compared: exact (default: subset).' } as const;

/** How `args` are compared, as MATCH_SCHEMA describes it. */
export type ArgsMatch = FromSchema<typeof MATCH_SCHEMA>;
/** One expected call `{ name, args?, fields? }`, as EXPECTED_CALL_SCHEMA describes it. */
export type ExpectedCall = FromSchema<typeof EXPECTED_CALL_SCHEMA>;
type FieldChecks = NonNullable<ExpectedCall['fields']>;

/** A per-case check of one call, compiled once per grader. */
export type CallMatcher = (call: ToolCall, ctx: GradeContext) => string | undefined;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readJsonText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** `args` with its Liquid leaves rendered for this case. */
function renderArgs(value: unknown, ctx: GradeContext, env: GraderEnv, grader: string, path: string): unknown {
  if (typeof value === 'string') return isTemplate(value) ? readJsonText(textTemplate(value, env, grader, path)(ctx)) : value;
  if (Array.isArray(value)) return value.map((v, i) => renderArgs(v, ctx, env, grader, `${path}[${i}]`));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderArgs(v, ctx, env, grader, `${path}.${k}`)]));
  return value;
}

/** Where `actual` fails to contain `expected` (objects: the given keys; lists and values: equal), or undefined. */
export function subsetDifference(expected: unknown, actual: unknown, path = '$'): string | undefined {
  if (isObject(expected) && isObject(actual)) {
    for (const [key, value] of Object.entries(expected)) {
      const at = `${path}.${key}`;
      if (!Object.hasOwn(actual, key)) return `at ${at}: missing`;
      const diff = subsetDifference(value, actual[key], at);
      if (diff) return diff;
    }
    return undefined;
  }
  if (Array.isArray(expected) && Array.isArray(actual) && expected.length === actual.length) {
    for (let i = 0; i < expected.length; i++) {
      const diff = subsetDifference(expected[i], actual[i], `${path}[${i}]`);
      if (diff) return diff;
    }
    return undefined;
  }
  return firstDifference(expected, actual, path);
}

function valueAt(args: unknown, path: string): { found: boolean; value?: unknown } {
  let cur: unknown = args;
  for (const key of path.split('.')) {
    if (!isObject(cur) || !Object.hasOwn(cur, key)) return { found: false };
    cur = cur[key];
  }
  return { found: true, value: cur };
}

/** The check of one expected call: name, then arguments (they must parse), then args and fields. */
export function callMatcher(expected: ExpectedCall, match: ArgsMatch, env: GraderEnv, grader: string): CallMatcher {
  // Per field: its compiled JSON Schema, or the Liquid template its value must equal.
  const fieldChecks = Object.entries(expected.fields ?? {}).map(([field, spec]): [string, ValidateFunction | string] => [field, typeof spec === 'string' ? spec : compileSchema(spec)]);
  const nameOf = isTemplate(expected.name) ? textTemplate(expected.name, env, grader, 'name') : () => expected.name;
  return (call, ctx) => {
    const name = nameOf(ctx);
    if (call.name !== name) return `called ${call.name}, not ${name}`;
    if (expected.args === undefined && !expected.fields) return undefined;
    if (call.arguments === undefined) return `${toolCallText(call, 80)}: the arguments are not valid JSON`;
    if (expected.args !== undefined) {
      const want = renderArgs(expected.args, ctx, env, grader, 'args');
      const diff = match === 'exact' ? firstDifference(want, call.arguments) : subsetDifference(want, call.arguments);
      if (diff) return `${name} arguments ${diff.replace(/^at \$/, 'at args')}`;
    }
    for (const [field, check] of fieldChecks) {
      const at = valueAt(call.arguments, field);
      if (!at.found) return `${name} argument ${field} is missing`;
      if (typeof check !== 'string') {
        if (!check(at.value)) return `${name} argument ${field} = ${JSON.stringify(at.value)}: ${describeSchemaErrors(check.errors, 1).replace(/^\$ /, '')}`;
        continue;
      }
      const text = textTemplate(check, env, grader, `fields.${field}`)(ctx);
      if (at.value !== text && firstDifference(readJsonText(text), at.value) !== undefined) {
        return `${name} argument ${field}: expected ${JSON.stringify(readJsonText(text))}, got ${JSON.stringify(at.value)}`;
      }
    }
    return undefined;
  };
}

/** A row's `fields`: a mapping is a JSON Schema, anything else the text it must equal (as a template). */
function fieldChecksOfRow(fields: Record<string, unknown>): FieldChecks {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, isObject(v) || typeof v === 'string' ? v : String(v)]));
}

/**
 * The row's `expected.toolCalls` as expected calls (`arguments` or `args` for the arguments),
 * or a GraderError saying what to give.
 */
export function expectedCallsOfRow(ctx: GradeContext, grader: string): ExpectedCall[] {
  const expected = ctx.row.expected;
  const list = isObject(expected) ? expected['toolCalls'] : undefined;
  if (!Array.isArray(list)) {
    throw new GraderError(grader, `no expected tool calls for case ${ctx.row.id}: give the grader's options, or the row \`expected: { toolCalls: [{ name, arguments }] }\``);
  }
  return list.map((item: unknown, i) => {
    if (!isObject(item) || typeof item['name'] !== 'string') throw new GraderError(grader, `the row's expected.toolCalls[${i}] of case ${ctx.row.id} has no "name"`);
    const args = item['arguments'] ?? item['args'];
    const fields = item['fields'];
    return {
      name: item['name'],
      ...(args !== undefined ? { args } : {}),
      ...(isObject(fields) ? { fields: fieldChecksOfRow(fields) } : {}),
    };
  });
}
