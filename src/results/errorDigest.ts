import type { CaseError, ErrorGroup, RunReport } from '../types.js';

/**
 * Errored cases of one suite × variant, grouped by message: the few distinct reasons a run could
 * not measure (a missing key, a 401, a 404, a grader that throws), each with how many cases it
 * hit. Built as records arrive, in bounded memory: past `MAX_TRACKED` distinct messages, further
 * new messages are only counted.
 */

/** Distinct messages shown in the terminal and summary.md. */
export const ERROR_DIGEST_SHOWN = 3;
const MAX_TRACKED = 100;
/** A message is one line, cut to this length, so one odd error cannot flood a summary. */
const MAX_MESSAGE = 300;

function oneLine(message: string): string {
  const line = message.replace(/\s+/g, ' ').trim();
  return line.length > MAX_MESSAGE ? `${line.slice(0, MAX_MESSAGE - 1)}…` : line;
}

export class ErrorDigest {
  private readonly groups = new Map<string, ErrorGroup>();
  private untracked = 0;

  add(error: CaseError): void {
    const message = oneLine(error.message);
    // Messages that differ only by an id (a cache key, a request id) are one reason.
    const key = `${error.kind}\u0000${message.replace(/[0-9a-f]{8,}/gi, '#')}`;
    const group = this.groups.get(key);
    if (group) {
      group.cases++;
      if (group.requestId === undefined && error.requestId !== undefined) group.requestId = error.requestId;
    } else if (this.groups.size < MAX_TRACKED) {
      const g: ErrorGroup = { kind: error.kind, message, cases: 1 };
      if (error.requestId !== undefined) g.requestId = error.requestId;
      this.groups.set(key, g);
    } else this.untracked++;
  }

  /** The most frequent messages first (first seen first among equals), at most `limit`. */
  top(limit = ERROR_DIGEST_SHOWN): ErrorGroup[] {
    return [...this.groups.values()]
      .map((g, order) => ({ g, order }))
      .sort((a, b) => b.g.cases - a.g.cases || a.order - b.order)
      .slice(0, limit)
      .map(({ g }) => ({ ...g }));
  }

  /** How many distinct messages there are (counting untracked ones as at least one more). */
  distinct(): number {
    return this.groups.size + (this.untracked > 0 ? 1 : 0);
  }
}

/** One suite × variant with errored cases, as the terminal and summary.md list them. */
export interface VariantErrors {
  suite: string;
  variant: string;
  errors: number;
  cases: number;
  groups: ErrorGroup[];
  /** Distinct messages not listed in `groups`. */
  moreMessages: number;
}

/** Every suite × variant of a report that has errored cases, in report order. */
export function variantErrors(report: Pick<RunReport, 'suites'>): VariantErrors[] {
  const out: VariantErrors[] = [];
  for (const s of report.suites) {
    for (const v of s.variants) {
      if (!v.errors) continue;
      const groups = v.errorMessages ?? [];
      out.push({ suite: s.name, variant: v.name, errors: v.errors, cases: v.cases, groups, moreMessages: Math.max(0, (v.distinctErrors ?? groups.length) - groups.length) });
    }
  }
  return out;
}
