import * as crypto from 'node:crypto';
import stableStringify from 'fast-json-stable-stringify';

/**
 * One-shot sha256 as hex: `crypto.hash` (Node 20.12+) is about 3× faster than a Hash object for
 * the small strings hashed per case; older Node 20 releases fall back to createHash.
 */
const sha256Hex: (data: string | Uint8Array) => string =
  typeof crypto.hash === 'function' ? (data) => crypto.hash('sha256', data, 'hex') : (data) => crypto.createHash('sha256').update(data).digest('hex');

/** sha256 of a string or buffer, as hex, cut to `length` chars (12 is plenty to tell versions apart). */
export function shortHash(data: string | Uint8Array, length = 12): string {
  return sha256Hex(data).slice(0, length);
}

/** Key-order-independent JSON: the one way to turn a value into a hashable string. */
export function stableJson(value: unknown): string {
  return stableStringify(value);
}

/** Hash of a JSON-like value, independent of key order. */
export function valueHash(value: unknown, length = 12): string {
  return shortHash(stableJson(value), length);
}

/** FNV-1a over a string's UTF-16 code units, 32 bits: a fast hash for in-memory tables, never stored. */
export function fnv1a32(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
