import { hostname } from 'node:os';
import path from 'node:path';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { LlmEvalError } from '../errors.js';

/**
 * The lock of a run folder: `<run>/.lock`, created exclusively by the process working on the
 * run and removed when it is done. A second process (two `--resume` of the same run at once)
 * is refused with exit 2 instead of calling every case again and writing duplicate lines. A
 * lock left by a process that died (kill -9, a crash) on this machine is taken over.
 */

export const LOCK_FILE = '.lock';

interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
}

export interface RunLock {
  readonly file: string;
  release(): Promise<void>;
}

/** True when a process with this pid exists (EPERM: it exists but belongs to someone else). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readLock(file: string): Promise<LockInfo | null> {
  try {
    const info = JSON.parse(await readFile(file, 'utf8')) as Partial<LockInfo>;
    return typeof info.pid === 'number' && typeof info.host === 'string' ? { pid: info.pid, host: info.host, startedAt: String(info.startedAt ?? '') } : null;
  } catch {
    return null;
  }
}

export async function acquireRunLock(runDir: string): Promise<RunLock> {
  const file = path.join(runDir, LOCK_FILE);
  const mine: LockInfo = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  const text = JSON.stringify(mine) + '\n';
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(file, text, { flag: 'wx' });
      return {
        file,
        async release() {
          const held = await readLock(file);
          if (held && held.pid === mine.pid && held.startedAt === mine.startedAt) await rm(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new LlmEvalError('RUN_LOCK', `Cannot lock the run folder ${runDir}: ${(err as Error).message}`, 2);
      }
    }
    const held = await readLock(file);
    // A lock being written this instant reads as empty: look again rather than take it over.
    if (!held) {
      await new Promise((r) => setTimeout(r, 50));
      if (!(await readLock(file))) await rm(file, { force: true });
      continue;
    }
    const sameHost = held.host === mine.host;
    if (sameHost && !alive(held.pid)) {
      // Stale: its process is gone. Take it over.
      await rm(file, { force: true });
      continue;
    }
    throw new LlmEvalError(
      'RUN_LOCKED',
      `Run ${path.basename(runDir)} is in use by another llm-eval process (pid ${held.pid}${sameHost ? '' : ` on ${held.host}`}, since ${held.startedAt}). ` +
        `Wait for it to finish, or stop it; a lock left by a process that died is taken over automatically${sameHost ? '' : ' (on another machine: delete ' + file + ' once that process is gone)'}.`,
      2,
    );
  }
  throw new LlmEvalError('RUN_LOCKED', `Run ${path.basename(runDir)} is being locked by other processes at the same time; try again.`, 2);
}
