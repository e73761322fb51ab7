import { GraderError } from '../errors.js';
import type { GradeContext, GraderEnv } from '../types.js';
import { kindOf } from './text.js';

/**
 * A grader's reference for one case: its `value` option (a Liquid template rendered against the
 * case's scope) or, when `value` is absent, the row's `expected`.
 */
export type TextSource = (ctx: GradeContext) => string;

/** True when a string holds Liquid markup; plain strings are used as constants, never rendered. */
export function isTemplate(source: string): boolean {
  return source.includes('{{') || source.includes('{%');
}

/**
 * Compiles a template option once. A constant string costs nothing per case; a template is
 * rendered per case (the env caches its parse), and a render error (e.g. a variable the row does
 * not have) becomes a GraderError: the case is recorded as errored, never as a pass.
 */
export function textTemplate(source: string, env: GraderEnv, grader: string, option: string): TextSource {
  if (!isTemplate(source)) return () => source;
  return (ctx) => {
    try {
      return env.render(source, ctx.scope);
    } catch (err) {
      throw new GraderError(grader, `cannot render \`${option}\` (${JSON.stringify(source)}): ${err instanceof Error ? err.message : String(err)}`);
    }
  };
}

function noReference(grader: string, ctx: GradeContext): GraderError {
  return new GraderError(grader, `no reference for case ${ctx.row.id}: the grader has no \`value\` and the row has no \`expected\``);
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/**
 * The row's `expected` as text. Numbers and booleans are compared as they print (`42`, `true`);
 * an object or array cannot be compared as text, so it is an error that says how to pick a field.
 */
export function expectedText(grader: string, ctx: GradeContext): string {
  const expected = ctx.row.expected;
  if (expected === undefined || expected === null) throw noReference(grader, ctx);
  const text = scalarText(expected);
  if (text !== undefined) return text;
  throw new GraderError(
    grader,
    `the row's \`expected\` is ${kindOf(expected)}, not text: set \`value\` to the part to compare, e.g. value: "{{ expected.label }}"`,
  );
}

/** The row's `expected` as a list of texts: an array of scalars, or one scalar as a list of one. */
export function expectedTexts(grader: string, ctx: GradeContext): string[] {
  const expected = ctx.row.expected;
  if (expected === undefined || expected === null) throw noReference(grader, ctx);
  if (!Array.isArray(expected)) return [expectedText(grader, ctx)];
  return expected.map((item, i) => {
    const text = scalarText(item);
    if (text === undefined) throw new GraderError(grader, `the row's \`expected\`[${i}] is ${kindOf(item)}; a list of texts was expected`);
    return text;
  });
}

/** `value` rendered per case when given, else the row's `expected` as text. */
export function textReference(value: string | undefined, env: GraderEnv, grader: string): TextSource {
  if (value === undefined) return (ctx) => expectedText(grader, ctx);
  return textTemplate(value, env, grader, 'value');
}

/** `values` (each a template) when given, else the row's `expected` as a list of texts. */
export function textListReference(values: string[] | undefined, env: GraderEnv, grader: string): (ctx: GradeContext) => string[] {
  if (values === undefined) return (ctx) => expectedTexts(grader, ctx);
  const sources = values.map((v, i) => textTemplate(v, env, grader, `values[${i}]`));
  if (values.every((v) => !isTemplate(v))) {
    const constant = [...values];
    return () => constant;
  }
  return (ctx) => sources.map((s) => s(ctx));
}
