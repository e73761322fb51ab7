import type { CaseRecord, GateFailure, GateVerdict, RunStatus } from '../types.js';

/**
 * Cases the run could not measure, as opposed to cases that were measured and are worse: a
 * `--cache replay` miss (candidate or judge), or a model call that failed at the provider (401,
 * 403, 404, 5xx and timeouts after retries, a dropped connection). Either makes the run exit 3,
 * never 1, so CI can tell "worse" (1) from "could not measure" (3).
 */

/** Gate rules that mean "could not measure": exit 3 (`shards-missing`: a merge lacks some shards' cases). */
export const UNMEASURED_RULES: ReadonlySet<string> = new Set(['replay-miss', 'provider-error', 'shards-missing']);

/** Case error kinds set by a failed model call (ProviderError kinds, and 'provider' for anything else the call threw). */
const PROVIDER_KINDS = new Set(['rate-limit', 'transient', 'timeout', 'auth', 'not-found', 'bad-request', 'provider']);

/** Missing case ids listed in a failure message before "and N more" (every id is in `cases`). */
const LISTED = 50;

interface VariantTally {
  suite: string;
  variant: string;
  /** `caseId` or `caseId#repeat`, with what was missing. */
  misses: Array<{ id: string; what: 'candidate' | 'judge' }>;
  providerErrors: number;
  firstProviderError?: string;
}

function caseLabel(r: CaseRecord): string {
  return r.repeat > 0 ? `${r.caseId}#${r.repeat}` : r.caseId;
}

export class UnmeasuredCases {
  private readonly byVariant = new Map<string, VariantTally>();

  add(r: CaseRecord): void {
    const e = r.error;
    if (!e) return;
    const judged = e.kind === 'grader';
    const kind = judged ? e.provider : e.kind;
    if (kind === undefined) return;
    const isMiss = kind === 'cache-miss';
    if (!isMiss && !PROVIDER_KINDS.has(kind)) return;
    const key = `${r.suite}\u0000${r.variant}`;
    let t = this.byVariant.get(key);
    if (!t) this.byVariant.set(key, (t = { suite: r.suite, variant: r.variant, misses: [], providerErrors: 0 }));
    if (isMiss) t.misses.push({ id: caseLabel(r), what: judged ? 'judge' : 'candidate' });
    else {
      t.providerErrors++;
      t.firstProviderError ??= e.message;
    }
  }

  failures(): GateFailure[] {
    const out: GateFailure[] = [];
    for (const t of this.byVariant.values()) {
      const scope = `${t.suite}/${t.variant}`;
      if (t.misses.length) {
        t.misses.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }) || a.what.localeCompare(b.what));
        const listed = t.misses.slice(0, LISTED).map((m) => `${m.id} (${m.what})`);
        const more = t.misses.length > LISTED ? ` and ${t.misses.length - LISTED} more` : '';
        out.push({
          suite: t.suite,
          variant: t.variant,
          rule: 'replay-miss',
          message: `${scope}: --cache replay found no cached answer for ${t.misses.length} case${t.misses.length === 1 ? '' : 's'}: ${listed.join(', ')}${more}; record them with --cache on`,
          cases: t.misses.map((m) => m.id),
        });
      }
      if (t.providerErrors) {
        out.push({
          suite: t.suite,
          variant: t.variant,
          rule: 'provider-error',
          message: `${scope}: ${t.providerErrors} case${t.providerErrors === 1 ? '' : 's'} could not be measured: the model call failed (first: ${t.firstProviderError})`,
        });
      }
    }
    return out;
  }
}

/** 0 every gate passed; 1 a gate failed on measured results; 3 the run could not finish or could not measure some cases. */
export function exitCodeOf(status: RunStatus, verdict: GateVerdict): 0 | 1 | 3 {
  if (status !== 'completed') return 3;
  if (verdict.failures.some((f) => UNMEASURED_RULES.has(f.rule))) return 3;
  return verdict.passed ? 0 : 1;
}
