import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The durable record of submitted provider batches, in the run folder: one file per batch,
 * `batches/<batch id>.json`, written atomically (temp file + rename) the moment the provider
 * returns the batch id, before anything waits on it. A resume (any process, any machine with
 * the run folder) reads them and collects instead of submitting again.
 */

export const BATCHES_DIR = 'batches';

export interface BatchRecord {
  v: 1;
  /** The configured model name whose requests the batch holds. */
  model: string;
  vendor: 'openai' | 'anthropic';
  batchId: string;
  createdAt: string;
  /** custom_id → what asked for it (`candidate` or `judge`), in submission order. */
  requests: Record<string, 'candidate' | 'judge'>;
}

export async function writeBatchRecord(runDir: string, rec: BatchRecord): Promise<void> {
  const dir = path.join(runDir, BATCHES_DIR);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${rec.batchId.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(rec) + '\n', { flush: true });
  await rename(tmp, file);
}

/** Every batch recorded in the run folder, oldest first (a follow-up batch overrides its custom_ids). */
export async function readBatchRecords(runDir: string): Promise<BatchRecord[]> {
  const dir = path.join(runDir, BATCHES_DIR);
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: BatchRecord[] = [];
  for (const n of names) out.push(JSON.parse(await readFile(path.join(dir, n), 'utf8')) as BatchRecord);
  return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}
