import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { REPORT_FILE, writeJson } from '../results/store.js';
import type { Reporter } from './types.js';

/**
 * report.json. The runner already writes it into the run folder; this reporter writes it where
 * `llm-eval report --out DIR` asks, or rewrites it in place (same content) otherwise.
 * (Minimal version written by the reports helper; the lead owns this file.)
 */
export function jsonReporter(opts: { outDir?: string } = {}): Reporter {
  return {
    name: 'json',
    async onRunEnd(run) {
      const dir = opts.outDir ?? run.dir;
      await mkdir(dir, { recursive: true });
      await writeJson(path.join(dir, REPORT_FILE), run.report);
    },
  };
}
