import type { OptionsOfProperties } from './define.js';
/** Text handling shared by the string graders: the ignoreCase / trim options and quoting in reasons. */

/** JSON Schema fragments for the two options, so every string grader documents them the same way. */
export const textOptionsSchema = {
  ignoreCase: { type: 'boolean', default: false, description: 'Compare case-insensitively.' },
  trim: { type: 'boolean', default: true, description: 'Trim surrounding whitespace of the output and the reference before comparing.' },
} as const;

/** `ignoreCase` (default false) and `trim` (default true), as textOptionsSchema describes them. */
export type TextOptions = OptionsOfProperties<typeof textOptionsSchema>;

/** Returns the function that puts a text into comparable form, decided once per grader. */
export function textNormalizer(opts: TextOptions): (text: string) => string {
  const trim = opts.trim ?? true;
  const lower = opts.ignoreCase ?? false;
  if (trim && lower) return (t) => t.trim().toLowerCase();
  if (trim) return (t) => t.trim();
  if (lower) return (t) => t.toLowerCase();
  return (t) => t;
}

const PREVIEW_CHARS = 80;

/**
 * A text quoted for a reason line, cut to a readable length: reasons end up in terminals and
 * reports for every case, and a 10 kB model output would drown them.
 */
export function quote(text: string, max = PREVIEW_CHARS): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(cut);
}

/** Names a value's JSON kind for messages: "an object", "an array", "null", "a number"... */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const type = typeof value;
  return `${type === 'undefined' ? 'an' : 'a'} ${type}`;
}

/** Quoted passages: "…", “…”, «…», „…“ (not apostrophes or backticks: code is not a quotation). */
const QUOTED = /"[^"\n]{1,200}"|\u201c[^\u201c\u201d\n]{1,200}\u201d|«[^»\n]{1,200}»|„[^"\u201c\u201d\n]{1,200}["\u201c\u201d]/g;

/**
 * The text with every quoted passage replaced by spaces of the same length (offsets stay valid):
 * a reply that quotes "I can't help" or the attack's "ACTION: transfer_funds" is talking about
 * it, not saying it.
 */
export function blankQuoted(text: string): string {
  return text.replace(QUOTED, (q) => ' '.repeat(q.length));
}
