import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';
import { handleError } from './exit.js';
import { commands } from './commands/index.js';

const require = createRequire(import.meta.url);
const pkg = require('../../package.json') as { version: string };

/** Builds the commander program. Each command lives in cli/commands/<name>.ts and only parses and prints. */
export function buildProgram(): Command {
  const program = new Command('llm-eval')
    .description('Evaluate LLM prompts and models against golden datasets; gate CI on regressions.')
    .version(pkg.version, '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of commands) register(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage errors with 1 → ours is 2.
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    process.exitCode = handleError(err);
  }
}
