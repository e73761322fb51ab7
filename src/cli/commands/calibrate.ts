import { MAX_CONCURRENCY } from '../../config/limits.js';
import { InvalidArgumentError, type Command } from 'commander';
import { cacheMode, positiveInt } from '../options.js';
import { installInterruptHandler } from '../interrupt.js';
import { redactSecrets } from '../../util/secrets.js';
import type { CacheMode } from '../../types.js';
import { escapeControlChars } from '../../util/controlChars.js';

interface CalibrateFlags {
  config?: string;
  suite: string;
  grader?: string;
  cache?: CacheMode;
  concurrency?: number;
  minKappa?: number;
  json?: boolean;
}

function kappaFlag(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < -1 || n > 1) throw new InvalidArgumentError(`--min-kappa takes a number from -1 to 1, not "${value}".`);
  return n;
}

export function registerCalibrate(program: Command): void {
  program
    .command('calibrate')
    .description("measure a suite's judge against human labels (rows with `human` and `output`): accuracy, Cohen's kappa, disagreements")
    .requiredOption('--suite <name>', 'the suite whose judge grader to check')
    .option('--grader <name|index>', 'which judge grader, by name or index in `graders` (default: the only judge)')
    .option('--config <file>', 'config file (default: llm-eval.yaml found from the current folder up)')
    .option('--cache <mode>', 'on | off | replay | refresh (default: the config\'s)', cacheMode)
    .option('--concurrency <n>', 'judge calls in flight at once', positiveInt('--concurrency', MAX_CONCURRENCY))
    .option('--min-kappa <k>', 'exit 1 when kappa is below this (or undefined): a gate on the judge itself', kappaFlag)
    .option('--json', 'print the calibration report as JSON')
    .action(async (flags: CalibrateFlags) => {
      // Loaded when the command runs, so `--help` and `--version` stay fast.
      const [{ loadConfig }, { calibrate }, { formatCalibration }] = await Promise.all([
        import('../../config/load.js'),
        import('../../calibrate/calibrate.js'),
        import('../../calibrate/format.js'),
      ]);
      const config = await loadConfig({ configFile: flags.config });
      const interrupt = installInterruptHandler();
      try {
        const report = await calibrate({
          config,
          suite: flags.suite,
          grader: flags.grader,
          cache: flags.cache,
          concurrency: flags.concurrency,
          signal: interrupt.signal,
          onWarning: flags.json ? undefined : (m) => process.stderr.write(escapeControlChars(redactSecrets(`warning: ${m}`)) + '\n'),
        });
        process.stdout.write(redactSecrets(flags.json ? JSON.stringify(report, null, 2) + '\n' : escapeControlChars(formatCalibration(report))));
        if (flags.minKappa !== undefined && (report.kappa === null || report.kappa < flags.minKappa)) {
          process.stderr.write(`kappa ${report.kappa === null ? 'is undefined' : report.kappa.toFixed(3)} is below --min-kappa ${flags.minKappa}: do not gate on this judge yet\n`);
          process.exitCode = 1;
        }
      } finally {
        interrupt.dispose();
      }
    });
}
