import type { WatchEvent } from '../runner/watch/index.js';
import type { CaseChanges } from '../runner/watch/caseChanges.js';
import { handleError } from './exit.js';
import { escapeControlChars } from '../util/controlChars.js';

/** How many case ids a changes line names before it counts the rest. */
const MAX_NAMED = 10;

function named(keys: string[]): string {
  const shown = keys.slice(0, MAX_NAMED).join(', ');
  return keys.length > MAX_NAMED ? `${shown}, … (${keys.length})` : shown;
}

/** One line per suite: what its run changed against its previous run. */
export function changesLines(suite: string, c: CaseChanges): string[] {
  const parts: string[] = [];
  if (c.newlyFailing.length) parts.push(`${c.newlyFailing.length} newly failing: ${named(c.newlyFailing)}`);
  if (c.newlyPassing.length) parts.push(`${c.newlyPassing.length} newly passing: ${named(c.newlyPassing)}`);
  if (c.added.length) parts.push(`${c.added.length} new: ${named(c.added)}`);
  if (parts.length === 0) parts.push('no case changed outcome');
  return parts.map((p) => `since the last run of ${suite}: ${p}`);
}

/** Prints watch mode's own lines; the runs' summaries come from the console reporter. */
export function printWatchEvent(event: WatchEvent, out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): void {
  switch (event.kind) {
    case 'run': {
      if (event.first) {
        err.write(`watch: running ${event.suites.join(', ')}\n`);
        return;
      }
      const why = event.suites.map((s) => `${s} (${(event.changed[s] ?? []).join(', ')} changed)`);
      out.write(escapeControlChars(`\nwatch: re-running ${why.join('; ')}\n`));
      return;
    }
    case 'ran': {
      const lines = Object.entries(event.changes).flatMap(([suite, c]) => changesLines(suite, c));
      if (lines.length) out.write(escapeControlChars(lines.join('\n')) + '\n');
      return;
    }
    case 'error':
      handleError(event.error);
      return;
    case 'idle':
      err.write(`watch: watching ${event.folders} folder${event.folders === 1 ? '' : 's'} for changes (Ctrl-C to stop)\n`);
      return;
  }
}
