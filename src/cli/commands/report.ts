import path from 'node:path';
import type { Command } from 'commander';
import type { ReportFormat } from '../../reporters/types.js';
import { formats } from '../options.js';
import { projectContext } from './compare.js';
import { escapeControlChars } from '../../util/controlChars.js';

/** `llm-eval report RUN --format html,junit,md`: re-renders reports from a stored run (results.jsonl + report.json); calls nothing. */
export function registerReport(program: Command): void {
  program
    .command('report')
    .description('re-render reports from a stored run (results.jsonl and report.json); no model is called')
    .argument('[run]', 'run id, run folder, or latest', 'latest')
    .option('--format <list>', 'formats to write: html, junit, md, json (comma-separated)', formats, ['html', 'junit', 'md'] as ReportFormat[])
    .option('--out <dir>', 'folder to write the reports to (default: the run folder)')
    .option('--config <file>', 'config file, to find the reports folder')
    .option('--history', 'chart pass rate, cost and latency per suite × variant across every run in the reports folder: history.html and a terminal table')
    .action(async (run: string, flags: { format: ReportFormat[]; out?: string; config?: string; history?: boolean }) => {
      if (flags.history) {
        const [{ writeHistory }, ctx] = await Promise.all([import('../../reporters/history/write.js'), projectContext(flags.config)]);
        const { file, table, skipped } = await writeHistory(ctx.outDir, path.resolve(flags.out ?? ctx.outDir));
        process.stdout.write(`${table}\n\nHistory: ${path.relative(process.cwd(), file) || file}\n`);
        for (const w of ctx.warnings) process.stderr.write(`warning: ${escapeControlChars(w)}\n`);
        for (const s of skipped) process.stderr.write(`warning: skipped ${escapeControlChars(s.dir)}: ${escapeControlChars(s.reason)}\n`);
        return;
      }
      // Loaded when the command runs, so `--help` and `--version` stay fast.
      const [{ resolveRunDir }, { createFileReporters, openStoredRun, HTML_REPORT_FILE, JUNIT_REPORT_FILE, MARKDOWN_REPORT_FILE }] = await Promise.all([
        import('../../results/store.js'),
        import('../../reporters/index.js'),
      ]);
      const FILE_OF: Record<ReportFormat, string> = { html: HTML_REPORT_FILE, junit: JUNIT_REPORT_FILE, md: MARKDOWN_REPORT_FILE, json: 'report.json' };
      const ctx = await projectContext(flags.config);
      const dir = await resolveRunDir(run, ctx.outDir);
      // Each report format reads results.jsonl again: count each bad line once, by its number.
      const badLines = new Set<number>();
      const stored = await openStoredRun(dir, (lineNo) => badLines.add(lineNo));
      const outDir = path.resolve(flags.out ?? dir);
      for (const reporter of createFileReporters(flags.format, { outDir })) await reporter.onRunEnd?.(stored, stored.report.gate);
      const rel = path.relative(process.cwd(), outDir) || '.';
      const files = [...new Set(flags.format)].map((f) => path.join(rel, FILE_OF[f]));
      process.stdout.write(`Rendered run ${stored.report.runId}: ${files.join(', ')}\n`);
      for (const w of ctx.warnings) process.stderr.write(`warning: ${escapeControlChars(w)}\n`);
      if (badLines.size) process.stderr.write(`warning: skipped ${badLines.size} unreadable line(s) of results.jsonl (a torn last line after a crash?)\n`);
    });
}
