/**
 * Wilson score interval for a binomial proportion: honest near 0 and 1 and for small n,
 * where the normal ("Wald") interval collapses to [1, 1] after 10/10 passes.
 */
export function wilsonInterval(successes: number, n: number, z = 1.959963984540054): [number, number] {
  if (n <= 0) return [0, 1];
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export interface CasePassRateInterval {
  /** Wilson 95% interval of the mean per-case pass rate. */
  ci95: [number, number];
  /** 'wilson': one sample per case; 'wilson-clustered-by-case': repeats pooled within each case. */
  method: 'wilson' | 'wilson-clustered-by-case';
  /** Distinct cases (the unit of the interval) and samples (cases × repeats). */
  cases: number;
  samples: number;
}

/**
 * The pass rate's interval with the case as the unit: Wilson on Σ (case pass rate) out of the
 * number of cases. Repeats of a case are correlated, so 60 cases × 3 repeats carry the evidence
 * of 60 cases, not 180; the mean of per-case rates in [0, 1] has variance at most μ(1 − μ)/cases,
 * so Wilson's interval stays conservative with fractional successes.
 */
export function casePassRateInterval(cases: Iterable<{ passes: number; n: number }>): CasePassRateInterval {
  let m = 0;
  let samples = 0;
  let rateSum = 0;
  let repeated = false;
  for (const c of cases) {
    if (c.n <= 0) continue;
    m++;
    samples += c.n;
    rateSum += c.passes / c.n;
    if (c.n > 1) repeated = true;
  }
  return { ci95: wilsonInterval(rateSum, m), method: repeated ? 'wilson-clustered-by-case' : 'wilson', cases: m, samples };
}
