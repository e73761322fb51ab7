import { describe, expect, it } from 'vitest';
import { fnv1a32, shortHash, valueHash } from '../../src/util/hash.js';

// Stored hashes (case content, prompt and config hashes in results.jsonl, baselines, the cache)
// must not change when the hashing code does: expected values are sha256 digests computed
// independently (the NIST test vector, and Python's hashlib for the others).
describe('hashes', () => {
  it('shortHash is sha256 as hex, cut to the length asked', () => {
    // NIST FIPS 180-2 example: sha256("abc")
    expect(shortHash('abc', 64)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(shortHash('abc')).toBe('ba7816bf8f01');
    expect(shortHash(Buffer.from('abc'))).toBe('ba7816bf8f01');
    // hashlib.sha256('é'.encode()).hexdigest()[:8]: strings are hashed as UTF-8
    expect(shortHash('é', 8)).toBe('4a99557e');
  });

  it('valueHash hashes key-order-independent JSON', () => {
    // hashlib.sha256(b'{"a":2,"b":[1,"x"]}').hexdigest()[:12]
    expect(valueHash({ b: [1, 'x'], a: 2 })).toBe('ff0dbc276228');
    expect(valueHash({ a: 2, b: [1, 'x'] })).toBe('ff0dbc276228');
  });
});

describe('fnv1a32', () => {
  it('matches the FNV-1a 32-bit test vectors (Fowler/Noll/Vo, draft-eastlake-fnv: "", "a", "foobar")', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });
});
