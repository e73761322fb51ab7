import type { RepeatStats } from '../types.js';
import { minOf } from '../util/arrays.js';

/**
 * What repeated samples of the same case say: how likely a case is to pass, whether at least
 * one of k tries passes (pass@k), whether all k do (pass^k), and which cases are flaky.
 */

/**
 * Unbiased pass@k from n samples of which c passed (Chen et al. 2021, "Evaluating Large Language
 * Models Trained on Code", eq. 1): 1 − C(n−c, k)/C(n, k), computed as the product
 * 1 − Π_{i=n−c+1..n} (1 − k/i) so that large n never overflows.
 */
export function passAtK(n: number, c: number, k: number): number {
  checkCounts(n, c, k);
  if (n - c < k) return 1;
  let prodFail = 1;
  for (let i = n - c + 1; i <= n; i++) prodFail *= 1 - k / i;
  return 1 - prodFail;
}

/**
 * Unbiased pass^k (all of k independent tries pass; Yao et al. 2024, τ-bench) from n samples of
 * which c passed: C(c, k)/C(n, k) = Π_{i=0..k−1} (c − i)/(n − i).
 */
export function passHatK(n: number, c: number, k: number): number {
  checkCounts(n, c, k);
  let prod = 1;
  for (let i = 0; i < k; i++) prod *= (c - i) / (n - i);
  return Math.max(0, prod);
}

function checkCounts(n: number, c: number, k: number): void {
  if (!(Number.isInteger(n) && Number.isInteger(c) && Number.isInteger(k)) || n < 1 || c < 0 || c > n || k < 1 || k > n) {
    throw new RangeError(`pass@k needs integers 1 ≤ k ≤ n and 0 ≤ c ≤ n (got n=${n}, c=${c}, k=${k})`);
  }
}

export type { RepeatStats };

export interface CasePassCount {
  caseId: string;
  passes: number;
  n: number;
}


function* sampleSizes(cases: Iterable<CasePassCount>): Generator<number> {
  for (const c of cases) if (c.n > 0) yield c.n;
}

/**
 * Per-variant repeat statistics for report.json and the gate output. With one sample per case
 * every case is trivially "always" or "never" and pass@1 = pass^1 = the pass rate.
 */
export function repeatStats(cases: Iterable<CasePassCount>, opts: { maxListed?: number } = {}): RepeatStats {
  // Two passes over `cases` (an array, or any re-iterable view) rather than a copy: k first.
  const k = minOf(sampleSizes(cases), 1);
  let count = 0;
  let sumP = 0;
  let sumAt = 0;
  let sumHat = 0;
  let alwaysPass = 0;
  let neverPass = 0;
  const histogram = new Array<number>(k + 1).fill(0);
  const flaky: Array<{ id: string; p: number }> = [];
  for (const c of cases) {
    if (c.n <= 0) continue;
    count++;
    const p = c.passes / c.n;
    sumP += p;
    sumAt += passAtK(c.n, c.passes, k);
    sumHat += passHatK(c.n, c.passes, k);
    histogram[Math.round(p * k)]!++;
    if (c.passes === c.n) alwaysPass++;
    else if (c.passes === 0) neverPass++;
    else flaky.push({ id: c.caseId, p });
  }
  // Distance from ½ rounded so that 1/3 and 2/3 tie exactly despite floating point.
  const uncertainty = (p: number) => Math.round(Math.abs(p - 0.5) * 1e9);
  flaky.sort((a, b) => uncertainty(a.p) - uncertainty(b.p) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const m = count || 1;
  return {
    cases: count,
    k,
    meanPassProbability: sumP / m,
    passAtK: sumAt / m,
    passHatK: sumHat / m,
    flaky: flaky.length,
    alwaysPass,
    neverPass,
    histogram,
    flakyCases: flaky.slice(0, opts.maxListed ?? 50).map((f) => f.id),
  };
}
