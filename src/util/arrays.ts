/**
 * Array helpers that never spread a list into call arguments: `push(...list)` and
 * `Math.min(...list)` put every element on the call stack and throw RangeError ("Maximum call
 * stack size exceeded") somewhere above ~100,000 elements, which per-case lists reach.
 */

/** Appends every item to `target` (like `target.push(...items)`, for any length); returns `target`. */
export function pushAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}

/** The smallest value, or `empty` when there is none (like `Math.min(...values)`, for any length). */
export function minOf(values: Iterable<number>, empty: number): number {
  let min = Infinity;
  let any = false;
  for (const v of values) {
    any = true;
    if (v < min || Number.isNaN(v)) min = v;
    if (Number.isNaN(min)) return NaN;
  }
  return any ? min : empty;
}

/** The largest value, or `empty` when there is none (like `Math.max(...values)`, for any length). */
export function maxOf(values: Iterable<number>, empty: number): number {
  let max = -Infinity;
  let any = false;
  for (const v of values) {
    any = true;
    if (v > max || Number.isNaN(v)) max = v;
    if (Number.isNaN(max)) return NaN;
  }
  return any ? max : empty;
}

type GrowableArray = Uint8Array<ArrayBuffer> | Uint32Array<ArrayBuffer> | Float64Array<ArrayBuffer>;

/** A copy of typed array `from`, `length` long (zeros past its end): how the compact tables grow. */
export function grownTo<T extends GrowableArray>(from: T, length: number): T {
  const to = new (from.constructor as new (length: number) => T)(length);
  to.set(from);
  return to;
}
