import path from 'node:path';
import { caseRecordsReader, readReport, RESULTS_FILE } from '../results/store.js';
import type { StoredRun } from './types.js';

/**
 * Opens a finished run folder as a StoredRun: report.json read now, results.jsonl streamed each
 * time `cases()` is called (so a reporter may read it more than once without holding it); the
 * newest-record passes run once for all of them.
 */
export async function openStoredRun(dir: string, onBadLine?: (lineNo: number) => void): Promise<StoredRun> {
  const report = await readReport(dir);
  return { dir, report, cases: caseRecordsReader(path.join(dir, RESULTS_FILE), onBadLine) };
}
