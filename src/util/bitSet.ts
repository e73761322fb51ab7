import { grownTo } from './arrays.js';

/**
 * A set of small non-negative integers, one bit each: batch mode's cases left pending between
 * passes, named by their place in the expansion (plan/expand.ts), take 12.5 KB per 100,000
 * cases where a set of their keys took about 7 MB.
 */
export class BitSet {
  private bits = new Uint32Array(0);
  private count = 0;

  add(n: number): void {
    const word = n >>> 5;
    if (word >= this.bits.length) this.bits = grownTo(this.bits, Math.max(word + 1, this.bits.length * 2));
    const mask = 1 << (n & 31);
    if ((this.bits[word]! & mask) === 0) {
      this.bits[word]! |= mask;
      this.count++;
    }
  }

  has(n: number): boolean {
    const word = n >>> 5;
    return word < this.bits.length && (this.bits[word]! & (1 << (n & 31))) !== 0;
  }

  get size(): number {
    return this.count;
  }
}
