import type { Command } from 'commander';
import { formats } from '../options.js';
import type { ReportFormat } from '../../reporters/types.js';

export function registerRescore(program: Command): void {
  program
    .command('rescore')
    .description('re-grade a stored run with the current graders into a new run; no candidate model is called')
    .argument('[run]', 'run id, run folder, or latest', 'latest')
    .option('--config <file>', 'config file')
    .option('--out <dir>', 'reports folder')
    .option('--format <list>', 'report files to write: html,json,junit,md', formats)
    .option('--json', 'print report.json to stdout')
    .option('--quiet', 'print only the verdict')
    .action(async (run: string, flags: { config?: string; out?: string; format?: ReportFormat[]; json?: boolean; quiet?: boolean }) => {
      // Loaded when the command runs, so `--help` and `--version` stay fast.
      const [{ loadConfig }, { rescore }, { createConsoleReporter }] = await Promise.all([
        import('../../config/load.js'),
        import('../../runner/rescore.js'),
        import('../../reporters/console.js'),
      ]);
      const config = await loadConfig({ configFile: flags.config });
      const outcome = await rescore({
        config,
        run,
        outDir: flags.out,
        formats: flags.format,
        // --json keeps stdout for the report alone.
          reporters: flags.json ? [] : [createConsoleReporter({ quiet: Boolean(flags.quiet) })],
      });
      if (flags.json) process.stdout.write(JSON.stringify(outcome.report, null, 2) + '\n');
      process.exitCode = outcome.exitCode;
    });
}
