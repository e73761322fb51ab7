import type { ClassificationMetrics } from '../types.js';

/**
 * Classification metrics for suites whose expected value is a label.
 *
 * Decisions (documented for the README):
 * - Labels are those expected by some case, plus predicted labels that are known (passed to the
 *   constructor) or expected somewhere; they are sorted by code point.
 * - Any other prediction (free text, a typo, a label outside the set) is counted in one
 *   `(other)` column, last, so a chatty model cannot blow the matrix up to thousands of columns.
 *   `(other)` has a matrix row of zeros (no case expects it) and no per-label metrics; its
 *   predictions count as misses in the recall of the expected labels.
 * - Precision of a label never predicted is 0, recall of a label never expected is 0, and F1 is
 *   0 when both are 0 (scikit-learn's zero_division=0). Macro F1 is the mean F1 over the labels.
 * - With no cases, accuracy and macro F1 are 0.
 */

export const OTHER_LABEL = '(other)';

/** Internal column for predictions outside the label set: a symbol, so no real label can collide with it. */
const OUTSIDE = Symbol('outside the label set');

/** A prediction longer than this is prose, not a label: it goes to `(other)` without being kept. */
const MAX_LABEL_LENGTH = 100;

export class ConfusionCounter {
  private readonly known: Set<string> | undefined;
  /** expected → predicted → count. Memory grows with distinct label pairs, never with cases. */
  private readonly counts = new Map<string, Map<string | typeof OUTSIDE, number>>();
  private n = 0;

  /** `knownLabels`: the label set, when known in advance (predictions outside it go to `(other)` at once). */
  constructor(knownLabels?: Iterable<string>) {
    this.known = knownLabels ? new Set(knownLabels) : undefined;
  }

  add(expected: string, predicted: string): void {
    const keep = predicted.length <= MAX_LABEL_LENGTH && (!this.known || this.known.has(predicted) || this.counts.has(predicted));
    const column = keep ? predicted : OUTSIDE;
    let row = this.counts.get(expected);
    if (!row) {
      row = new Map();
      this.counts.set(expected, row);
    }
    row.set(column, (row.get(column) ?? 0) + 1);
    this.n++;
  }

  /** Number of cases added. */
  total(): number {
    return this.n;
  }

  metrics(): ClassificationMetrics {
    const expectedLabels = new Set(this.counts.keys());
    const labelSet = new Set(expectedLabels);
    for (const row of this.counts.values()) {
      for (const p of row.keys()) if (p !== OUTSIDE && (expectedLabels.has(p) || this.known?.has(p))) labelSet.add(p);
    }
    const labels = [...labelSet].sort();
    const index = new Map(labels.map((l, i) => [l, i]));

    // Every prediction outside the label set lands in one extra column (named so it cannot clash with a real label).
    let other = OTHER_LABEL;
    while (labelSet.has(other)) other = `${other}*`;
    const otherIndex = labels.length;
    const size = labels.length + 1;
    const matrix = Array.from({ length: size }, () => new Array<number>(size).fill(0));
    for (const [e, row] of this.counts) {
      const i = index.get(e)!;
      for (const [p, count] of row) {
        const j = p === OUTSIDE ? otherIndex : (index.get(p) ?? otherIndex);
        matrix[i]![j]! += count;
      }
    }
    const otherUsed = matrix.some((row) => row[otherIndex]! > 0);

    let correct = 0;
    let f1Sum = 0;
    const perLabel: ClassificationMetrics['perLabel'] = {};
    labels.forEach((label, i) => {
      const tp = matrix[i]![i]!;
      const support = matrix[i]!.reduce((s, x) => s + x, 0);
      const predicted = matrix.reduce((s, row) => s + row[i]!, 0);
      const precision = predicted > 0 ? tp / predicted : 0;
      const recall = support > 0 ? tp / support : 0;
      const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
      perLabel[label] = { precision, recall, f1, support };
      correct += tp;
      f1Sum += f1;
    });

    const shownLabels = otherUsed ? [...labels, other] : labels;
    const shownMatrix = (otherUsed ? matrix : matrix.slice(0, labels.length).map((row) => row.slice(0, labels.length))).map((row) => [...row]);
    return {
      accuracy: this.n > 0 ? correct / this.n : 0,
      perLabel,
      macroF1: labels.length > 0 ? f1Sum / labels.length : 0,
      confusion: { labels: shownLabels, matrix: shownMatrix },
    };
  }
}

