import type { Command } from 'commander';
import { displayFile, UsageError } from '../../errors.js';

const FORMATS = ['promptfoo'];

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('write llm-eval.yaml, prompts/ and datasets/ from another tool\'s config (promptfoo)')
    .argument('<format>', `the other tool: ${FORMATS.join(', ')}`)
    .argument('<file>', 'its config file, e.g. promptfooconfig.yaml')
    .option('--dir <folder>', 'where to write the llm-eval project', '.')
    .option('--force', 'overwrite existing files')
    .action(async (format: string, file: string, flags: { dir: string; force?: boolean }) => {
      if (!FORMATS.includes(format)) throw new UsageError(`import ${format}: unknown format (formats: ${FORMATS.join(', ')})`);
      // Loaded when the command runs, so other commands' start-up does not pay for the importer.
      const [{ importPromptfoo }, { writeProjectFiles }] = await Promise.all([import('../../importers/promptfoo/index.js'), import('../../init/projectFiles.js')]);
      const result = importPromptfoo(file);
      const written = await writeProjectFiles('import', flags.dir, result.files, Boolean(flags.force));
      const out = process.stdout;
      out.write(`Imported ${displayFile(file)}: ${result.prompts.length} prompt(s), ${result.models.length} model(s), ${result.suites.length} suite(s).\n`);
      for (const s of result.suites) out.write(`  suite ${s.name}: ${s.rows} row(s), ${s.graders} grader(s)\n`);
      out.write(`Wrote ${written.length} files in ${displayFile(flags.dir) || '.'}: ${written.join(', ')}\n`);
      if (result.notes.length) {
        out.write(`\nNot carried over or changed (${result.notes.length}), also listed at the top of llm-eval.yaml:\n`);
        for (const n of result.notes) out.write(`  ${n.where}: ${n.message}\n`);
      } else out.write('Everything was mapped.\n');
      out.write('\nNext: `npx llm-eval validate`, then `npx llm-eval run`.\n');
    });
}
