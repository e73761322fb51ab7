import { grownTo } from './arrays.js';

/** A set of small non-negative integers, one bit each (12.5 KB per 100,000): see runner/pendingCases.ts. */
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
