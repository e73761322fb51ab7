import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/**
 * sha256 of a dataset file's bytes, first 12 hex chars, read as a stream (a large file is never
 * held in memory). Baselines record it so a comparison can warn when the golden set changed.
 */
export async function datasetHash(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex').slice(0, 12);
}
