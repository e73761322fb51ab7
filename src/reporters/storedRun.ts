import path from 'node:path';
import { readCaseRecords, readReport, RESULTS_FILE } from '../results/store.js';
import type { StoredRun } from './types.js';

/**
 * Opens a finished run folder as a StoredRun: report.json read now, results.jsonl streamed each
 * time `cases()` is called (so a reporter may read it more than once without holding it).
 */
export async function openStoredRun(dir: string, onBadLine?: (lineNo: number) => void): Promise<StoredRun> {
  const report = await readReport(dir);
  const file = path.join(dir, RESULTS_FILE);
  return { dir, report, cases: () => readCaseRecords(file, onBadLine) };
}
