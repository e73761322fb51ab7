import type { Command } from 'commander';

/** Every CLI command, in help order. Each module registers one command on the program. */
export const commands: Array<(program: Command) => void> = [];
