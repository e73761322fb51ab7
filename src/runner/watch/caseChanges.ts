import type { CaseRecord } from '../../types.js';

/**
 * What changed between two runs of a suite, case by case: a case (variant × dataset row id)
 * passes when every repeat of it passed.
 */

/** `variant/caseId` → passed. */
export type CaseOutcomes = Map<string, boolean>;

export interface CaseChanges {
  newlyFailing: string[];
  newlyPassing: string[];
  /** Cases the previous run did not have. */
  added: string[];
}

export function caseOutcomes(records: Iterable<CaseRecord>): CaseOutcomes {
  const out: CaseOutcomes = new Map();
  for (const r of records) {
    const key = `${r.variant}/${r.caseId}`;
    out.set(key, (out.get(key) ?? true) && r.pass);
  }
  return out;
}

export function compareOutcomes(before: CaseOutcomes, after: CaseOutcomes): CaseChanges {
  const changes: CaseChanges = { newlyFailing: [], newlyPassing: [], added: [] };
  for (const [key, pass] of after) {
    const was = before.get(key);
    if (was === undefined) changes.added.push(key);
    else if (was && !pass) changes.newlyFailing.push(key);
    else if (!was && pass) changes.newlyPassing.push(key);
  }
  return changes;
}
