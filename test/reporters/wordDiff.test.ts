import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { wordDiff, type DiffPart } from '../../src/reporters/html/wordDiff.js';

const side = (parts: DiffPart[], which: -1 | 1): string => parts.filter(([op]) => op === 0 || op === which).map(([, t]) => t).join('');

describe('wordDiff', () => {
  it('marks the changed word and keeps the rest', () => {
    expect(wordDiff('The cat sat on the mat.', 'The dog sat on the mat.')).toEqual([
      [0, 'The '],
      [-1, 'cat'],
      [1, 'dog'],
      [0, ' sat on the mat.'],
    ]);
  });

  it('reports an insertion in the middle as one added run', () => {
    expect(wordDiff('Category: billing. Thanks', 'Category: billing. Summary: refund asked. Thanks')).toEqual([
      [0, 'Category: billing. '],
      [1, 'Summary: refund asked. '],
      [0, 'Thanks'],
    ]);
  });

  it('treats punctuation as its own token, so a changed comma is not a changed word', () => {
    expect(wordDiff('yes, please', 'yes please')).toEqual([
      [0, 'yes'],
      [-1, ','],
      [0, ' please'],
    ]);
  });

  it('returns one kept part for identical texts and nothing for two empty ones', () => {
    expect(wordDiff('same text', 'same text')).toEqual([[0, 'same text']]);
    expect(wordDiff('', '')).toEqual([]);
  });

  it('always rebuilds both texts from its parts, and never emits two adjacent parts of one kind', () => {
    const text = fc.array(fc.constantFrom('a', 'b', 'cat', 'dog', ' ', '  ', '\n', ',', '.', 'é', '😀', '<x>'), { maxLength: 40 }).map((t) => t.join(''));
    fc.assert(
      fc.property(text, text, (a, b) => {
        const parts = wordDiff(a, b);
        expect(side(parts, -1)).toBe(a);
        expect(side(parts, 1)).toBe(b);
        for (let i = 1; i < parts.length; i++) expect(parts[i]![0]).not.toBe(parts[i - 1]![0]);
      }),
      { numRuns: 300 },
    );
  });

  it('falls back to one removal and one addition when the middle is too large for the table', () => {
    const a = Array.from({ length: 300 }, (_, i) => `a${i}`).join(' ');
    const b = Array.from({ length: 300 }, (_, i) => `b${i}`).join(' ');
    const parts = wordDiff(`start ${a} end`, `start ${b} end`, 10_000);
    expect(parts).toEqual([
      [0, 'start '],
      [-1, a],
      [1, b],
      [0, ' end'],
    ]);
  });
});
