import { describe, expect, it } from 'vitest';
import citations from '../../src/graders/citations.js';
import { loadCorpus, score, splitCorpus } from './corpora/corpus.js';
import { makeCtx, makeGrader } from './securityEnv.js';

/**
 * The citations grader against its labelled set (corpora/citations.jsonl): answers citing three
 * provided documents (doc-1..doc-3) in the formats models write — brackets, labelled brackets,
 * 【n†source】, (doc-n), Source: lines, superscripts, <cite>, footnote definitions — with or
 * without an invented source; and look-alikes that cite nothing (years, array indexes, unit
 * exponents, links, task boxes, code). Positive = the row cites an invented source.
 */

const documents = [
  { id: 'doc-1', text: 'The Eiffel Tower is 330 metres tall.' },
  { id: 'doc-2', text: 'It opened in 1889.' },
  { id: 'doc-3', text: 'It is repainted every seven years.' },
];
const { heldout } = splitCorpus(loadCorpus<{ id: string; invented: boolean; output: string }>('citations'));

describe('citations on the held-out evaluation set', () => {
  it('invented sources: recall ≥ 0.9 at precision ≥ 0.9', async () => {
    expect(heldout.filter((r) => r.invented).length).toBeGreaterThanOrEqual(6);
    expect(heldout.filter((r) => !r.invented).length).toBeGreaterThanOrEqual(6);
    const grader = await makeGrader(citations);
    const pairs = [];
    for (const r of heldout) {
      const grade = await grader.grade(makeCtx(r.output, { vars: { documents } }));
      pairs.push({ predicted: ((grade.details?.['invented'] as string[] | undefined) ?? []).length > 0, actual: r.invented });
    }
    const s = score(pairs);
    expect(s.recall).toBeGreaterThanOrEqual(0.9);
    expect(s.precision).toBeGreaterThanOrEqual(0.9);
  });
});
