import Table from 'cli-table3';
import type { DryRunEstimate } from '../runner/dryRun.js';
import { escapeControlChars } from '../util/controlChars.js';

function usd(x: number | null): string {
  return x == null ? 'unknown' : `$${x < 0.01 && x > 0 ? x.toFixed(5) : x.toFixed(4)}`;
}

/** Prints a dry run's estimate as a table and a total line. */
export function printDryRun(est: DryRunEstimate, out: NodeJS.WritableStream = process.stdout): void {
  const table = new Table({ head: ['suite', 'variant', 'model', 'cases', 'input tok', 'output tok', 'est. cost'], style: { head: [], border: [] } });
  for (const s of est.suites)
    for (const v of s.variants) table.push([s.name, v.name, v.model, v.cases, v.inputTokens, v.outputTokens, usd(v.costUsd)]);
  out.write(escapeControlChars(table.toString()) + '\n');
  out.write(`Dry run: ${est.totals.cases} cases, ~${est.totals.inputTokens} input and ~${est.totals.outputTokens} output tokens, estimated ${usd(est.totals.costUsd)}${est.unpriced.length ? ` (plus unpriced models: ${est.unpriced.join(', ')})` : ''}. Nothing was called.\n`);
}
