import type { CaseChange, ComparisonReport, GateVerdict, RunReport, VariantSummary } from '../types.js';
import { formatCount, formatPercent, formatUsd } from './format.js';

/**
 * The views of a report that the terminal and Markdown reporters both print: one row per
 * suite × variant (with its baseline comparison when there is one), and the verdict line.
 */

export type VariantComparison = ComparisonReport['variants'][number];

export interface VariantRow {
  suite: string;
  summary: VariantSummary;
  comparison?: VariantComparison;
}

export function variantRows(report: RunReport): VariantRow[] {
  const byKey = new Map<string, VariantComparison>();
  for (const c of report.comparison?.variants ?? []) byKey.set(`${c.suite}\u0000${c.variant}`, c);
  const rows: VariantRow[] = [];
  for (const suite of report.suites) {
    for (const summary of suite.variants) {
      const comparison = byKey.get(`${suite.name}\u0000${summary.name}`);
      rows.push(comparison ? { suite: suite.name, summary, comparison } : { suite: suite.name, summary });
    }
  }
  return rows;
}

/** Changes of one kind, in the comparison's order (which puts newly failing first). */
export function changesOfKind(report: RunReport, kind: CaseChange['change']): CaseChange[] {
  return (report.comparison?.changes ?? []).filter((c) => c.change === kind);
}

const STATUS_NOTE: Record<RunReport['status'], string> = {
  completed: '',
  interrupted: 'run interrupted',
  'budget-exceeded': 'stopped at the cost budget',
  'provider-down': 'stopped: provider unavailable',
  'batch-pending': 'provider batches still running: collect with `llm-eval batch collect`',
};

export interface Headline {
  passed: boolean;
  /** `PASSED` or `FAILED` */
  word: string;
  /** What follows the word: why, and the run's size, pass rate and spend. */
  detail: string;
}

/** The one line a user reads first: did the gates pass, and the run in numbers. */
export function headline(report: RunReport, verdict: GateVerdict): Headline {
  const parts: string[] = [];
  const n = verdict.failures.length;
  parts.push(verdict.passed ? 'all gates passed' : `${n} gate failure${n === 1 ? '' : 's'}`);
  const note = STATUS_NOTE[report.status];
  if (note) parts.push(note);
  const { cases, passed, costUsd, judgeCostUsd } = report.totals;
  parts.push(`${formatCount(cases)} record${cases === 1 ? '' : 's'}`);
  parts.push(`${formatPercent(cases ? passed / cases : null)} pass`);
  const judge = judgeCostUsd ? ` + ${formatUsd(judgeCostUsd)} judging` : '';
  parts.push(`${formatUsd(costUsd)}${judge}`);
  return { passed: verdict.passed, word: verdict.passed ? 'PASSED' : 'FAILED', detail: parts.join(' · ') };
}

/** Where a gate failure applies: `tickets / v2`, `tickets`, or `run`. */
export function failureScope(f: { suite?: string; variant?: string }): string {
  if (f.suite && f.variant) return `${f.suite} / ${f.variant}`;
  return f.suite ?? f.variant ?? 'run';
}

/**
 * A gate failure's message without the scope and rule it starts with ("tickets/v2: regression:
 * pass rate fell…" → "pass rate fell…"), for views that print the scope and rule beside it.
 */
export function failureDetail(f: { suite?: string; variant?: string; rule: string; message: string }): string {
  let text = f.message;
  const scopes = [f.suite && f.variant ? `${f.suite}/${f.variant}` : '', f.suite && f.variant ? `${f.suite} / ${f.variant}` : '', f.suite ?? '', f.variant ?? ''];
  for (const scope of scopes) {
    if (scope && text.startsWith(`${scope}: `)) {
      text = text.slice(scope.length + 2);
      break;
    }
  }
  if (text.startsWith(`${f.rule}: `)) text = text.slice(f.rule.length + 2);
  return text;
}

/** Candidate cost per sample before and after, for one suite × variant compared with a baseline. */
export interface CostDelta {
  suite: string;
  variant: string;
  /** Mean candidate cost per sample, USD. */
  before: number;
  after: number;
  /** Samples of this run over the paired cases: the weight in the total. */
  samples: number;
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** The compared variants whose cost is known on both sides (results/compare.ts stores `cost` and `after.n`). */
export function costDeltas(report: RunReport): CostDelta[] {
  const out: CostDelta[] = [];
  for (const c of report.comparison?.variants ?? []) {
    const cost = c.cost;
    if (!cost || !finite(cost.before) || !finite(cost.after)) continue;
    const samples = c.after && finite(c.after.n) ? c.after.n : c.pairedCases;
    out.push({ suite: c.suite, variant: c.variant, before: cost.before, after: cost.after, samples });
  }
  return out;
}

/** after / before − 1, or null when before is 0. */
export function relativeChange(before: number, after: number): number | null {
  return before === 0 ? null : after / before - 1;
}
