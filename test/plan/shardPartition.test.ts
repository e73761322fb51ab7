import { describe, expect, it } from 'vitest';
import { inShard, parseShard, shardOf } from '../../src/plan/shard.js';
import { UsageError } from '../../src/errors.js';

const ids = Array.from({ length: 3000 }, (_, i) => `case-${i}`);

describe('shards: a stable partition of cases by id', () => {
  it('every case is in exactly one of 1/3, 2/3, 3/3', () => {
    for (const id of ids) {
      const hits = [1, 2, 3].filter((index) => inShard(id, { index, total: 3 }));
      expect(hits).toHaveLength(1);
    }
  });

  it('is stable: the shard depends on the id alone, not on order or on other rows', () => {
    const forward = ids.map((id) => shardOf(id, 3));
    const backward = [...ids].reverse().map((id) => shardOf(id, 3)).reverse();
    expect(backward).toEqual(forward);
    // Pinned values: a change of hash would silently reshuffle CI shards against old runs.
    // (sha256 of the id, first 48 bits, mod 3, plus 1 — computed independently with node:crypto)
    expect(['a', 'b', 'c', 'ticket-17', 'h3f9a2b1c0de'].map((id) => shardOf(id, 3))).toEqual([1, 1, 3, 3, 1]);
  });

  it('is roughly balanced (each of 3 shards within 10% of 1000 of 3000 cases)', () => {
    const counts = [0, 0, 0];
    for (const id of ids) counts[shardOf(id, 3) - 1]!++;
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(100);
  });

  it('1/1 holds everything', () => {
    expect(ids.every((id) => inShard(id, { index: 1, total: 1 }))).toBe(true);
  });

  it('parses I/N and rejects anything else with a usage error', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, total: 3 });
    expect(parseShard(' 1 / 4 ')).toEqual({ index: 1, total: 4 });
    for (const bad of ['0/3', '4/3', '2', '2/0', 'a/b', '-1/3', '1.5/3']) {
      expect(() => parseShard(bad)).toThrow(UsageError);
    }
    expect(() => parseShard('4/3')).toThrow(/1 ≤ I ≤ N/);
  });
});
