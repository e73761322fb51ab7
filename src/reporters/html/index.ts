import path from 'node:path';
import type { Reporter } from '../types.js';
import { writeHtmlReport } from './writeHtml.js';

export { writeHtmlReport } from './writeHtml.js';

export const HTML_REPORT_FILE = 'report.html';

/** The report.html file reporter; writes into `outDir`, or the run folder when not given. */
export function htmlReporter(opts: { outDir?: string } = {}): Reporter {
  return {
    name: 'html',
    async onRunEnd(run, verdict) {
      await writeHtmlReport(run, verdict, path.join(opts.outDir ?? run.dir, HTML_REPORT_FILE));
    },
  };
}
