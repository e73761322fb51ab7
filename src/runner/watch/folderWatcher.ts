import { watch, type FSWatcher } from 'node:fs';

/**
 * Watches a set of folders (not recursively: Node 20 has no recursive fs.watch on Linux) and
 * calls `onChange` once things have been quiet for `debounceMs`: an editor's save, often several
 * events, becomes one call.
 */
export interface FolderWatcher {
  /** Watches exactly these folders from now on. */
  setFolders(dirs: string[]): void;
  close(): void;
}

export function watchFolders(onChange: () => void, debounceMs: number): FolderWatcher {
  const watchers = new Map<string, FSWatcher>();
  let timer: NodeJS.Timeout | undefined;
  const fire = (): void => {
    clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
  };
  const unwatch = (dir: string): void => {
    watchers.get(dir)?.close();
    watchers.delete(dir);
  };
  return {
    setFolders(dirs) {
      for (const dir of [...watchers.keys()]) if (!dirs.includes(dir)) unwatch(dir);
      for (const dir of dirs) {
        if (watchers.has(dir)) continue;
        try {
          const w = watch(dir, { persistent: true }, fire);
          // A watched folder that goes away: forget it; the next reload works out the folders again.
          w.on('error', () => {
            unwatch(dir);
            fire();
          });
          watchers.set(dir, w);
        } catch {
          // Gone between listing and watching: the next reload lists the folders again.
        }
      }
    },
    close() {
      clearTimeout(timer);
      for (const dir of [...watchers.keys()]) unwatch(dir);
    },
  };
}
