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

describe('wordDiff and grapheme clusters', () => {
  // Every part must start on a grapheme boundary: a part that begins with a combining mark, a
  // ZWJ or an emoji modifier has cut a cluster in two (the old regex tokenizer did exactly that).
  const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  const boundaries = (text: string): Set<number> => new Set([...graphemes.segment(text)].map((s) => s.index).concat(text.length));
  const cutsCluster = (a: string, b: string): boolean => {
    const parts = wordDiff(a, b);
    for (const which of [-1, 1] as const) {
      const text = which < 0 ? a : b;
      const ok = boundaries(text);
      let at = 0;
      for (const [op, t] of parts) {
        if (op !== 0 && op !== which) continue;
        if (!ok.has(at)) return true;
        at += t.length;
      }
    }
    return false;
  };

  it('keeps a combining accent with its letter (e + U+0301 against e + U+0300)', () => {
    expect(cutsCluster('caf\u0065\u0301 noir', 'caf\u0065\u0300 noir')).toBe(false);
    expect(side(wordDiff('caf\u0065\u0301 noir', 'caf\u0065\u0300 noir'), -1)).toBe('caf\u0065\u0301 noir');
  });

  it('keeps a ZWJ family emoji whole when one member changes', () => {
    const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}';
    const other = '\u{1F468}\u200D\u{1F469}\u200D\u{1F466}';
    expect(cutsCluster(`hi ${family}!`, `hi ${other}!`)).toBe(false);
  });

  it('never cuts a cluster on random text with marks and joiners', () => {
    const alphabet = fc.constantFrom('a', 'e', ' ', '.', '\u0301', '\u0300', '\u200D', '\u{1F468}', '\u{1F3FD}', '\u05D0', '\u202E');
    fc.assert(fc.property(fc.array(alphabet, { maxLength: 24 }).map((x) => x.join('')), fc.array(alphabet, { maxLength: 24 }).map((x) => x.join('')), (a, b) => !cutsCluster(a, b)));
  });
});
