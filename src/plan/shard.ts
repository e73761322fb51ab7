import { createHash } from 'node:crypto';
import { UsageError } from '../errors.js';

/** Shard `index` of `total` (1-based, as typed: `--shard 2/3`). */
export interface Shard {
  index: number;
  total: number;
}

/**
 * The shard a case id belongs to, 1..total. A stable partition by a hash of the case id alone:
 * every variant and repeat of a row lands in the same shard (so paired analysis within a shard
 * sees whole cases), the split is the same on every machine and run, and it does not depend on
 * row order or on which other rows exist (adding a row never moves another one).
 */
export function shardOf(caseId: string, total: number): number {
  const h = createHash('sha256').update(caseId).digest();
  // 48 bits of the hash: far more buckets than any shard count, so the modulo bias is nil.
  const x = h.readUIntBE(0, 6);
  return (x % total) + 1;
}

export function inShard(caseId: string, shard: Shard): boolean {
  return shard.total <= 1 || shardOf(caseId, shard.total) === shard.index;
}

/** Parses `I/N` (1 ≤ I ≤ N); anything else is a usage error saying what is expected. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const usage = `--shard takes I/N, the shard to run and how many there are, with 1 ≤ I ≤ N (e.g. --shard 2/3); got "${text}"`;
  if (!m) throw new UsageError(usage);
  const index = Number(m[1]);
  const total = Number(m[2]);
  if (total < 1 || index < 1 || index > total) throw new UsageError(usage);
  return { index, total };
}

export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.total}`;
}
