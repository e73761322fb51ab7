import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { similarityRatio } from '../../src/graders/similarity.js';
import { gradeOnce } from './helpers.js';

describe('similarityRatio', () => {
  it('is 1 − edit distance / longer length', () => {
    expect(similarityRatio('kitten', 'sitting')).toBeCloseTo(1 - 3 / 7);
    expect(similarityRatio('', '')).toBe(1);
    expect(similarityRatio('abc', '')).toBe(0);
  });

  it('stays within 0..1, is symmetric, and is 1 only for equal texts', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const s = similarityRatio(a, b);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
        expect(similarityRatio(b, a)).toBe(s);
        expect(s === 1).toBe(a === b);
      }),
    );
  });
});

describe('similarity grader', () => {
  it('scores the similarity and passes at the default threshold of 0.8', async () => {
    const near = await gradeOnce({ type: 'similarity', value: 'The quick brown fox' }, 'The quick brown fax');
    expect(near.pass).toBe(true);
    expect(near.score).toBeCloseTo(1 - 1 / 19);
    const far = await gradeOnce({ type: 'similarity', value: 'The quick brown fox' }, 'A slow red dog');
    expect(far.pass).toBe(false);
    expect(far.score).toBeLessThan(0.8);
    expect(far.reason).toMatch(/^similarity 0\.\d{3} < 0.8 to "The quick brown fox"$/);
  });

  it('honours threshold, ignoreCase and trim', async () => {
    expect((await gradeOnce({ type: 'similarity', value: 'kitten', threshold: 0.5 }, 'sitting')).pass).toBe(true);
    expect((await gradeOnce({ type: 'similarity', value: 'kitten', threshold: 0.9 }, 'sitting')).pass).toBe(false);
    expect((await gradeOnce({ type: 'similarity', value: 'HELLO', threshold: 1 }, 'hello')).pass).toBe(false);
    expect((await gradeOnce({ type: 'similarity', value: 'HELLO', threshold: 1, ignoreCase: true }, ' hello\n')).pass).toBe(true);
  });

  it("falls back to expected and renders template values", async () => {
    expect((await gradeOnce({ type: 'similarity' }, 'Paris, France', { expected: 'Paris, France.' })).pass).toBe(true);
    expect((await gradeOnce({ type: 'similarity', value: '{{ vars.city }}' }, 'Pari', { vars: { city: 'Paris' } })).score).toBeCloseTo(0.8);
  });
});
