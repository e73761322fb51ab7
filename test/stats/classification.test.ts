import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConfusionCounter, normalizeLabel, OTHER_LABEL, classificationDecision, looksLikeLabel } from '../../src/stats/classification.js';

/** Adds `n` cases expected as `e` and predicted as `p`. */
function addMany(c: ConfusionCounter, e: string, p: string, n: number): void {
  for (let i = 0; i < n; i++) c.add(e, p);
}

describe('ConfusionCounter', () => {
  // Hand-computed: 10 cases over labels a, b, c, one answer outside the label set.
  //   expected a: 3 × a, 1 × b        expected b: 2 × b, 1 × c        expected c: 1 × c, 1 × a, 1 × "garbage"
  // a: tp 3, predicted 4, support 4 → P 3/4, R 3/4, F1 3/4
  // b: tp 2, predicted 3, support 3 → P 2/3, R 2/3, F1 2/3
  // c: tp 1, predicted 2, support 3 → P 1/2, R 1/3, F1 2·(1/6)/(5/6) = 2/5
  // accuracy 6/10; macro F1 (3/4 + 2/3 + 2/5) / 3
  function handExample(): ConfusionCounter {
    const c = new ConfusionCounter();
    addMany(c, 'a', 'a', 3);
    c.add('a', 'b');
    addMany(c, 'b', 'b', 2);
    c.add('b', 'c');
    c.add('c', 'c');
    c.add('c', 'a');
    c.add('c', 'garbage');
    return c;
  }

  it('computes accuracy, per-label precision, recall, F1 and support, and macro F1', () => {
    const m = handExample().metrics();
    expect(m.accuracy).toBeCloseTo(0.6);
    expect(m.perLabel['a']!.precision).toBeCloseTo(3 / 4);
    expect(m.perLabel['a']!.recall).toBeCloseTo(3 / 4);
    expect(m.perLabel['a']!.f1).toBeCloseTo(3 / 4);
    expect(m.perLabel['b']).toMatchObject({ support: 3 });
    expect(m.perLabel['b']!.precision).toBeCloseTo(2 / 3);
    expect(m.perLabel['b']!.recall).toBeCloseTo(2 / 3);
    expect(m.perLabel['c']!.precision).toBeCloseTo(1 / 2);
    expect(m.perLabel['c']!.recall).toBeCloseTo(1 / 3);
    expect(m.perLabel['c']!.f1).toBeCloseTo(2 / 5);
    expect(m.perLabel['c']!.support).toBe(3);
    expect(m.macroF1).toBeCloseTo((3 / 4 + 2 / 3 + 2 / 5) / 3);
    expect(Object.keys(m.perLabel)).toEqual(['a', 'b', 'c']);
  });

  it('builds the confusion matrix with sorted labels and one (other) column for answers outside the set', () => {
    const { confusion } = handExample().metrics();
    expect(confusion.labels).toEqual(['a', 'b', 'c', OTHER_LABEL]);
    expect(confusion.matrix).toEqual([
      [3, 1, 0, 0],
      [0, 2, 1, 0],
      [1, 0, 1, 1],
      [0, 0, 0, 0],
    ]);
  });

  it('leaves (other) out when every answer is a label', () => {
    const c = new ConfusionCounter();
    c.add('yes', 'no');
    c.add('no', 'no');
    expect(c.metrics().confusion).toEqual({ labels: ['no', 'yes'], matrix: [[1, 0], [1, 0]] });
  });

  it('gives precision 0 to a label never predicted and recall 0 to one never expected', () => {
    const c = new ConfusionCounter(['x', 'y', 'z']);
    c.add('x', 'z');
    c.add('y', 'y');
    const m = c.metrics();
    expect(m.perLabel['x']).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
    // z is known and predicted but never expected: a column of its own, support 0
    expect(m.perLabel['z']).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(m.confusion.labels).toEqual(['x', 'y', 'z']);
    expect(m.macroF1).toBeCloseTo(1 / 3);
  });

  it('with known labels, folds unknown predictions into (other) as they arrive', () => {
    const c = new ConfusionCounter(['cat', 'dog']);
    c.add('cat', 'a cat, I think');
    c.add('dog', 'dog');
    const m = c.metrics();
    expect(m.confusion.labels).toEqual(['cat', 'dog', OTHER_LABEL]);
    expect(m.perLabel['cat']!.recall).toBe(0);
  });

  it('keeps (other) apart from a real label spelt "(other)"', () => {
    const c = new ConfusionCounter();
    c.add(OTHER_LABEL, OTHER_LABEL);
    c.add(OTHER_LABEL, 'x'.repeat(500));
    const m = c.metrics();
    expect(m.confusion.labels).toEqual([OTHER_LABEL, `${OTHER_LABEL}*`]);
    expect(m.confusion.matrix[0]).toEqual([1, 1]);
  });

  it('is all zeros with no cases', () => {
    const c = new ConfusionCounter();
    expect(c.total()).toBe(0);
    expect(c.metrics()).toEqual({ accuracy: 0, perLabel: {}, macroF1: 0, confusion: { labels: [], matrix: [] } });
  });

  it('keeps its invariants for any sequence of cases', () => {
    const label = fc.constantFrom('a', 'b', 'c', 'junk');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), label), { minLength: 1, maxLength: 60 }), (pairs) => {
        const c = new ConfusionCounter();
        for (const [e, p] of pairs) c.add(e, p);
        const m = c.metrics();
        const total = m.confusion.matrix.flat().reduce((s, x) => s + x, 0);
        expect(total).toBe(pairs.length);
        expect(c.total()).toBe(pairs.length);
        const correct = pairs.filter(([e, p]) => e === p).length;
        expect(m.accuracy).toBeCloseTo(correct / pairs.length);
        for (const stats of Object.values(m.perLabel)) {
          for (const v of [stats.precision, stats.recall, stats.f1]) expect(v >= 0 && v <= 1).toBe(true);
        }
        const supports = Object.values(m.perLabel).reduce((s, x) => s + x.support, 0);
        expect(supports).toBe(pairs.length);
      }),
    );
  });
});

