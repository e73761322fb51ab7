import { kindOf } from './text.js';

/** A JSONPath-style path segment: `.key` for identifiers, `["odd key"]` otherwise. */
function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Where two JSON values first differ, as a sentence ("at $.items[2].sku: expected "A1", got
 * "A2""), or undefined when they are equal. Object key order does not matter; array order does.
 * One walk both compares and explains, so a failing reason points at the field to fix.
 */
export function firstDifference(expected: unknown, actual: unknown, path = '$'): string | undefined {
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) return `at ${path}: expected ${expected.length} items, got ${actual.length}`;
    for (let i = 0; i < expected.length; i++) {
      const diff = firstDifference(expected[i], actual[i], child(path, i));
      if (diff) return diff;
    }
    return undefined;
  }
  if (isPlainObject(expected) && isPlainObject(actual)) {
    for (const key of Object.keys(expected)) {
      if (!Object.hasOwn(actual, key)) return `at ${path}: missing key ${JSON.stringify(key)}`;
      const diff = firstDifference(expected[key], actual[key], child(path, key));
      if (diff) return diff;
    }
    for (const key of Object.keys(actual)) {
      if (!Object.hasOwn(expected, key)) return `at ${path}: unexpected key ${JSON.stringify(key)}`;
    }
    return undefined;
  }
  // Scalars (and mismatched kinds). Object.is would tell 0 from -0, which JSON does not.
  if (expected === actual) return undefined;
  if (kindOf(expected) !== kindOf(actual)) return `at ${path}: expected ${kindOf(expected)} (${show(expected)}), got ${kindOf(actual)} (${show(actual)})`;
  return `at ${path}: expected ${show(expected)}, got ${show(actual)}`;
}
