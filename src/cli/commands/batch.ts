import type { Command } from 'commander';
import { installInterruptHandler } from '../interrupt.js';
import { printBatchProgress } from './run.js';

/** `llm-eval batch status RUN` / `batch collect RUN`: provider batches of a run folder, from any machine that has it. */
export function registerBatch(program: Command): void {
  const batch = program.command('batch').description('provider batches of a run (run --batch): status, collect');
  batch
    .command('status')
    .description('show each batch a run submitted: requests succeeded / failed, ended or not; submits nothing')
    .argument('[run]', 'run id, run folder, or latest', 'latest')
    .option('--config <file>', 'config file')
    .option('--out <dir>', 'reports folder')
    .action(async (run: string, flags: { config?: string; out?: string }) => {
      const [{ loadConfig }, { recordedBatchStatus, leftIntents }, { resolveRunDir }, path] = await Promise.all([
        import('../../config/load.js'),
        import('../../execute/batch/status.js'),
        import('../../results/store.js'),
        import('node:path'),
      ]);
      const config = await loadConfig({ configFile: flags.config });
      const dir = await resolveRunDir(run, path.resolve(flags.out ?? config.outDir));
      const list = await recordedBatchStatus(config, dir, process.env);
      const intents = await leftIntents(dir);
      if (list.length === 0 && intents.length === 0) process.stdout.write('this run submitted no provider batch\n');
      for (const b of list) process.stdout.write(`${b.batchId}  model ${b.model}  ${b.requests} requests  ${b.ended ? 'ended' : 'running'}  ${b.succeeded} succeeded  ${b.failed} failed\n`);
      for (const i of intents) {
        process.stdout.write(
          `unresolved submission  model ${i.model}  ${i.requests} requests  since ${i.createdAt}: the run stopped while submitting (${i.file}); ` +
            '`llm-eval batch collect` adopts the batch the provider lists for it, or submits its requests if none was created\n',
        );
      }
      // Unresolved submissions are not done either: exit 3, as for a batch still running.
      process.exitCode = list.every((b) => b.ended) && intents.length === 0 ? 0 : 3;
    });
  batch
    .command('collect')
    .description('wait for a run\'s batches, collect, grade and report (the same as run --resume RUN --wait)')
    .argument('[run]', 'run id, run folder, or latest', 'latest')
    .option('--config <file>', 'config file')
    .option('--out <dir>', 'reports folder')
    .option('--quiet', 'print only the verdict')
    .action(async (run: string, flags: { config?: string; out?: string; quiet?: boolean }) => {
      const [{ loadConfig }, { runEval }, { createConsoleReporter }] = await Promise.all([
        import('../../config/load.js'),
        import('../../runner/runEval.js'),
        import('../../reporters/console.js'),
      ]);
      const config = await loadConfig({ configFile: flags.config });
      const interrupt = installInterruptHandler();
      try {
        const outcome = await runEval({
          config,
          resume: run,
          outDir: flags.out,
          signal: interrupt.signal,
          batch: { wait: true, onProgress: flags.quiet ? undefined : printBatchProgress },
          reporters: [createConsoleReporter({ quiet: Boolean(flags.quiet) })],
        });
        process.exitCode = outcome.exitCode;
      } finally {
        interrupt.dispose();
      }
    });
}
