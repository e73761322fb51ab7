import path from 'node:path';
import type { Command } from 'commander';
import { projectContext } from './compare.js';
import { MAX_BASELINE_OUTPUTS_TOTAL } from '../../results/baseline.js';

export function registerBaseline(program: Command): void {
  const baseline = program.command('baseline').description('manage the committed baseline that `run --baseline` gates against');
  baseline
    .command('save')
    .description('write each case\'s outcome and a comparability fingerprint from a run to reports/baseline.json')
    .argument('[run]', 'run id, run folder, or latest', 'latest')
    .option('--out <file>', 'baseline file to write (default: baseline.json in the reports folder)')
    .option('--config <file>', 'config file, to find the reports folder')
    .option('--allow-partial', 'save from an interrupted, sharded or partly merged run (its missing cases stay ungated)')
    .option('--json', 'print what was saved as JSON')
    .action(async (run: string, flags: { out?: string; config?: string; json?: boolean; allowPartial?: boolean }) => {
      // Loaded when the command runs, so `--help` and `--version` stay fast.
      const [{ resolveRunDir }, { BASELINE_FILE, saveBaseline }, { skippedLineWarnings }] = await Promise.all([
        import('../../results/store.js'),
        import('../../results/baseline.js'),
        import('../../comparison/readWarnings.js'),
      ]);
      const ctx = await projectContext(flags.config);
      const runDir = await resolveRunDir(run, ctx.outDir);
      const file = path.resolve(flags.out ?? path.join(ctx.outDir, BASELINE_FILE));
      const saved = await saveBaseline(runDir, file, undefined, { allowPartial: flags.allowPartial });
      const suites = Object.entries(saved.baseline.suites);
      const variants = suites.reduce((n, [, v]) => n + Object.keys(v).length, 0);
      const cases = suites.reduce((n, [, vs]) => n + Object.values(vs).reduce((m, v) => m + Object.keys(v.cases).length, 0), 0);
      const warnings = [...ctx.warnings, ...skippedLineWarnings(saved), ...saved.incomplete.map((r) => `partial baseline: ${r}`)];
      if (saved.outputsLeftOut) warnings.push(`baseline: ${saved.outputsLeftOut} case outputs left out (the stored outputs reached ${Math.round(MAX_BASELINE_OUTPUTS_TOTAL / 1024 / 1024)} MB); reports will not show their baseline output`);
      if (flags.json) {
        process.stdout.write(JSON.stringify({ file, runId: saved.baseline.runId, suites: suites.length, variants, cases, warnings }, null, 2) + '\n');
        return;
      }
      const rel = path.relative(process.cwd(), file) || file;
      process.stdout.write(
        `Saved the baseline of run ${saved.baseline.runId} to ${rel}: ${suites.length} suite(s), ${variants} variant(s), ${cases} case outcome(s).\n` +
          `Commit it; CI then gates with \`llm-eval run --baseline ${rel}\`.\n`,
      );
      for (const w of warnings) process.stdout.write(`warning: ${w}\n`);
    });
}
