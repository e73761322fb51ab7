import { describe, expect, it } from 'vitest';
import { StringTable } from '../../src/util/stringTable.js';

describe('StringTable', () => {
  it('agrees with a Map over a seeded mix of sets, overwrites and lookups (through several growths)', () => {
    let seed = 7;
    const rand = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const alphabet = 'abcdefghij0123456789-_/#~éü';
    const keyOf = (): string => Array.from({ length: 1 + rand(12) }, () => alphabet[rand(alphabet.length)]).join('');
    const table = new StringTable();
    const truth = new Map<string, number>();
    for (let i = 0; i < 30_000; i++) {
      const key = keyOf();
      const value = rand(2 ** 31) * 2; // up to 2^32 - 2: the full unsigned range
      table.set(key, value);
      truth.set(key, value);
    }
    expect(table.size).toBe(truth.size);
    for (const [k, v] of truth) expect(table.get(k)).toBe(v);
    for (let i = 0; i < 30_000; i++) {
      const probe = keyOf() + 'z';
      expect(table.has(probe)).toBe(truth.has(probe));
    }
  });

  it('keeps keys that differ only past a shared hash bucket, the empty key, and keys with characters above U+00FF', () => {
    const table = new StringTable();
    table.set('', 1);
    table.set('a', 2);
    table.set('a\u0000', 3);
    table.set('日本', 4);
    table.set('\u00ff', 5);
    expect(table.get('')).toBe(1);
    expect(table.get('a')).toBe(2);
    expect(table.get('a\u0000')).toBe(3);
    expect(table.get('日本')).toBe(4);
    expect(table.get('\u00ff')).toBe(5);
    expect(table.get('日')).toBeUndefined();
    expect(table.size).toBe(5);
  });

  it('lists every entry in first-set order, wide keys in their place, with their latest values', () => {
    const table = new StringTable();
    table.set('le-1', 0);
    table.set('日本', 7);
    table.set('b\u00e9', 1);
    table.set('le-1', 1);
    expect([...table.entries()]).toEqual([
      ['le-1', 1],
      ['日本', 7],
      ['b\u00e9', 1],
    ]);
    expect([...table.keys()]).toEqual(['le-1', '日本', 'b\u00e9']);
  });
});
