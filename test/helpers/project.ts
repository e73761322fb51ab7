import { cpSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cliBin = path.join(repoRoot, 'bin', 'llm-eval.js');

/** A throwaway copy of an example project (without its reports or cache). */
export function copyExample(name = 'quickstart'): string {
  const dir = mkdtempSync(path.join(tmpdir(), `llm-eval-${name}-`));
  cpSync(path.join(repoRoot, 'examples', name), dir, {
    recursive: true,
    filter: (src) => !/[\\/](reports|\.llm-eval)([\\/]|$)/.test(path.relative(path.join(repoRoot, 'examples', name), src)),
  });
  return dir;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI as a user would, with a clean environment (no keys, CI mode). The terminal
 * summary fits $COLUMNS (80 in a pipe): tests get a wide one so a long line they look for stays one
 * line; the width tests (test/reporters/reportsThroughCli.test.ts) set COLUMNS=80 themselves.
 */
export function runCli(args: string[], cwd: string, env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, [cliBin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', CI: 'true', NO_COLOR: '1', COLUMNS: '1000', ...env },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function editFile(file: string, edit: (text: string) => string): void {
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
}

export { existsSync, readFileSync, writeFileSync, path };

/** 1-based number of the first line of `file` that contains `text` (0 when none does). */
export function lineContaining(file: string, text: string): number {
  return readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;
}
