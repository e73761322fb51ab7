import { describe, expect, it } from 'vitest';
import { compareOutcomes } from '../../src/comparison/compare.js';
import { regressionFailures } from '../../src/gate/regression.js';
import type { CaseSamples } from '../../src/stats/permutation.js';
import { drawPairs, flakySuite, rate, trinomial, type Population } from '../stats/pairedSimulation.js';
import { seededRandom } from '../../src/stats/rng.js';
import { outcomeSet } from '../results/runFixture.js';

/**
 * Seeded simulations of whole comparisons (compareOutcomes and the regression gate, as `run
 * --baseline` and `compare` use them): coverage of the reported interval and error rates of the
 * verdicts. Heavier sweeps live in bench/stats-simulation.mjs, their results in docs/statistics.md.
 */

function sides(pairs: readonly CaseSamples[]) {
  const before: Record<string, [number, number]> = {};
  const after: Record<string, [number, number]> = {};
  pairs.forEach((p, i) => {
    const id = `c${i}`;
    before[id] = [p.before.passes, p.before.n];
    after[id] = [p.after.passes, p.after.n];
  });
  return { before: outcomeSet('base', [{ cases: before }]), after: outcomeSet('run', [{ cases: after }]) };
}

function compare(pairs: readonly CaseSamples[], opts: { margin?: number; nonInferiority?: number } = {}) {
  const s = sides(pairs);
  const c = compareOutcomes(s.before, s.after, { suites: { tickets: { margin: opts.margin ?? 0 } }, nonInferiorityMargin: opts.nonInferiority });
  const failed = regressionFailures(c, () => ({ alpha: 0.05, margin: opts.margin ?? 0 })).length > 0;
  return { v: c.variants[0]!, failed, warnings: c.warnings };
}

const covers = (pop: Population, n: number, rb: number, ra: number) => (rand: () => number) => {
  const [lo, hi] = compare(drawPairs(rand, pop, n, rb, ra)).v.diffCI95;
  return lo <= pop.trueDiff && pop.trueDiff <= hi;
};

describe('95% interval of the change covers the truth at least 94% of the time', () => {
  it.each([
    ['one sample per case, churn both ways', trinomial(0.05, 0.05)],
    ['one sample per case, one-way flips', trinomial(0.1, 0)],
    ['one sample per case, a drop amid churn', trinomial(0.2, 0.05)],
  ])('%s, 10 to 500 cases', (_name, pop) => {
    for (const [n, reps] of [[10, 400], [20, 400], [50, 400], [100, 300], [500, 120]] as const) {
      // Seeded, so the outcome never changes between runs; bench/stats-simulation.mjs runs 4000
      // replicates per point and docs/statistics.md records the figures.
      expect(rate(n * 7 + 1, reps, covers(pop, n, 1, 1)), `${n} cases`).toBeGreaterThanOrEqual(0.94);
    }
  });

  it.each([
    ['3 repeats each side', 3, 3],
    ['1 repeat before, 5 after', 1, 5],
  ])('flaky suite with a tenth of cases broken, %s', (_name, rb, ra) => {
    for (const n of [10, 20, 50, 100]) expect(rate(n + 3, 300, covers(flakySuite(0.1), n, rb, ra)), `${n} cases`).toBeGreaterThanOrEqual(0.94);
  });
});

