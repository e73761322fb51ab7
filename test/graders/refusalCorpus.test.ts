import { describe, expect, it } from 'vitest';
import { detectRefusal } from '../../src/graders/refusal/detect.js';
import { DEFAULT_REFUSAL_THRESHOLD } from '../../src/graders/refusal.js';
import { loadCorpus, score, splitCorpus } from './corpora/corpus.js';

/**
 * The refusal detector against its labelled evaluation set (corpora/refusal.jsonl: refusals and
 * answers in English, French, German and Spanish; terse, policy, in-character, safe-alternative
 * and crisis-line refusals; answers that quote refusals or talk about rules). Targets from
 * issue 20: recall ≥ 0.85 at precision ≥ 0.90 on the held-out split, in each language.
 */

interface RefusalRow {
  id: string;
  label: 'refusal' | 'answer';
  lang: 'en' | 'fr' | 'de' | 'es';
  style: string;
  text: string;
}

const { heldout } = splitCorpus(loadCorpus<RefusalRow>('refusal'));

function measure(rows: RefusalRow[]) {
  return score(rows.map((r) => ({ predicted: detectRefusal(r.text).confidence >= DEFAULT_REFUSAL_THRESHOLD, actual: r.label === 'refusal' })));
}

describe('refusal on the held-out evaluation set', () => {
  it('holds enough rows of both labels in every language to measure', () => {
    for (const lang of ['en', 'fr', 'de', 'es'] as const) {
      const rows = heldout.filter((r) => r.lang === lang);
      expect(rows.filter((r) => r.label === 'refusal').length, lang).toBeGreaterThanOrEqual(6);
      expect(rows.filter((r) => r.label === 'answer').length, lang).toBeGreaterThanOrEqual(5);
    }
  });

  it.each(['en', 'fr', 'de', 'es'] as const)('%s: recall ≥ 0.85 at precision ≥ 0.90', (lang) => {
    const s = measure(heldout.filter((r) => r.lang === lang));
    expect(s.recall).toBeGreaterThanOrEqual(0.85);
    expect(s.precision).toBeGreaterThanOrEqual(0.9);
  });

  it('all languages together: recall ≥ 0.85 at precision ≥ 0.90', () => {
    const s = measure(heldout);
    expect(s.recall).toBeGreaterThanOrEqual(0.85);
    expect(s.precision).toBeGreaterThanOrEqual(0.9);
  });
});
