import type { Command } from 'commander';
import { displayFile } from '../../errors.js';
import { escapeControlChars } from '../../util/controlChars.js';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check config, prompt templates and datasets; no model is called')
    .option('--config <file>', 'config file (default: llm-eval.yaml found from the current folder up)')
    .option('--suite <name...>', 'check only these suites')
    .action(async (flags: { config?: string; suite?: string[] }) => {
      // Loaded when the command runs, so `--help` and `--version` stay fast.
      const [{ loadConfig }, { validateProject }] = await Promise.all([import('../../config/load.js'), import('../../runner/validateProject.js')]);
      const config = await loadConfig({ configFile: flags.config });
      const result = await validateProject(config, { suites: flags.suite });
      process.stdout.write(`${displayFile(config.file)}: OK\n`);
      for (const s of result.suites) {
        process.stdout.write(`  ${escapeControlChars(s.name)}: ${s.rows} rows × ${s.variants} variants × ${s.repeat} repeats = ${s.cases} cases${s.classification ? ', classification' : ''}
`);
        if (s.classification) process.stdout.write(`    classification because ${escapeControlChars(s.classificationReason)}
`);
      }
      for (const w of result.warnings) process.stdout.write(`warning: ${escapeControlChars(w)}\n`);
    });
}
