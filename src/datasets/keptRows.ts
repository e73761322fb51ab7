import { stat } from 'node:fs/promises';
import type { DatasetRow } from '../types.js';
import { readDataset } from './read.js';

/** The largest dataset file (bytes on disk) whose rows are kept between the check and the run. */
export const KEEP_ROWS_MAX_BYTES = 8 * 1024 * 1024;

/**
 * Rows the dataset check read, kept for the run that follows: the run neither reads and parses
 * the file again nor sees a row that changed after it was checked, and the renders the check
 * made (prompts/keptRenders.ts, keyed by the row object) are found again. Only small files are
 * kept; a larger dataset is streamed again by the run, so memory never grows with the dataset.
 */
export class KeptRows {
  private readonly byFile = new Map<string, readonly DatasetRow[]>();

  constructor(private readonly maxBytes = KEEP_ROWS_MAX_BYTES) {}

  /** Whether the check should collect `file`'s rows: it is small enough and not kept yet. */
  async wants(file: string): Promise<boolean> {
    if (this.byFile.has(file)) return false;
    const info = await stat(file).catch(() => undefined);
    return info !== undefined && info.isFile() && info.size <= this.maxBytes;
  }

  /** Keeps the rows of a file the check read whole and found no problem in. */
  keep(file: string, rows: readonly DatasetRow[]): void {
    this.byFile.set(file, rows);
  }

  /** The kept rows of `file`, if any. */
  kept(file: string): readonly DatasetRow[] | undefined {
    return this.byFile.get(file);
  }

  /** A dataset's rows in file order: the kept ones, else streamed from the file. */
  async *read(file: string): AsyncGenerator<DatasetRow> {
    const kept = this.byFile.get(file);
    if (kept === undefined) {
      yield* readDataset(file);
      return;
    }
    for (const row of kept) yield row;
  }
}
