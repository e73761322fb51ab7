/**
 * Agreement between two raters who label the same items (a human and an LLM judge): observed
 * agreement, Cohen's kappa (agreement beyond what the two raters' label frequencies would give by
 * chance), and the confusion matrix it is computed from. Pure functions.
 */

/** matrix[i][j] = items rater 1 labelled labels[i] and rater 2 labelled labels[j]. */
export function confusionMatrix<L extends string>(labels: readonly L[], pairs: Iterable<readonly [L, L]>): number[][] {
  const index = new Map(labels.map((l, i) => [l, i]));
  const matrix = labels.map(() => labels.map(() => 0));
  for (const [r1, r2] of pairs) {
    const i = index.get(r1);
    const j = index.get(r2);
    if (i === undefined || j === undefined) throw new Error(`label ${i === undefined ? r1 : r2} is not one of ${labels.join(', ')}`);
    matrix[i]![j]!++;
  }
  return matrix;
}

export interface Agreement {
  /** Items rated by both. */
  n: number;
  /** Share of items both raters labelled the same: p_o. */
  observed: number;
  /** Agreement expected by chance from each rater's label frequencies: p_e = Σ_k row_k · col_k / n². */
  expected: number;
  /**
   * Cohen's kappa (p_o − p_e) / (1 − p_e): 1 perfect, 0 no better than chance, < 0 worse. Null
   * when undefined: no items, or p_e = 1 (both raters gave one and the same label to everything,
   * so chance alone explains the agreement and there is nothing to measure).
   */
  kappa: number | null;
  /** Large-sample 95% interval of kappa, √(p_o(1 − p_o) / (n(1 − p_e)²)) × 1.96 either side; null with kappa. */
  kappaCI95: [number, number] | null;
}

export function agreementOf(matrix: number[][]): Agreement {
  const k = matrix.length;
  let n = 0;
  let diagonal = 0;
  const rows = new Array<number>(k).fill(0);
  const cols = new Array<number>(k).fill(0);
  for (let i = 0; i < k; i++) {
    if (matrix[i]!.length !== k) throw new Error('the confusion matrix must be square');
    for (let j = 0; j < k; j++) {
      const c = matrix[i]![j]!;
      n += c;
      rows[i]! += c;
      cols[j]! += c;
      if (i === j) diagonal += c;
    }
  }
  if (n === 0) return { n, observed: 0, expected: 0, kappa: null, kappaCI95: null };
  const observed = diagonal / n;
  let expected = 0;
  for (let i = 0; i < k; i++) expected += (rows[i]! * cols[i]!) / (n * n);
  // p_e = 1 only when both raters used a single, identical label; float noise aside.
  if (expected >= 1 - 1e-12) return { n, observed, expected, kappa: null, kappaCI95: null };
  const kappa = (observed - expected) / (1 - expected);
  const se = Math.sqrt((observed * (1 - observed)) / (n * (1 - expected) ** 2));
  const clamp = (x: number): number => Math.max(-1, Math.min(1, x));
  return { n, observed, expected, kappa, kappaCI95: [clamp(kappa - 1.96 * se), clamp(kappa + 1.96 * se)] };
}

/** Landis & Koch (1977) bands, the usual words for a kappa. */
export function describeKappa(kappa: number | null): string {
  if (kappa === null) return 'undefined (every item got the same label from both raters)';
  if (kappa < 0) return 'poor (worse than chance)';
  if (kappa <= 0.2) return 'slight';
  if (kappa <= 0.4) return 'fair';
  if (kappa <= 0.6) return 'moderate';
  if (kappa <= 0.8) return 'substantial';
  return 'almost perfect';
}