/** Quotes, brackets, Markdown emphasis and punctuation a model wraps a label in: `"Billing".`, `**billing**`. */
const WRAPPING = /^[\s"'`“”‘’«»*_.,;:!?()[\]{}<>]+|[\s"'`“”‘’«»*_.,;:!?()[\]{}<>]+$/g;

const lookups = new WeakMap<Set<string>, { size: number; byKey: Map<string, string> }>();

function lookupFor(known: Set<string>): Map<string, string> {
  let entry = lookups.get(known);
  if (!entry || entry.size !== known.size) {
    const byKey = new Map<string, string>();
    for (const label of known) {
      const key = label.trim().toLowerCase();
      if (!byKey.has(key)) byKey.set(key, label);
    }
    entry = { size: known.size, byKey };
    lookups.set(known, entry);
  }
  return entry.byKey;
}

/**
 * A model's output read as a label: trimmed, inner whitespace collapsed, then matched to a known
 * label case-insensitively (as written, then without wrapping quotes and punctuation, so a label
 * that itself ends in `?` still matches). Returns the known label's spelling on a match, else
 * the cleaned text.
 */
export function normalizeLabel(output: string, knownLabels?: Set<string>): string {
  const trimmed = output.trim().replace(/\s+/g, ' ');
  const cleaned = trimmed.replace(WRAPPING, '');
  if (!knownLabels || knownLabels.size === 0) return cleaned;
  const byKey = lookupFor(knownLabels);
  return byKey.get(trimmed.toLowerCase()) ?? byKey.get(cleaned.toLowerCase()) ?? cleaned;
}

/** Labels a suite may have and still be detected as classification (`labels.max` overrides). */
export const DEFAULT_MAX_LABELS = 10;
/** A label is a short name (`billing`, `not_spam`, `4 stars`), not an answer sentence. */
const MAX_AUTO_LABEL_CHARS = 40;
const MAX_AUTO_LABEL_WORDS = 3;

export function looksLikeLabel(text: string): boolean {
  if (text === '' || text.length > MAX_AUTO_LABEL_CHARS || /[\n.?!]$|\n/.test(text)) return false;
  return text.split(/\s+/).length <= MAX_AUTO_LABEL_WORDS;
}

/** What the dataset scan saw of a suite's expected values. */
export interface LabelEvidence {
  rows: number;
  /** Rows whose expected is a string that looks like a label. */
  labelRows: number;
  /** Distinct labels seen, with how many rows each (the scan stops adding labels past `max + 1`). */
  labels: Map<string, number>;
}

/**
 * Is a suite a classification suite? When the config says (`labels: { expected }` or
 * `labels: true`: yes; `labels: false`: no), that decides. Otherwise only when every row's
 * expected is one of a small set of short labels: at least 2 and at most `max` distinct, each
 * expected by at least two rows (answers that happen to repeat are not a label set). The reason
 * is printed by `validate`.
 */
export function classificationDecision(
  config: { expected?: string; max?: number } | boolean | undefined,
  evidence: LabelEvidence,
): { classification: boolean; reason: string } {
  if (config === false) return { classification: false, reason: '`labels: false` in the config' };
  if (config === true || (typeof config === 'object' && config.expected !== undefined)) {
    return { classification: true, reason: `\`labels:\` in the config${typeof config === 'object' && config.expected ? ` (label: ${config.expected})` : ''}` };
  }
  const max = (typeof config === 'object' ? config.max : undefined) ?? DEFAULT_MAX_LABELS;
  const n = evidence.labels.size;
  if (evidence.rows === 0 || evidence.labelRows < evidence.rows) return { classification: false, reason: 'not every row has a short label as its expected value' };
  if (n < 2 || n > max) return { classification: false, reason: `${n > max ? `more than ${max}` : n} distinct expected values (a label set has 2 to ${max}; set labels.max to change)` };
  const once = [...evidence.labels].find(([, count]) => count < 2);
  if (once) return { classification: false, reason: `the expected value ${JSON.stringify(once[0])} is used by one row only (a label set repeats every label)` };
  const shown = [...evidence.labels.keys()].slice(0, 5).join(', ') + (n > 5 ? ', …' : '');
  return {
    classification: true,
    reason: `every row's expected is one of ${n} short labels (${shown}); at most ${max} are detected (labels.max), \`labels: false\` turns this off`,
  };
}
