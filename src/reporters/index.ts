import { htmlReporter } from './html/index.js';
import { jsonReporter } from './json.js';
import { junitReporter } from './junit.js';
import { markdownReporter } from './markdown.js';
import type { Reporter, ReportFormat } from './types.js';

export type { Reporter, ReportFormat, RunStartInfo, StoredRun } from './types.js';
export { REPORT_FORMATS } from './types.js';
export { ConsoleReporter, createConsoleReporter, type ConsoleReporterOptions } from './console.js';
export { htmlReporter, writeHtmlReport, HTML_REPORT_FILE } from './html/index.js';
export { junitReporter, writeJunitReport, JUNIT_REPORT_FILE } from './junit.js';
export { markdownReporter, writeMarkdownSummary, renderMarkdownSummary, MARKDOWN_REPORT_FILE } from './markdown.js';
export { jsonReporter } from './json.js';
export { openStoredRun } from './storedRun.js';

export interface FileReporterOptions {
  /** Where the files go (default: the run folder). */
  outDir?: string;
  /** For the Markdown reporter: GITHUB_STEP_SUMMARY and GITHUB_ACTIONS (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** For the Markdown reporter's `::error` annotations (default: process.stdout). */
  stdout?: NodeJS.WritableStream;
}

const FILE_REPORTERS: Record<ReportFormat, (opts: FileReporterOptions) => Reporter> = {
  json: (o) => jsonReporter(o.outDir === undefined ? {} : { outDir: o.outDir }),
  html: (o) => htmlReporter(o.outDir === undefined ? {} : { outDir: o.outDir }),
  junit: (o) => junitReporter(o.outDir === undefined ? {} : { outDir: o.outDir }),
  md: (o) => markdownReporter(o),
};

/** The file reporters for `--format`, in the order given, each format once. */
export function createFileReporters(formats: readonly ReportFormat[], opts: FileReporterOptions = {}): Reporter[] {
  return [...new Set(formats)].map((f) => FILE_REPORTERS[f](opts));
}
