import { describe, expect, it } from 'vitest';
import { maxOf, minOf, pushAll } from '../../src/util/arrays.js';

// 300,000 elements: above the ~120,000 arguments a spread call puts on V8's default stack.
const BIG = 300_000;

describe('array helpers work at any length (no spread into call arguments)', () => {
  it('pushAll appends 300,000 items in order', () => {
    const target = ['first'];
    const items = Array.from({ length: BIG }, (_, i) => `item-${i}`);
    expect(pushAll(target, items)).toBe(target);
    expect(target.length).toBe(BIG + 1);
    expect(target[1]).toBe('item-0');
    expect(target[BIG]).toBe(`item-${BIG - 1}`);
  });

  it('minOf and maxOf over 300,000 values: the smallest and largest of 7, 8, …, 300,006 and a 3 placed in the middle', () => {
    const values = Array.from({ length: BIG }, (_, i) => i + 7);
    values[150_000] = 3;
    expect(minOf(values, 1)).toBe(3);
    expect(maxOf(values, 0)).toBe(BIG + 6);
    expect(maxOf(new Set([2, 9, 4]), 0)).toBe(9);
  });

  it('give the fallback for no values, and NaN when a value is NaN (as Math.min/Math.max do)', () => {
    expect(minOf([], 1)).toBe(1);
    expect(maxOf([], 0)).toBe(0);
    expect(minOf([2, NaN, 1], 1)).toBeNaN();
    expect(maxOf([2, NaN, 1], 0)).toBeNaN();
  });
});
