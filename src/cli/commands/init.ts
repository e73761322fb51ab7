import type { Command } from 'commander';
import { initProject, initTemplates } from '../../init/scaffold.js';
import { displayFile } from '../../errors.js';

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('scaffold llm-eval.yaml, prompts/ and datasets/ that run offline')
    .option('--template <name>', `starting point: ${initTemplates().join(', ')}`, 'quickstart')
    .option('--dir <folder>', 'where to create the project', '.')
    .option('--force', 'overwrite existing files')
    .action(async (flags: { template: string; dir: string; force?: boolean }) => {
      const written = await initProject({ template: flags.template, dir: flags.dir, force: Boolean(flags.force) });
      process.stdout.write(`Created ${written.length} files from the "${flags.template}" template in ${displayFile(flags.dir) || '.'}.\n`);
      process.stdout.write('Next: `npx llm-eval validate`, then `npx llm-eval run` (runs offline, no API key needed).\n');
    });
}
