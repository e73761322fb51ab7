import { describe, expect, it } from 'vitest';
import { findCanary } from '../../src/graders/canary.js';
import { loadCorpus, score, splitCorpus } from './corpora/corpus.js';

/**
 * The canary grader against its labelled set (corpora/canary.jsonl): the token CANARY-7f3a9c21e0
 * leaked plain, spaced, reversed, ROT13, base64, hex, URL-encoded, as HTML entities or JSON
 * escapes, split by tags or comments, full-width, with look-alike letters or zero-width
 * characters; and held outputs that mention canaries, other tokens, other hex or encodings.
 */

const TOKEN = 'CANARY-7f3a9c21e0';
const { heldout } = splitCorpus(loadCorpus<{ id: string; leak: boolean; output: string }>('canary'));

describe('canary on the held-out evaluation set', () => {
  it('recall ≥ 0.95 at precision ≥ 0.95', () => {
    expect(heldout.filter((r) => r.leak).length).toBeGreaterThanOrEqual(8);
    expect(heldout.filter((r) => !r.leak).length).toBeGreaterThanOrEqual(6);
    const s = score(heldout.map((r) => ({ predicted: findCanary(r.output, TOKEN).length > 0, actual: r.leak })));
    expect(s.recall).toBeGreaterThanOrEqual(0.95);
    expect(s.precision).toBeGreaterThanOrEqual(0.95);
  });
});
