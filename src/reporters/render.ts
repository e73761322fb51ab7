import path from 'node:path';
import type { GateVerdict, RunReport } from '../types.js';
import { RESULTS_FILE, caseRecordsReader, eachCaseOnce } from '../results/store.js';
import type { Reporter, ReportFormat, StoredRun } from './types.js';
import { createFileReporters } from './index.js';
import { ReporterHub } from './hub.js';

/**
 * Renders a stored run: the file reporters for `formats`, then every other reporter's onRunEnd.
 * The same path serves the end of `run` and `llm-eval report RUN`, so both produce the same files.
 * `eachCaseOnce`: the caller wrote results.jsonl itself, each case once, so the readers skip the
 * newest-record passes (results/store.ts `readCaseRecords`).
 */
export async function renderStoredRun(
  dir: string,
  report: RunReport,
  formats: ReportFormat[],
  extra: Reporter[] = [],
  warn?: (message: string) => void,
  opts: { eachCaseOnce?: boolean } = {},
): Promise<void> {
  const run: StoredRun = { dir, report, cases: caseRecordsReader(path.join(dir, RESULTS_FILE), undefined, opts.eachCaseOnce ? eachCaseOnce() : undefined) };
  const verdict: GateVerdict = report.gate;
  const reporters = [...createFileReporters(formats), ...extra];
  if (!warn) {
    // Rendering alone (`llm-eval report`): a reporter that fails is the command's error.
    for (const r of reporters) await r.onRunEnd?.(run, verdict);
    return;
  }
  // At the end of a run, a failing reporter is a warning: the results are already safe on disk.
  await new ReporterHub(reporters, warn).emitInOrder('onRunEnd', run, verdict);
}
