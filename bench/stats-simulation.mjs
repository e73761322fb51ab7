#!/usr/bin/env node
// Error rates of llm-eval's comparison statistics, measured by seeded simulation on the built
// package (run `npm run build` first): `node bench/stats-simulation.mjs [--reps N]`.
// Every figure goes through compareOutcomes and the regression gate as `run --baseline` and
// `compare` use them. docs/statistics.md records the output. Takes a few minutes on one core.
//
// Populations (each case has a pass probability before and after; repeats are Bernoulli draws):
//   trinomial(down, up): one sample per case; a case goes pass → fail with probability `down`,
//     fail → pass with `up`, else stays (pass or fail, half each). True change: up − down.
//   flaky(harmed): 70% of cases always pass, 15% never, 15% flaky with p ~ U(0.2, 0.8); a share
//     `harmed` of cases always fails after. True change: −harmed × 0.775.
//   steady(p): every case passes with probability p on both sides. True change: 0.
import { compareOutcomes } from '../dist/comparison/compare.js';
import { regressionFailures } from '../dist/gate/regression.js';
import { seededRandom } from '../dist/stats/rng.js';
import { EMPTY_FINGERPRINT } from '../dist/results/fingerprint.js';

const argv = process.argv.slice(2);
const REPS = Number(argv[argv.indexOf('--reps') + 1] || 4000) || 4000;

const trinomial = (down, up) => ({
  name: `one sample, ${down * 100}% down / ${up * 100}% up`,
  trueDiff: up - down,
  draw(rand) {
    const u = rand();
    if (u < down) return [1, 0];
    if (u < down + up) return [0, 1];
    return u < (1 + down + up) / 2 ? [1, 1] : [0, 0];
  },
});
const flaky = (harmed) => ({
  name: `flaky suite, ${(harmed * 100).toFixed(1)}% of cases broken`,
  trueDiff: -harmed * 0.775,
  draw(rand) {
    const u = rand();
    const p = u < 0.7 ? 1 : u < 0.85 ? 0 : 0.2 + 0.6 * rand();
    return [p, rand() < harmed ? 0 : p];
  },
});
const steady = (p) => ({ name: `every case p = ${p}`, trueDiff: 0, draw: () => [p, p] });

function binomial(rand, n, p) {
  let k = 0;
  for (let i = 0; i < n; i++) if (rand() < p) k++;
  return k;
}

function side(label, cases) {
  return {
    label,
    source: 'run',
    runId: label,
    shard: null,
    warnings: [],
    variants: [{ suite: 's', variant: 'v', model: 'm', fingerprint: { ...EMPTY_FINGERPRINT }, cases, meanCostUsd: null, latencyMs: { p50: null, p95: null } }],
  };
}

function simulate(rand, pop, n, rb, ra, opts = {}) {
  const before = new Map();
  const after = new Map();
  for (let i = 0; i < n; i++) {
    const [pb, pa] = pop.draw(rand);
    const id = `c${i}`;
    const b = binomial(rand, rb, pb);
    const a = binomial(rand, ra, pa);
    before.set(id, { passes: b, n: rb, scoreSum: b, errors: 0, content: null });
    after.set(id, { passes: a, n: ra, scoreSum: a, errors: 0, content: null });
  }
  const c = compareOutcomes(side('a', before), side('b', after), { suites: { s: { margin: opts.margin ?? 0 } }, nonInferiorityMargin: opts.ni });
  const failed = regressionFailures(c, () => ({ alpha: 0.05, margin: opts.margin ?? 0 })).length > 0;
  return { v: c.variants[0], failed };
}

function rate(seed, reps, hit) {
  const rand = seededRandom(seed);
  let k = 0;
  for (let r = 0; r < reps; r++) if (hit(rand)) k++;
  return k / reps;
}

const pct = (x) => `${(x * 100).toFixed(1)}%`;
const lines = [];
const say = (s) => {
  lines.push(s);
  console.log(s);
};

say(`# llm-eval statistics simulation (${REPS} replicates per cell, seeded)`);

