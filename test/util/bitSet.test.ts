import { describe, expect, it } from 'vitest';
import { BitSet } from '../../src/util/bitSet.js';

describe('BitSet', () => {
  it('holds exactly the numbers added, across word edges and growth, and counts each once', () => {
    const set = new BitSet();
    const added = [0, 31, 32, 33, 63, 64, 1000, 99_999, 31];
    for (const n of added) set.add(n);
    expect(set.size).toBe(8);
    for (let n = 0; n < 100_100; n++) expect(set.has(n)).toBe(added.includes(n));
  });

  it('agrees with a Set on a seeded random sequence', () => {
    let seed = 12345;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 50_000;
    const set = new BitSet();
    const truth = new Set<number>();
    for (let i = 0; i < 20_000; i++) {
      const n = next();
      set.add(n);
      truth.add(n);
    }
    expect(set.size).toBe(truth.size);
    for (let n = 0; n < 50_000; n++) expect(set.has(n)).toBe(truth.has(n));
  });
});
