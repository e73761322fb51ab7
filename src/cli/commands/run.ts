import type { Command } from 'commander';
import { MAX_CONCURRENCY } from '../../config/limits.js';
import { parseShard } from '../../plan/shard.js';
import { cacheMode, collect, formats, nonNegativeNumber, positiveInt, redactMode } from '../options.js';
import type { RedactMode } from '../../config/redactMode.js';
import { installInterruptHandler } from '../interrupt.js';
import { UsageError } from '../../errors.js';
import type { CacheMode } from '../../types.js';
import type { ReportFormat } from '../../reporters/types.js';
import type { WatchOptions } from '../../runner/watch/index.js';

interface RunFlags {
  config?: string;
  suite?: string[];
  variant?: string[];
  filter?: string;
  repeat?: number;
  concurrency?: number;
  maxCost?: number;
  cache?: CacheMode;
  out?: string;
  format?: ReportFormat[];
  baseline?: string;
  resume?: string;
  redact?: RedactMode;
  shard?: string;
  dryRun?: boolean;
  json?: boolean;
  quiet?: boolean;
  watch?: boolean;
  batch?: boolean;
  wait?: boolean;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run suites against their variants, grade, write reports, and gate')
    .option('--config <file>', 'config file (default: llm-eval.yaml found from the current folder up)')
    .option('--suite <name>', 'run only these suites (repeatable, or comma-separated)', collect)
    .option('--variant <name>', 'run only these variants (repeatable, or comma-separated)', collect)
    .option('--filter <text>', 'only rows whose id, tags or vars contain this text')
    .option('--repeat <n>', 'samples per case (overrides the suites\' repeat)', positiveInt('--repeat'))
    .option('--concurrency <n>', 'cases in flight at once (default 8)', positiveInt('--concurrency', MAX_CONCURRENCY))
    .option('--max-cost <usd>', 'stop starting calls before estimated spend passes this budget', nonNegativeNumber('--max-cost'))
    .option('--cache <mode>', 'on | off | replay (answer only from the cache) | refresh', cacheMode)
    .option('--out <dir>', 'reports folder (default: reports/ beside llm-eval.yaml)')
    .option('--format <list>', 'report files to write: html,json,junit,md (default: all)', formats)
    .option('--baseline <file>', 'compare against a baseline and gate on significant regressions')
    .option('--redact <what>', 'mask personal data in every report and results.jsonl: pii (default: each suite\'s `redact:`)', redactMode)
    .option('--resume <run>', 'continue a run (id, folder or latest): finished cases are not called again')
    .option('--shard <i/n>', 'run only shard i of n (stable split by case id)')
    .option('--dry-run', 'count cases and estimate tokens and cost; call nothing')
    .option('--json', 'print report.json to stdout instead of the summary')
    .option('--quiet', 'print only the verdict')
    .option('--batch', 'send uncached calls as provider batches (OpenAI Batch API, Anthropic Message Batches) at half price')
    .option('--wait', 'with batches: poll until they end and collect (default: stop after submitting, status batch-pending, exit 3)')
    .option('--watch', 're-run the suites whose config, prompt, dataset or script changed, until Ctrl-C')
    .action(async (flags: RunFlags) => {
      if (flags.watch) checkWatchFlags(flags);
      // Loaded when the command runs, so `--help` and `--version` stay fast.
      const { loadConfig } = await import('../../config/load.js');
      const config = await loadConfig({ configFile: flags.config });
      const shard = flags.shard ? parseShard(flags.shard) : undefined;
      const selection = { suites: flags.suite, variants: flags.variant, filter: flags.filter, repeat: flags.repeat, shard };
      if (flags.dryRun) {
        const [{ dryRun }, { printDryRun }] = await Promise.all([import('../../runner/dryRun.js'), import('../print.js')]);
        const estimate = await dryRun({ config, ...selection, batch: Boolean(flags.batch) });
        if (flags.json) process.stdout.write(JSON.stringify(estimate, null, 2) + '\n');
        else printDryRun(estimate);
        return;
      }
      const runOptions = {
        config,
        ...selection,
        concurrency: flags.concurrency,
        maxCostUsd: flags.maxCost,
        cache: flags.cache,
        outDir: flags.out,
        formats: flags.format,
        baseline: flags.baseline,
        redact: flags.redact,
      };
      if (flags.watch) {
        const { shard: _noShard, ...watched } = runOptions;
        process.exitCode = await runWatch({ ...watched, reload: () => loadConfig({ configFile: config.file }) }, Boolean(flags.quiet));
        return;
      }
      const [{ runEval }, { createConsoleReporter }] = await Promise.all([import('../../runner/runEval.js'), import('../../reporters/console.js')]);
      const interrupt = installInterruptHandler();
      try {
        const outcome = await runEval({
          ...runOptions,
          resume: flags.resume,
          signal: interrupt.signal,
          batch: { all: Boolean(flags.batch), wait: Boolean(flags.wait), onProgress: flags.quiet ? undefined : printBatchProgress },
          // --json keeps stdout for the report alone.
          reporters: flags.json ? [] : [createConsoleReporter({ quiet: Boolean(flags.quiet) })],
        });
        if (flags.json) process.stdout.write(JSON.stringify(outcome.report, null, 2) + '\n');
        process.exitCode = outcome.exitCode;
      } finally {
        interrupt.dispose();
      }
    });
}

/** One stderr line per batch status read: batches done, requests succeeded/failed, elapsed. */
export function printBatchProgress(p: { batches: number; ended: number; succeeded: number; failed: number; elapsedMs: number }): void {
  process.stderr.write(`batches: ${p.ended}/${p.batches} done, ${p.succeeded} requests succeeded, ${p.failed} failed, ${Math.round(p.elapsedMs / 1000)}s elapsed\n`);
}

/** Flags watch mode cannot honour: it starts new runs (no --resume), of whole suites (no --shard), printed (no --json), for real (no --dry-run). */
function checkWatchFlags(flags: RunFlags): void {
  const conflicting = [flags.resume && '--resume', flags.shard && '--shard', flags.json && '--json', flags.dryRun && '--dry-run'].filter((f): f is string => typeof f === 'string');
  if (conflicting.length > 0) throw new UsageError(`--watch cannot be combined with ${conflicting.join(', ')}: watch mode starts a new printed run of whole suites at each change. Drop ${conflicting.length > 1 ? 'those flags' : 'the flag'} or --watch.`);
}

/** `run --watch`: watches until Ctrl-C, printing each run's summary and what changed; returns the exit code. */
async function runWatch(opts: Omit<WatchOptions, 'signal' | 'onEvent' | 'reporters'>, quiet: boolean): Promise<number> {
  const [{ watchEval }, { createConsoleReporter }, { printWatchEvent }] = await Promise.all([
    import('../../runner/watch/index.js'),
    import('../../reporters/console.js'),
    import('../printWatch.js'),
  ]);
  const interrupt = installInterruptHandler('stopping watch mode (a run in progress finishes its calls in flight; press Ctrl-C again to quit now)');
  try {
    const result = await watchEval({ ...opts, signal: interrupt.signal, reporters: [createConsoleReporter({ quiet })], onEvent: (e) => printWatchEvent(e) });
    return result.exitCode;
  } finally {
    interrupt.dispose();
  }
}