describe('normalizeLabel', () => {
  const known = new Set(['Billing', 'technical support', 'unsure?']);

  it('trims and strips quotes, Markdown and punctuation around a label', () => {
    expect(normalizeLabel('  "billing".\n')).toBe('billing');
    expect(normalizeLabel('**Billing**')).toBe('Billing');
    expect(normalizeLabel('`account`')).toBe('account');
    expect(normalizeLabel('(yes)')).toBe('yes');
  });

  it('matches a known label case-insensitively and returns its spelling', () => {
    expect(normalizeLabel('BILLING', known)).toBe('Billing');
    expect(normalizeLabel('"billing."', known)).toBe('Billing');
    expect(normalizeLabel('Technical   Support\n', known)).toBe('technical support');
  });

  it('keeps punctuation that belongs to a known label', () => {
    expect(normalizeLabel('Unsure?', known)).toBe('unsure?');
  });

  it('returns the cleaned text when no known label matches', () => {
    expect(normalizeLabel('"Sales"', known)).toBe('Sales');
  });
});

describe('classification detection', () => {
  const counts = (entries: Array<[string, number]>): Map<string, number> => new Map(entries);

  it('detects a suite whose every expected value is one of a few repeated short labels, and says why', () => {
    const d = classificationDecision(undefined, { rows: 8, labelRows: 8, labels: counts([['billing', 3], ['shipping', 3], ['other', 2]]) });
    expect(d.classification).toBe(true);
    expect(d.reason).toMatch(/one of 3 short labels \(billing, shipping, other\)/);
  });

  it('does not call answers that happen to repeat a label set: one answer used once is enough to say no', () => {
    // A QA set: 5 rows, "Paris" twice, "4" twice, "blue whale" once.
    const d = classificationDecision(undefined, { rows: 5, labelRows: 5, labels: counts([['Paris', 2], ['4', 2], ['blue whale', 1]]) });
    expect(d.classification).toBe(false);
    expect(d.reason).toMatch(/"blue whale" is used by one row only/);
  });

  it('needs every row to have a label-like expected value', () => {
    expect(looksLikeLabel('billing')).toBe(true);
    expect(looksLikeLabel('4 stars')).toBe(true);
    expect(looksLikeLabel('The capital of France is Paris.')).toBe(false);
    expect(looksLikeLabel('x'.repeat(41))).toBe(false);
    expect(classificationDecision(undefined, { rows: 10, labelRows: 9, labels: counts([['a', 5], ['b', 4]]) }).classification).toBe(false);
  });

  it('accepts at most 10 labels by default; labels.max changes that', () => {
    const twelve = counts(Array.from({ length: 12 }, (_, i): [string, number] => [`l${i}`, 3]));
    expect(classificationDecision(undefined, { rows: 36, labelRows: 36, labels: twelve }).classification).toBe(false);
    expect(classificationDecision({ max: 12 }, { rows: 36, labelRows: 36, labels: twelve }).classification).toBe(true);
  });

  it('the config decides when it says: labels.expected or true forces it, false turns it off', () => {
    const evidence = { rows: 8, labelRows: 8, labels: counts([['yes', 4], ['no', 4]]) };
    expect(classificationDecision(false, evidence)).toEqual({ classification: false, reason: '`labels: false` in the config' });
    expect(classificationDecision(true, { rows: 3, labelRows: 0, labels: counts([]) }).classification).toBe(true);
    expect(classificationDecision({ expected: '{{ expected.category }}' }, evidence).reason).toMatch(/`labels:` in the config/);
  });
});
