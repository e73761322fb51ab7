import { describe, expect, it } from 'vitest';
import { findPii } from '../../src/graders/pii.js';
import { loadCorpus, score, splitCorpus, type Scores } from './corpora/corpus.js';

/**
 * The pii grader's built-in detectors (default options) against labelled sets of personal data
 * in several countries' formats (e-mail, cards, IBANs in either case and with dashes, US SSNs,
 * phones from the US, UK, DE, FR, ES, IN, IT, NL, AU, JP, BR, labelled in prose, JSON keys and
 * other languages, IPs) and hard negatives (dates, prices, versions, section numbers, zero-led
 * references, invalid cards and IBANs, private addresses). A row is positive when it holds any
 * personal data; per-row precision and recall must reach 0.95 (issue 20).
 *
 * pii.jsonl's held-out split (ids divisible by 3) was looked at once after tuning and three
 * general fixes followed, so pii-holdout2.jsonl was written afterwards as a fresh held-out set,
 * measured once and not tuned against.
 */

interface PiiRow {
  id: string;
  kinds: string[];
  text: string;
}

function measure(rows: PiiRow[]): Scores & { kindsExact: number } {
  const predictions = rows.map((r) => ({ row: r, kinds: [...new Set(findPii(r.text).map((f) => f.kind))].sort() }));
  const positives = predictions.filter((p) => p.row.kinds.length > 0);
  const kindsExact = positives.filter((p) => p.kinds.join() === [...p.row.kinds].sort().join()).length / positives.length;
  return { ...score(predictions.map((p) => ({ predicted: p.kinds.length > 0, actual: p.row.kinds.length > 0 }))), kindsExact };
}

describe('pii on held-out evaluation sets (default options)', () => {
  it.each([
    ['pii.jsonl held-out split', splitCorpus(loadCorpus<PiiRow>('pii')).heldout],
    ['pii-holdout2.jsonl', loadCorpus<PiiRow>('pii-holdout2')],
  ])('%s: per-row precision and recall ≥ 0.95, and the right kinds', (_name, rows) => {
    expect(rows.filter((r) => r.kinds.length > 0).length).toBeGreaterThanOrEqual(20);
    expect(rows.filter((r) => r.kinds.length === 0).length).toBeGreaterThanOrEqual(20);
    const s = measure(rows);
    expect(s.precision).toBeGreaterThanOrEqual(0.95);
    expect(s.recall).toBeGreaterThanOrEqual(0.95);
    expect(s.kindsExact).toBeGreaterThanOrEqual(0.95);
  });
});
