import { seededRandom } from '../../src/stats/rng.js';
import type { CaseSamples } from '../../src/stats/permutation.js';

/**
 * Seeded simulation of paired evals for the coverage and error-rate tests: each case has a
 * pass probability before and after; each side draws its repeats as independent Bernoulli
 * samples. The true difference is the mean of (after − before) probabilities over the population.
 */

export interface CaseModel {
  before: number;
  after: number;
}

/** A population of case models to draw cases from, with its true mean difference. */
export interface Population {
  draw(rand: () => number): CaseModel;
  trueDiff: number;
}

/** One sample per case, outcomes changing pass → fail with probability `down` and fail → pass with `up` (base pass rate 0.5 for the rest). */
export function trinomial(down: number, up: number): Population {
  return {
    trueDiff: up - down,
    draw(rand) {
      const u = rand();
      if (u < down) return { before: 1, after: 0 };
      if (u < down + up) return { before: 0, after: 1 };
      return u < (1 + down + up) / 2 ? { before: 1, after: 1 } : { before: 0, after: 0 };
    },
  };
}

/**
 * A realistic suite with repeats: 70% of cases always pass, 15% never, 15% flaky with pass
 * probability uniform on (0.2, 0.8); a share `harmed` of all cases (drawn independently) fail
 * always after the change. True difference: −harmed · E[before] = −harmed · (0.7 + 0.15 · 0.5).
 */
export function flakySuite(harmed: number): Population {
  return {
    trueDiff: -harmed * 0.775,
    draw(rand) {
      const u = rand();
      const p = u < 0.7 ? 1 : u < 0.85 ? 0 : 0.2 + 0.6 * rand();
      return { before: p, after: rand() < harmed ? 0 : p };
    },
  };
}

function binomial(rand: () => number, n: number, p: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (rand() < p) k++;
  return k;
}

/** Draws `cases` cases with `repeatsBefore` / `repeatsAfter` samples per case on each side. */
export function drawPairs(rand: () => number, pop: Population, cases: number, repeatsBefore: number, repeatsAfter: number): CaseSamples[] {
  const out: CaseSamples[] = [];
  for (let i = 0; i < cases; i++) {
    const m = pop.draw(rand);
    out.push({ before: { passes: binomial(rand, repeatsBefore, m.before), n: repeatsBefore }, after: { passes: binomial(rand, repeatsAfter, m.after), n: repeatsAfter } });
  }
  return out;
}

export const differences = (pairs: readonly CaseSamples[]): number[] => pairs.map((p) => p.after.passes / p.after.n - p.before.passes / p.before.n);

/** Runs `replicates` seeded replicates and returns the share for which `hit` is true. */
export function rate(seed: number, replicates: number, hit: (rand: () => number) => boolean): number {
  const rand = seededRandom(seed);
  let k = 0;
  for (let r = 0; r < replicates; r++) if (hit(rand)) k++;
  return k / replicates;
}
