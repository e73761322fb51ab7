/**
 * Deterministic, diff-friendly JSON for files users commit (baseline.json): object keys sorted
 * at every level, two-space indent, and arrays of plain values kept on one line, so a case's
 * outcome is one line and a changed case is a one-line diff.
 */
export function formatStableJson(value: unknown, indent = ''): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) return `[${value.map((v) => JSON.stringify(v ?? null)).join(', ')}]`;
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => inner + formatStableJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${formatStableJson(v, inner)}`).join(',\n')}\n${indent}}`;
}
