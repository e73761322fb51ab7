import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../results/store.js';
import { redactSecrets } from '../../util/secrets.js';
import { terminalWidth } from '../console/width.js';
import { collectHistory, type RunHistory } from './collect.js';
import { HISTORY_REPORT_FILE, renderHistoryHtml } from './html.js';
import { renderHistoryTable } from './terminal.js';

/** `llm-eval report --history`: reads every run in `reportsDir`, writes history.html into `outDir`, returns the terminal table. */
export async function writeHistory(reportsDir: string, outDir: string, stdout: { isTTY?: boolean; columns?: number } = process.stdout, env: NodeJS.ProcessEnv = process.env): Promise<{ file: string; table: string; skipped: RunHistory['skipped'] }> {
  const history = await collectHistory(reportsDir);
  await mkdir(outDir, { recursive: true });
  const file = path.join(outDir, HISTORY_REPORT_FILE);
  await writeFileAtomic(file, redactSecrets(renderHistoryHtml(history)));
  return { file, table: redactSecrets(renderHistoryTable(history, terminalWidth(stdout, env))), skipped: history.skipped };
}
