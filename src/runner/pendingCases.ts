import type { EvalCase } from '../types.js';
import { BitSet } from '../util/bitSet.js';
import { grownTo } from '../util/arrays.js';
import { fnv1a32 } from '../util/hash.js';

/**
 * The cases a batch-mode pass left pending, for the next pass to run again (runner/runEval.ts):
 * a bit per case by its place in the expansion (`EvalCase.ordinal`), where a set of case keys
 * took about 7 MB per 100,000 cases. A hash of each case's key is kept beside it, so a dataset
 * edited between passes cannot make a different case take a pending one's place.
 */
export class PendingCases {
  private readonly ordinals = new BitSet();
  private keyHashes = new Uint32Array(0);

  add(c: EvalCase): void {
    if (c.ordinal >= this.keyHashes.length) this.keyHashes = grownTo(this.keyHashes, Math.max(c.ordinal + 1, this.keyHashes.length * 2));
    this.ordinals.add(c.ordinal);
    this.keyHashes[c.ordinal] = fnv1a32(c.key);
  }

  has(c: EvalCase): boolean {
    return this.ordinals.has(c.ordinal) && this.keyHashes[c.ordinal] === fnv1a32(c.key);
  }

  get size(): number {
    return this.ordinals.size;
  }
}
