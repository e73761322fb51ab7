import { describe, expect, it } from 'vitest';
import { agreementOf, confusionMatrix, describeKappa } from '../../src/stats/agreement.js';

describe("Cohen's kappa", () => {
  it('matches a hand-checked 2×2 example', () => {
    // 10 rows, human (rows) × judge (columns):
    //                judge pass  judge fail
    //   human pass        4           1        → human pass 5
    //   human fail        2           3        → human fail 5
    //                judge pass 6, judge fail 4
    // p_o = (4 + 3) / 10 = 0.7
    // p_e = (5·6 + 5·4) / 10² = (30 + 20) / 100 = 0.5
    // κ = (0.7 − 0.5) / (1 − 0.5) = 0.4  ("fair")
    // SE = √(0.7·0.3 / (10·0.5²)) = √0.084 = 0.28983; 95% CI = 0.4 ± 1.96·0.28983 = [−0.16806, 0.96806]
    const pairs = [
      ...Array(4).fill(['pass', 'pass']),
      ['pass', 'fail'],
      ...Array(2).fill(['fail', 'pass']),
      ...Array(3).fill(['fail', 'fail']),
    ] as Array<['pass' | 'fail', 'pass' | 'fail']>;
    const matrix = confusionMatrix(['pass', 'fail'], pairs);
    expect(matrix).toEqual([
      [4, 1],
      [2, 3],
    ]);
    const a = agreementOf(matrix);
    expect(a.n).toBe(10);
    expect(a.observed).toBeCloseTo(0.7, 12);
    expect(a.expected).toBeCloseTo(0.5, 12);
    expect(a.kappa).toBeCloseTo(0.4, 12);
    expect(a.kappaCI95![0]).toBeCloseTo(-0.16806, 4);
    expect(a.kappaCI95![1]).toBeCloseTo(0.96806, 4);
    expect(describeKappa(a.kappa)).toBe('fair');
  });

  it('is 1 for perfect agreement, 0 at chance, negative when worse, undefined when both give one label to everything', () => {
    expect(agreementOf([[3, 0], [0, 7]]).kappa).toBe(1);
    // Independent raters: p_o = (1 + 1) / 4 = 0.5 = p_e → κ = 0
    expect(agreementOf([[1, 1], [1, 1]]).kappa).toBe(0);
    // Always opposite: p_o = 0, p_e = 0.5 → κ = −1
    expect(agreementOf([[0, 5], [5, 0]]).kappa).toBe(-1);
    // Human and judge pass everything: 100% agreement, but no information: κ undefined.
    const all = agreementOf([[8, 0], [0, 0]]);
    expect(all.observed).toBe(1);
    expect(all.kappa).toBeNull();
    expect(agreementOf([[0, 0], [0, 0]]).kappa).toBeNull();
  });

  it('works for more than two labels', () => {
    const c = agreementOf([[3, 1, 1], [1, 2, 0], [0, 1, 1]]);
    // p_o = (3 + 2 + 1) / 10 = 0.6; rows (5, 3, 2), cols (4, 4, 2): p_e = (5·4 + 3·4 + 2·2) / 100 = 0.36
    // κ = (0.6 − 0.36) / (1 − 0.36) = 0.375
    expect(c.observed).toBeCloseTo(0.6, 12);
    expect(c.expected).toBeCloseTo(0.36, 12);
    expect(c.kappa).toBeCloseTo(0.375, 12);
  });
});
