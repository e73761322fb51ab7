import type { ComparisonReport, GateVerdict, RunReport, RunStatus, SuiteSummary } from '../types.js';
import { totalsOf } from './summary.js';

/** report.json for a finished run, derived rescore or merge: the one place its shape is built. */
export function buildRunReport(r: {
  runId: string;
  createdAt: string;
  status: RunStatus;
  config: { hash: string; file: string };
  gate: GateVerdict;
  suites: SuiteSummary[];
  warnings: string[];
  comparison?: ComparisonReport | null;
  extra?: Record<string, unknown>;
}): RunReport {
  return {
    schemaVersion: 1,
    runId: r.runId,
    createdAt: r.createdAt,
    finishedAt: new Date().toISOString(),
    status: r.status,
    config: r.config,
    gate: r.gate,
    suites: r.suites,
    totals: totalsOf(r.suites),
    warnings: r.warnings,
    ...r.extra,
    ...(r.comparison ? { comparison: r.comparison } : {}),
  };
}