describe('non-inferiority is not declared for a candidate truly 5 points worse (≤ 5%, one-sided 95%)', () => {
  it.each([
    ['one sample per case, 15% churn', trinomial(0.1, 0.05), 1],
    ['one sample per case, one-way flips', trinomial(0.05, 0), 1],
    ['3 repeats, flaky suite', flakySuite(0.05 / 0.775), 3],
  ])('%s, at 20, 50 and 200 cases', (_name, pop, r) => {
    expect(pop.trueDiff).toBeCloseTo(-0.05, 12);
    for (const n of [20, 50, 200]) {
      const falseVerdict = rate(n, 500, (rand) => compare(drawPairs(rand, pop, n, r, r), { nonInferiority: 0.05 }).v.nonInferiority!.nonInferior);
      expect(falseVerdict, `${n} cases`).toBeLessThanOrEqual(0.05);
    }
  });

  it('two identical runs of 20 cases are not evidence, and the sentence names the method', () => {
    const same: CaseSamples[] = Array.from({ length: 20 }, (_, i) => ({ before: { passes: i % 4 ? 1 : 0, n: 1 }, after: { passes: i % 4 ? 1 : 0, n: 1 } }));
    const ni = compare(same, { nonInferiority: 0.05 }).v.nonInferiority!;
    expect(ni.nonInferior).toBe(false);
    expect(ni.sentence).toContain('one-sided 95% Tango score bound');
  });
});

describe('unequal repeat counts: no false regressions beyond 2.5% when nothing changed', () => {
  // Every case passes with probability 0.9 on both sides. The sign-flip test this replaces failed
  // the gate in 3.6–12.8% of these runs (1 vs 3, 5, 10 repeats at 20 and 50 cases).
  const steady: Population = { trueDiff: 0, draw: () => ({ before: 0.9, after: 0.9 }) };
  it.each([3, 5, 10])('1 repeat before, %i after', (ra) => {
    for (const n of [20, 50]) expect(rate(n + ra, 600, (rand) => compare(drawPairs(rand, steady, n, 1, ra)).failed), `${n} cases`).toBeLessThanOrEqual(0.025);
  });

  it('warns when the repeat counts differ', () => {
    const pairs: CaseSamples[] = Array.from({ length: 10 }, () => ({ before: { passes: 1, n: 1 }, after: { passes: 3, n: 3 } }));
    expect(compare(pairs).warnings.join('\n')).toContain('before has 1 sample(s) per case and after 3');
  });
});

describe('the regression margin is a test, not a comparison with the observed drop', () => {
  it('a true drop of 8 points inside a 12-point margin almost never fails (it failed 12.6% of runs before)', () => {
    const failRate = rate(11, 400, (rand) => compare(drawPairs(rand, trinomial(0.13, 0.05), 200, 1, 1), { margin: 0.12 }).failed);
    expect(failRate).toBeLessThanOrEqual(0.01);
  });

  it('at the boundary (true drop = margin) it fails at most the one-sided 2.5%', () => {
    for (const n of [50, 200]) {
      const failRate = rate(n + 5, 600, (rand) => compare(drawPairs(rand, trinomial(0.17, 0.05), n, 1, 1), { margin: 0.12 }).failed);
      expect(failRate, `${n} cases`).toBeLessThanOrEqual(0.025);
    }
  });
});

describe('the reported minimum detectable drop is detected at least 78% of the time', () => {
  it.each([
    [200, 10],
    [100, 3],
  ])('%i cases with %i flips each way (background churn), one sample per case', (n, churn) => {
    const still: CaseSamples[] = Array.from({ length: n }, (_, i) => ({ before: { passes: i < churn || i >= n / 2 ? 1 : 0, n: 1 }, after: { passes: i >= churn && i < 2 * churn ? 1 : i >= n / 2 ? 1 : 0, n: 1 } }));
    const { v } = compare(still);
    expect(v.flips).toEqual({ harmful: churn, helpful: churn });
    const mde = v.power.mde!;
    const psi0 = (2 * churn) / n;
    const power = rate(n, 500, (rand) => compare(drawPairs(rand, trinomial(psi0 / 2 + mde, psi0 / 2), n, 1, 1)).failed);
    expect(power).toBeGreaterThanOrEqual(0.78);
  });

  it('200 cases × 3 repeats of a flaky suite: the MDE reported for a run with no drop', () => {
    const { v } = compare(drawPairs(seededRandom(42), flakySuite(0), 200, 3, 3));
    const mde = v.power.mde!;
    const power = rate(5, 400, (rand) => compare(drawPairs(rand, flakySuite(mde / 0.775), 200, 3, 3)).failed);
    expect(power).toBeGreaterThanOrEqual(0.78);
  });
});
