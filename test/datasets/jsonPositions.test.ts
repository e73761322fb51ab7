import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arrayElementOffsets, LineIndex, objectKeyOffsets } from '../../src/datasets/formats/jsonPositions.js';

const indent = fc.constantFrom(undefined, 2, '\t');

describe('JSON positions', () => {
  it('finds where each element of a top-level array starts, whatever the elements hold', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue()), indent, (array, space) => {
        const text = JSON.stringify(array, null, space);
        const offsets = arrayElementOffsets(text);
        expect(offsets).toHaveLength(array.length);
        offsets.forEach((start, i) => {
          const end = i + 1 < offsets.length ? offsets[i + 1]! : text.lastIndexOf(']');
          const slice = text.slice(start, end).trimEnd().replace(/,$/, '');
          expect(JSON.parse(slice)).toEqual(JSON.parse(JSON.stringify(array[i])));
        });
      }),
    );
  });

  it('finds where each key of an object starts, ignoring keys of nested objects', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), indent, (object, space) => {
        const text = JSON.stringify([object], null, space);
        const start = arrayElementOffsets(text)[0]!;
        const keys = objectKeyOffsets(text, start);
        expect([...keys.keys()].sort()).toEqual(Object.keys(object).sort());
        for (const [key, at] of keys) {
          const end = text.indexOf(':', at + JSON.stringify(key).length - 1);
          expect(JSON.parse(text.slice(at, end))).toBe(key);
        }
      }),
    );
  });

  it('maps offsets to 1-based lines', () => {
    const lines = new LineIndex('a\nbc\n\nd');
    expect([0, 1, 2, 4, 5, 6].map((o) => lines.lineAt(o))).toEqual([1, 1, 2, 2, 3, 4]);
  });
});
