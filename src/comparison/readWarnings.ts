import type { OutcomeSet } from '../results/outcomes.js';

/** The lines of a side's results.jsonl that reading passed over, as warning sentences (none when it read every line). */
export function skippedLineWarnings(set: Pick<OutcomeSet, 'skippedLines'>): string[] {
  const s = set.skippedLines;
  if (!s) return [];
  const warnings: string[] = [];
  if (s.unreadable) warnings.push(`${s.file}: ${s.unreadable} unreadable line(s) skipped`);
  if (s.duplicate) warnings.push(`${s.file}: ${s.duplicate} duplicate case line(s) ignored`);
  return warnings;
}
