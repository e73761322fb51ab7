/**
 * Prompt references (`name` or `name@version`) and the order of versions.
 */

export interface PromptRef {
  name: string;
  /** Undefined: the latest version. */
  version?: string;
}

/** A name or version is one path segment: no separators, not hidden, not `..`. */
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** Parses `name` or `name@version`; returns an error message instead when the text is not one. */
export function parsePromptRef(text: string): PromptRef | { error: string } {
  const parts = text.trim().split('@');
  const [name, version] = parts;
  const usage = 'write NAME or NAME@VERSION, e.g. classify-ticket or classify-ticket@v2';
  if (parts.length > 2 || !name || (parts.length === 2 && !version)) {
    return { error: `prompt reference "${text}" is not valid: ${usage}` };
  }
  for (const segment of [name, version]) {
    if (segment !== undefined && !SEGMENT.test(segment)) {
      return {
        error: `prompt reference "${text}" is not valid: "${segment}" may use only letters, digits, "_", "-" and "." (not first); ${usage}`,
      };
    }
  }
  return version === undefined ? { name } : { name, version };
}

// Numeric collation puts v2 before v10 and 2024-02 after 2024-01; a fixed locale keeps the order
// the same on every machine.
const collator = new Intl.Collator('en', { numeric: true });

/** Natural order of version names (v2 < v10); ties such as v01/v1 fall back to code-unit order. */
export function compareVersions(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
