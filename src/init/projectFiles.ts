import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';

/**
 * Writing a new project's files (init, import). Every file is checked before one is written, so
 * a refused write leaves nothing half-done; existing files are overwritten only with `force`.
 */
export function refuseOverwrite(command: string, dir: string, files: string[], force: boolean): void {
  if (force) return;
  const clashes = files.filter((f) => existsSync(path.join(dir, f)));
  if (clashes.length) throw new UsageError(`${command} would overwrite ${clashes.slice(0, 5).join(', ')}${clashes.length > 5 ? '…' : ''} in ${dir}; pass --force or choose --dir.`);
}

export async function writeProjectFiles(command: string, dir: string, files: Array<{ path: string; content: string }>, force: boolean): Promise<string[]> {
  const to = path.resolve(dir);
  refuseOverwrite(command, to, files.map((f) => f.path), force);
  for (const f of files) {
    const target = path.join(to, f.path);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, f.content);
  }
  return files.map((f) => f.path);
}
