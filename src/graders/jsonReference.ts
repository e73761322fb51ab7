import { GraderError } from '../errors.js';
import type { GradeContext, GraderEnv } from '../types.js';
import { firstDifference } from './jsonDiff.js';
import { textTemplate } from './reference.js';

/**
 * A JSON value to compare an output against. When it came from text (a rendered `value`, or a
 * string `expected` such as a CSV cell), `text` keeps that text: the text is parsed as JSON when
 * it parses, and an actual string equal to the text also matches, so `value: "billing"` matches
 * the JSON string "billing" and `value: "3"` matches both 3 and "3".
 */
export interface JsonReference {
  value: unknown;
  text?: string;
}

export function jsonReferenceFromText(text: string): JsonReference {
  try {
    return { value: JSON.parse(text), text };
  } catch {
    return { value: text, text };
  }
}

/** Why `actual` does not match the reference, or undefined when it matches. */
export function jsonMismatch(reference: JsonReference, actual: unknown): string | undefined {
  if (reference.text !== undefined && actual === reference.text) return undefined;
  return firstDifference(reference.value, actual);
}

/**
 * The reference of one case: a string `value` is a Liquid template whose rendering is read as
 * above; any other `value` (a YAML number, list or mapping) is the literal reference; without
 * `value`, the row's `expected` (a string read as above, anything else as is).
 */
export function jsonReferenceSource(value: unknown, env: GraderEnv, grader: string): (ctx: GradeContext) => JsonReference {
  if (typeof value === 'string') {
    const render = textTemplate(value, env, grader, 'value');
    return (ctx) => jsonReferenceFromText(render(ctx));
  }
  if (value !== undefined) {
    const literal: JsonReference = { value };
    return () => literal;
  }
  return (ctx) => {
    const expected = ctx.row.expected;
    if (expected === undefined) {
      throw new GraderError(grader, `no reference for case ${ctx.row.id}: the grader has no \`value\` and the row has no \`expected\``);
    }
    return typeof expected === 'string' ? jsonReferenceFromText(expected) : { value: expected };
  };
}
