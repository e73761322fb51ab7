/**
 * Human labels of calibration rows (`human:` in a dataset row): `pass` / `fail` (also true/false,
 * yes/no), or a score in 0..1, which counts as a pass when it reaches the judge's threshold, so
 * the human and the judge are cut at the same mark.
 */

export type HumanLabel = { pass: boolean; score?: number };

const PASS = new Set(['pass', 'passed', 'true', 'yes', 'good']);
const FAIL = new Set(['fail', 'failed', 'false', 'no', 'bad']);

export function parseHumanLabel(value: unknown, threshold: number): HumanLabel | { error: string } {
  if (typeof value === 'boolean') return { pass: value };
  const numeric = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : undefined;
  if (numeric !== undefined) {
    if (numeric < 0 || numeric > 1) return { error: `human score ${numeric} is outside 0..1` };
    return { pass: numeric >= threshold, score: numeric };
  }
  if (typeof value === 'string') {
    const word = value.trim().toLowerCase();
    if (PASS.has(word)) return { pass: true };
    if (FAIL.has(word)) return { pass: false };
  }
  return { error: `human label ${JSON.stringify(value)} is not pass, fail or a score in 0..1` };
}
