import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The durable record of provider batches, in the run folder `batches/`:
 *
 * - `<intent id>.intent`: a submission intent, written before the batch is created (and again
 *   with the input file id once OpenAI has it). It names the custom_ids and the time, so a
 *   process killed between the provider accepting the batch and the record below being written
 *   can find that batch again on resume (execute/batch/intents.ts) instead of paying twice.
 * - `<batch id>.json`: the batch record, written the moment the provider returns the batch id,
 *   before anything waits on it; the intent is removed after it. A resume (any process, any
 *   machine with the run folder) reads them and collects instead of submitting again.
 *
 * Every file is written atomically (temp file + rename).
 */

export const BATCHES_DIR = 'batches';
const INTENT_EXT = '.intent';

export interface BatchRecord {
  v: 1;
  /** The configured model name whose requests the batch holds. */
  model: string;
  vendor: 'openai' | 'anthropic';
  batchId: string;
  createdAt: string;
  /** custom_id → what asked for it (`candidate` or `judge`), in submission order. */
  requests: Record<string, 'candidate' | 'judge'>;
  /** custom_id → how many calls asked for it, where more than one (identical requests): its outcome is kept until each has it. */
  uses?: Record<string, number>;
  /** The submission intent it answers. */
  intentId?: string;
}

/** A batch about to be created: a record without its batch id yet. */
export interface BatchIntent extends Omit<BatchRecord, 'batchId' | 'intentId'> {
  intentId: string;
  /** OpenAI: the uploaded input file, once uploaded. */
  inputFileId?: string;
}

export async function writeBatchRecord(runDir: string, rec: BatchRecord): Promise<void> {
  await writeAtomic(runDir, `${rec.batchId.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`, rec);
}

export async function writeBatchIntent(runDir: string, intent: BatchIntent): Promise<void> {
  await writeAtomic(runDir, intentFileName(intent.intentId), intent);
}

export async function removeBatchIntent(runDir: string, intentId: string): Promise<void> {
  await rm(batchIntentFile(runDir, intentId), { force: true });
}

export function batchIntentFile(runDir: string, intentId: string): string {
  return path.join(runDir, BATCHES_DIR, intentFileName(intentId));
}

/** Every batch recorded in the run folder, oldest first (a follow-up batch overrides its custom_ids). */
export async function readBatchRecords(runDir: string): Promise<BatchRecord[]> {
  const out = await readAll<BatchRecord>(runDir, '.json');
  return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** Submission intents left in the run folder (a process stopped between them and their record). */
export async function readBatchIntents(runDir: string): Promise<BatchIntent[]> {
  return readAll<BatchIntent>(runDir, INTENT_EXT);
}

function intentFileName(intentId: string): string {
  return `${intentId.replace(/[^A-Za-z0-9_.-]/g, '_')}${INTENT_EXT}`;
}

async function writeAtomic(runDir: string, name: string, value: unknown): Promise<void> {
  const dir = path.join(runDir, BATCHES_DIR);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, name);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(value) + '\n', { flush: true });
  await rename(tmp, file);
}

async function readAll<T>(runDir: string, ext: string): Promise<T[]> {
  const dir = path.join(runDir, BATCHES_DIR);
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(ext));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: T[] = [];
  for (const n of names) out.push(JSON.parse(await readFile(path.join(dir, n), 'utf8')) as T);
  return out;
}
