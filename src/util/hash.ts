import { createHash } from 'node:crypto';
import stableStringify from 'fast-json-stable-stringify';

/** sha256 of a string or buffer, as hex, cut to `length` chars (12 is plenty to tell versions apart). */
export function shortHash(data: string | Uint8Array, length = 12): string {
  return createHash('sha256').update(data).digest('hex').slice(0, length);
}

/** Key-order-independent JSON: the one way to turn a value into a hashable string. */
export function stableJson(value: unknown): string {
  return stableStringify(value);
}

/** Hash of a JSON-like value, independent of key order. */
export function valueHash(value: unknown, length = 12): string {
  return shortHash(stableJson(value), length);
}
