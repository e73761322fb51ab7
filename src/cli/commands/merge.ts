import path from 'node:path';
import type { Command } from 'commander';
import type { ReportFormat } from '../../reporters/types.js';
import { formats } from '../options.js';
import { formatComparison, projectContext } from './compare.js';
import { escapeControlChars } from '../../util/controlChars.js';

interface MergeFlags {
  out?: string;
  config?: string;
  baseline?: string;
  format?: ReportFormat[];
  json?: boolean;
  allowPartial?: boolean;
}

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description('join shard runs (run --shard I/N) into one run with one report and one gate verdict')
    .argument('<dirs...>', 'shard run folders (or run ids)')
    .option('--out <dir>', 'reports folder for the merged run (default: the config\'s reports/)')
    .option('--baseline <file>', 'also gate the merged run against a baseline, as `run --baseline`')
    .option('--format <list>', 'report files to write: html,json,junit,md (default: all)', formats)
    .option('--config <file>', 'config file, for the suites\' gates')
    .option('--allow-partial', 'merge even when shards are missing (gate on the cases present) instead of exiting 3')
    .option('--json', 'print the merged report.json')
    .action(async (dirs: string[], flags: MergeFlags) => {
      // Loaded when the command runs, so `--help` and `--version` stay fast.
      const [{ resolveRunDir }, { mergeRuns }] = await Promise.all([import('../../results/store.js'), import('../../runner/merge.js')]);
      const ctx = await projectContext(flags.config);
      const outDir = path.resolve(flags.out ?? ctx.outDir);
      const runDirs: string[] = [];
      for (const d of dirs) runDirs.push(await resolveRunDir(d, ctx.outDir));
      const merged = await mergeRuns({
        dirs: runDirs,
        outDir,
        suites: ctx.config?.suites,
        configHash: ctx.config?.hash,
        configFile: ctx.config?.file,
        baseline: flags.baseline,
        allowPartial: flags.allowPartial,
        formats: flags.format ?? ['json', 'html', 'junit', 'md'],
      });
      merged.warnings = [...ctx.warnings, ...merged.warnings];
      if (flags.json) {
        process.stdout.write(JSON.stringify(merged.report, null, 2) + '\n');
      } else {
        const out: string[] = [`Merged ${runDirs.length} run(s) into ${path.relative(process.cwd(), merged.dir) || merged.dir}: ${merged.records} case line(s)${merged.duplicates ? `, ${merged.duplicates} duplicate(s) dropped` : ''}.`];
        for (const s of merged.report.suites)
          for (const v of s.variants) out.push(`  ${s.name}/${v.name}: ${v.passed}/${v.cases} passed (${(v.passRate * 100).toFixed(1)}%)${v.repeats?.flaky ? `, ${v.repeats.flaky} flaky` : ''}`);
        // The regression verdict is part of the gate printed below; the warnings are in merged.warnings.
        if (merged.comparison) out.push(formatComparison(merged.comparison, [], { verdict: false, warnings: false }).trimEnd());
        for (const w of merged.warnings) out.push(`warning: ${w}`);
        out.push(merged.report.gate.passed ? 'Gate: passed.' : `Gate: failed\n${merged.report.gate.failures.map((f) => `  ✗ [${f.rule}] ${f.message}`).join('\n')}`);
        process.stdout.write(escapeControlChars(out.join('\n')) + '\n');
      }
      process.exitCode = merged.exitCode;
    });
}