say('\n## Coverage of the 95% interval of the change (target ≥ 94%)');
const ns = [10, 20, 50, 100, 200, 500];
say(`| population | repeats | ${ns.join(' | ')} |`);
say(`|---|---|${ns.map(() => '---').join('|')}|`);
for (const [pop, rb, ra] of [
  [trinomial(0.05, 0.05), 1, 1],
  [trinomial(0.1, 0), 1, 1],
  [trinomial(0.03, 0), 1, 1],
  [trinomial(0.2, 0.05), 1, 1],
  [trinomial(0.3, 0.3), 1, 1],
  [flaky(0.1), 3, 3],
  [flaky(0.05), 5, 5],
  [flaky(0.1), 1, 5],
]) {
  const cells = ns.map((n) =>
    pct(
      rate(n * 31 + rb * 7 + ra, n >= 200 ? Math.ceil(REPS / 4) : REPS, (rand) => {
        const [lo, hi] = simulate(rand, pop, n, rb, ra).v.diffCI95;
        return lo <= pop.trueDiff && pop.trueDiff <= hi;
      }),
    ),
  );
  say(`| ${pop.name} | ${rb} vs ${ra} | ${cells.join(' | ')} |`);
}

say('\n## False "non-inferior" for a candidate truly 5 points worse, margin 5 (target ≤ 5%)');
say('| population | repeats | 20 | 50 | 200 |');
say('|---|---|---|---|---|');
for (const [pop, r] of [
  [trinomial(0.05, 0), 1],
  [trinomial(0.1, 0.05), 1],
  [trinomial(0.25, 0.2), 1],
  [flaky(0.05 / 0.775), 3],
]) {
  const cells = [20, 50, 200].map((n) => pct(rate(n + 1, REPS, (rand) => simulate(rand, pop, n, r, r, { ni: 0.05 }).v.nonInferiority.nonInferior)));
  say(`| ${pop.name} | ${r} | ${cells.join(' | ')} |`);
}

say('\n## False regressions with unequal repeat counts, nothing changed, margin 0 (target ≤ 2.5%)');
say('| population | repeats | 20 | 50 | 200 |');
say('|---|---|---|---|---|');
for (const pop of [steady(0.9), steady(0.7), flaky(0)]) {
  for (const ra of [3, 5, 10]) {
    const cells = [20, 50, 200].map((n) => pct(rate(n + ra, n === 200 ? Math.ceil(REPS / 4) : REPS, (rand) => simulate(rand, pop, n, 1, ra).failed)));
    say(`| ${pop.name} | 1 vs ${ra} | ${cells.join(' | ')} |`);
  }
}

say('\n## Regression gate with a margin: failure rate by true drop (one sample per case, 5% churn each way)');
say('| margin | true drop | 50 | 200 | 500 |');
say('|---|---|---|---|---|');
for (const [margin, drop] of [
  [0.12, 0.12],
  [0.12, 0.08],
  [0.05, 0.05],
  [0, 0],
]) {
  const cells = [50, 200, 500].map((n) => pct(rate(n + 2, n === 500 ? Math.ceil(REPS / 4) : REPS, (rand) => simulate(rand, trinomial(0.05 + drop, 0.05), n, 1, 1, { margin }).failed)));
  say(`| ${margin * 100} pts | ${drop * 100} pts | ${cells.join(' | ')} |`);
}

say('\n## Power at the reported minimum detectable drop (target ≥ 78%)');
say('| cases | churn each way | reported MDE | power |');
say('|---|---|---|---|');
for (const [n, churn] of [
  [30, 0],
  [100, 3],
  [200, 10],
  [500, 25],
  [1000, 100],
]) {
  const before = new Map();
  const after = new Map();
  for (let i = 0; i < n; i++) {
    const b = i < churn || i >= n / 2 ? 1 : 0;
    const a = (i >= churn && i < 2 * churn) || i >= n / 2 ? 1 : 0;
    before.set(`c${i}`, { passes: b, n: 1, scoreSum: b, errors: 0, content: null });
    after.set(`c${i}`, { passes: a, n: 1, scoreSum: a, errors: 0, content: null });
  }
  const mde = compareOutcomes(side('a', before), side('b', after)).variants[0].power.mde;
  const psi0 = (2 * churn) / n;
  const power = rate(n, Math.ceil(REPS / 2), (rand) => simulate(rand, trinomial(psi0 / 2 + mde, psi0 / 2), n, 1, 1).failed);
  say(`| ${n} | ${churn} | ${(mde * 100).toFixed(1)} pts | ${pct(power)} |`);
}
for (const [n, r] of [
  [100, 3],
  [200, 3],
  [200, 5],
  [500, 3],
]) {
  const mde = simulate(seededRandom(42), flaky(0), n, r, r).v.power.mde;
  const power = rate(n + r, Math.ceil(REPS / 4), (rand) => simulate(rand, flaky(mde / 0.775), n, r, r).failed);
  say(`| ${n} × ${r} repeats, flaky suite | — | ${(mde * 100).toFixed(1)} pts | ${pct(power)} |`);
}
