import Table from 'cli-table3';
import type { DryRunEstimate } from '../runner/dryRun.js';
import { escapeControlChars } from '../util/controlChars.js';

function usd(x: number | null): string {
  return x == null ? 'unknown' : `$${x < 0.01 && x > 0 ? x.toFixed(5) : x.toFixed(4)}`;
}

/** Prints a dry run's estimate as a table and a total line. */
export function printDryRun(est: DryRunEstimate, out: NodeJS.WritableStream = process.stdout): void {
  const table = new Table({ head: ['suite', 'variant', 'model', 'cases', 'calls', 'cached', 'input tok', 'output tok', 'est. cost'], style: { head: [], border: [] } });
  for (const s of est.suites)
    for (const v of s.variants) table.push([s.name, v.name, v.model, v.cases, `${v.upTo ? 'up to ' : ''}${v.calls}`, v.cachedCases, v.inputTokens, v.outputTokens, usd(v.costUsd)]);
  const j = est.judges;
  if (j.calls > 0) table.push(['(judges)', '', '', '', j.calls, j.cachedCalls, j.inputTokens, j.outputTokens, usd(j.costUsd)]);
  out.write(escapeControlChars(table.toString()) + '\n');
  out.write(
    escapeControlChars(
      `Dry run: ${est.totals.cases} cases, ${est.totals.upTo ? 'up to ' : ''}${est.totals.calls} calls (${j.calls} by judges; ${est.totals.cachedCalls} answered by the cache, free), ` +
        `~${Math.round(est.totals.inputTokens)} input and ~${Math.round(est.totals.outputTokens)} output tokens, estimated ${usd(est.totals.costUsd)}` +
        `${est.unpriced.length ? ` (plus unpriced models: ${est.unpriced.join(', ')})` : ''}. Nothing was called.` +
        (est.batched.length ? ` Priced at the batch rate (half) for the calls that would go as provider batches: ${est.batched.join(', ')}.` : '') +
        (est.totals.upTo ? ' Agent suites count maxSteps calls per case: a loop stops sooner when the model answers without tool calls.' : ''),
    ) + '\n',
  );
}
