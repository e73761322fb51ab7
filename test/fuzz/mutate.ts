/**
 * Text mutations for the fuzz tests: start from a valid file and break it the ways editors,
 * merges and truncated writes do (deleted ranges, inserted syntax, swapped or duplicated lines,
 * a cut-off end), so most inputs are near-valid and reach deep into the loaders instead of
 * failing at the first byte.
 */
import fc from 'fast-check';
import { ConfigError, LlmEvalError } from '../../src/errors.js';
import { expect } from 'vitest';

/** Pieces of syntax that matter to YAML, JSON, CSV and Liquid, plus awkward characters. */
export const SYNTAX_PIECES = [
  ':', ': ', ' ', '\n', '  ', '- ', '{', '}', '[', ']', ',', '"', "'", '#', '&a ', '*a', '!!str ', '!!binary ', '!!map ', '!tag ',
  '|', '>', '%', '@', '`', '\t', '\r\n', '\r', '\\', '\u0000', '\ufeff', 'null', '~', '0x1F', '1e999', '-0', 'true', '<<: *a', '? ',
  '{{', '}}', '{%', '%}', '{{ x }}', '{% if x %}', '{% endif %}', '{% for i in xs %}', '{% endfor %}', '| upcase', '| nope',
  '---', '...', 'é', '😀', '\ud800', 'vars', 'expected', 'id', 'tags', 'messages', 'role', 'content', 'system', 'user',
  'models', 'suites', 'provider', 'model', 'variants', 'graders', 'type', 'value', 'dataset', 'prompt', 'repeat', 'gate',
];

const piece = fc.oneof(fc.constantFrom(...SYNTAX_PIECES), fc.string({ maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 4 }));

type Op =
  | { kind: 'delete'; at: number; len: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'replace'; at: number; len: number; text: string }
  | { kind: 'dupLine'; line: number }
  | { kind: 'dropLine'; line: number }
  | { kind: 'swapLines'; a: number; b: number }
  | { kind: 'truncate'; at: number };

const frac = fc.double({ min: 0, max: 1, noNaN: true });

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: frac, len: fc.integer({ min: 1, max: 30 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: frac, text: piece }),
  fc.record({ kind: fc.constant('replace' as const), at: frac, len: fc.integer({ min: 1, max: 8 }), text: piece }),
  fc.record({ kind: fc.constant('dupLine' as const), line: frac }),
  fc.record({ kind: fc.constant('dropLine' as const), line: frac }),
  fc.record({ kind: fc.constant('swapLines' as const), a: frac, b: frac }),
  fc.record({ kind: fc.constant('truncate' as const), at: frac }),
).map((o) => o as Op);

function pos(text: string, f: number): number {
  return Math.min(text.length, Math.floor(f * (text.length + 1)));
}

function apply(text: string, o: Op): string {
  const lines = (): string[] => text.split('\n');
  switch (o.kind) {
    case 'delete': {
      const at = pos(text, o.at);
      return text.slice(0, at) + text.slice(at + o.len);
    }
    case 'insert': {
      const at = pos(text, o.at);
      return text.slice(0, at) + o.text + text.slice(at);
    }
    case 'replace': {
      const at = pos(text, o.at);
      return text.slice(0, at) + o.text + text.slice(at + o.len);
    }
    case 'truncate':
      return text.slice(0, pos(text, o.at));
    case 'dupLine': {
      const ls = lines();
      const i = Math.min(ls.length - 1, Math.floor(o.line * ls.length));
      ls.splice(i, 0, ls[i]!);
      return ls.join('\n');
    }
    case 'dropLine': {
      const ls = lines();
      ls.splice(Math.min(ls.length - 1, Math.floor(o.line * ls.length)), 1);
      return ls.join('\n');
    }
    case 'swapLines': {
      const ls = lines();
      const a = Math.min(ls.length - 1, Math.floor(o.a * ls.length));
      const b = Math.min(ls.length - 1, Math.floor(o.b * ls.length));
      [ls[a], ls[b]] = [ls[b]!, ls[a]!];
      return ls.join('\n');
    }
  }
}

/** `base` after 1–6 random edits. */
export function mutated(base: string): fc.Arbitrary<string> {
  return fc.array(op, { minLength: 1, maxLength: 6 }).map((ops) => ops.reduce(apply, base));
}

/** Any of several bases, mutated; or, now and then, free text. */
export function mutatedOrRandom(bases: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...bases).chain(mutated), weight: 8 },
    { arbitrary: fc.array(piece, { maxLength: 30 }).map((ps) => ps.join('')), weight: 1 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 200 }), weight: 1 },
  );
}

/**
 * The contract every loader keeps on bad input: the error is a ConfigError whose every issue
 * names a file and a line ≥ 1 with a message. Line 0 (no place in a file) is accepted only where
 * the caller says so: a prompt reference's problem, which config loading re-locates at the line
 * of the reference. Anything else (a TypeError,
 * a parser's own exception) is a crash, and fails the property with the input that caused it.
 */
export function expectConfigError(err: unknown, file?: string, opts: { wholeFileAllowed?: boolean } = {}): void {
  if (!(err instanceof ConfigError)) {
    const what = err instanceof Error ? `${err.constructor.name}: ${err.message}\n${err.stack}` : String(err);
    throw new Error(`expected a ConfigError, got ${what}`);
  }
  expect(err.issues.length).toBeGreaterThan(0);
  for (const issue of err.issues) {
    expect(typeof issue.file).toBe('string');
    if (file !== undefined) expect(issue.file).toBe(file);
    const lowest = opts.wholeFileAllowed ? 0 : 1;
    expect(Number.isInteger(issue.line) && issue.line >= lowest, `line ${issue.line} of ${issue.message}`).toBe(true);
    expect(issue.message.length).toBeGreaterThan(0);
  }
}

/** Like expectConfigError, for places where any typed user error is the contract. */
export function expectTypedError(err: unknown): void {
  if (!(err instanceof LlmEvalError)) {
    const what = err instanceof Error ? `${err.constructor.name}: ${err.message}\n${err.stack}` : String(err);
    throw new Error(`expected an LlmEvalError, got ${what}`);
  }
  if (err instanceof ConfigError) expectConfigError(err);
}

/** Run counts: bounded so the whole fuzz folder stays well under a minute on a slow CI box. */
export const FUZZ_RUNS = Number(process.env['FUZZ_RUNS'] ?? 150);
