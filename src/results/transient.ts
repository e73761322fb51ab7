import type { CaseRecord } from '../types.js';

/**
 * Failures that say nothing about the prompt or the model's answer: the provider was
 * unreachable, overloaded, rate limiting or slow (network, 5xx, 429, timeout), for the
 * candidate or for a judge (`error.provider`), or the budget stopped the run while the case was
 * being graded. `--resume` runs such cases again; anything else (a wrong answer, a 401, a 404,
 * a grader bug) stands. Cases stopped before their call (budget, interrupt, a provider that is
 * down) are never recorded, so a resume runs them anyway.
 */
const TRANSIENT_KINDS: ReadonlySet<string> = new Set(['transient', 'rate-limit', 'timeout', 'budget']);

export function isTransientFailure(record: Pick<CaseRecord, 'error'>): boolean {
  const e = record.error;
  return Boolean(e && (TRANSIENT_KINDS.has(e.kind) || (e.provider !== undefined && TRANSIENT_KINDS.has(e.provider))));
}
