import path from 'node:path';
import type { GateVerdict, RunReport } from '../types.js';
import { RESULTS_FILE, readCaseRecords } from '../results/store.js';
import type { Reporter, ReportFormat, StoredRun } from './types.js';
import { createFileReporters } from './index.js';

/**
 * Renders a stored run: the file reporters for `formats`, then every other reporter's onRunEnd.
 * The same path serves the end of `run` and `llm-eval report RUN`, so both produce the same files.
 */
export async function renderStoredRun(dir: string, report: RunReport, formats: ReportFormat[], extra: Reporter[] = []): Promise<void> {
  const run: StoredRun = { dir, report, cases: () => readCaseRecords(path.join(dir, RESULTS_FILE)) };
  const verdict: GateVerdict = report.gate;
  for (const r of [...createFileReporters(formats), ...extra]) await r.onRunEnd?.(run, verdict);
}
