// Generates a finished run folder (run.json, results.jsonl, report.json) without calling any model,
// for the reporter tests and bench/report-size.mjs. Plain JavaScript so the bench can run it with
// node; test/reporters/fixtureRun.d.mts types it for the tests.
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';

/** Model outputs that try to run script in report.html; the sentinel is window.__pwned. */
export const HOSTILE_OUTPUTS = [
  '<script>window.__pwned=1</script>',
  '<img src=x onerror="window.__pwned=1">',
  '</script><script>window.__pwned=1</script>',
  '[x](javascript:window.__pwned=1)',
  '<a href="javascript:window.__pwned=1">click me</a>',
  '<!--<script>window.__pwned=1</script>-->',
  '<svg onload="window.__pwned=1"></svg> \u2028 \u2029 end',
  'x'.repeat(200) + '</script><script>window.__pwned=1</script>',
];

export const HOSTILE_CASE_ID = 'case-<img src=x onerror="window.__pwned=1">';

const LABELS = ['billing', 'refund', 'technical', 'account'];
const WORDS = 'the customer asks about an invoice payment refund account login password error charge card plan upgrade cancel subscription order delivery delay support team reply quickly please thanks regarding issue since yesterday again'.split(' ');

/** A small deterministic PRNG (mulberry32), so every run of the generator writes the same bytes. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sentence(rand, words) {
  const out = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(rand() * WORDS.length)]);
  return out.join(' ');
}

function wilson(k, n) {
  if (n <= 0) return [0, 1];
  const z = 1.959963984540054;
  const p = k / n;
  const z2 = z * z;
  const d = 1 + z2 / n;
  const c = (p + z2 / (2 * n)) / d;
  const h = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / d;
  return [Math.max(0, c - h), Math.min(1, c + h)];
}

function pct(sorted, p) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1];
}

const PRICES = { v1: { model: 'fast (openai:gpt-4o-mini)', in: 0.15, out: 0.6 }, v2: { model: 'smart (anthropic:claude-sonnet-4-5)', in: 3, out: 15 } };

/**
 * Whether a case passes for a variant: v1 misses every 5th case, v2 every 7th, and a hostile case
 * always fails (so "failing only" keeps it). Repeats of every 11th case disagree (flaky).
 */
function passes(i, variant, repeat) {
  if (variant === 'v1') return i % 5 !== 0;
  if (i % 11 === 0 && repeat % 2 === 1) return false;
  return i % 7 !== 0;
}

/**
 * @param {string} dir
 * @param {import('./fixtureRun.d.mts').FixtureOptions} [opts]
 */
export async function writeFixtureRun(dir, opts = {}) {
  const cases = opts.cases ?? 20;
  const repeats = opts.repeats ?? 1;
  const variants = opts.variants ?? ['v1', 'v2'];
  const suites = opts.suites ?? ['tickets'];
  const hostile = opts.hostile ?? false;
  const withBaseline = opts.baseline ?? true;
  const runId = opts.runId ?? '20260101-120000-abcdef';
  const outputWords = opts.outputWords ?? 40;
  await mkdir(dir, { recursive: true });
  const rand = rng(42);

  const acc = new Map();
  const accFor = (suite, variant) => {
    const key = `${suite}\u0000${variant}`;
    let a = acc.get(key);
    if (!a) {
      a = { suite, variant, cases: 0, passed: 0, errors: 0, score: 0, cost: 0, judge: 0, tin: 0, tout: 0, lat: [], cached: 0, confusion: new Map(), passesByCase: new Map(), outcomes: new Map() };
      acc.set(key, a);
    }
    return a;
  };
  const changes = { failing: [], passing: [] };

  const stream = createWriteStream(path.join(dir, 'results.jsonl'));
  let buffered = [];
  const flush = async () => {
    if (!buffered.length) return;
    if (!stream.write(buffered.join(''))) await once(stream, 'drain');
    buffered = [];
  };

  for (let i = 1; i <= cases; i++) {
    for (const suite of suites) {
      const classification = suite === 'tickets';
      const hostileCase = hostile && i <= HOSTILE_OUTPUTS.length;
      const caseId = hostile && i === 1 ? HOSTILE_CASE_ID : `${suite}-${String(i).padStart(6, '0')}`;
      const label = LABELS[i % LABELS.length];
      const vars = {
        ticket: hostileCase ? `Ticket ${i}: ${HOSTILE_OUTPUTS[i - 1]}` : `Ticket ${i}: ${sentence(rand, 12)}`,
        customer: `cust-${i % 50}`,
      };
      const tags = [i % 3 === 0 ? 'urgent' : 'normal', hostile && i === 2 ? '<b onmouseover="window.__pwned=1">tag</b>' : i % 2 ? 'lang-en' : 'lang-de'];
      const base = sentence(rand, outputWords);
      for (const variant of variants) {
        for (let repeat = 0; repeat < repeats; repeat++) {
          const a = accFor(suite, variant);
          const errored = variant === 'v2' && i % 97 === 0;
          let pass = !errored && passes(i, variant, repeat) && !hostileCase;
          const predicted = pass ? label : LABELS[(i + 1) % LABELS.length];
          let output;
          if (errored) output = null;
          else if (hostileCase && variant === 'v2') output = HOSTILE_OUTPUTS[i - 1];
          else if (variant === 'v1') output = `Category: ${predicted}. ${base}`;
          else output = `Category: ${predicted}. Summary: ${base.split(' ').reverse().slice(0, 6).join(' ')} ${base}`;
          const judgeScore = errored ? 0 : Math.round((0.55 + 0.45 * rand()) * 100) / 100;
          const grades = errored
            ? []
            : [
                { grader: 'exact', pass, score: pass ? 1 : 0, reason: pass ? `matches "${label}"` : `expected "${label}", got "${predicted}"` },
                { grader: 'judge:politeness', pass: true, score: judgeScore, reason: hostileCase ? `Reply quotes ${HOSTILE_OUTPUTS[(i + 2) % HOSTILE_OUTPUTS.length]}` : 'The reply is polite and addresses the request.' },
              ];
          const price = PRICES[variant] ?? PRICES.v1;
          const tokens = errored ? null : { input: 120 + vars.ticket.length, output: Math.ceil((output?.length ?? 0) / 4), cachedInput: 0 };
          const cost = tokens ? (tokens.input * price.in + tokens.output * price.out) / 1e6 : null;
          const latency = errored ? null : Math.round(200 + 1800 * rand() * (variant === 'v2' ? 1.5 : 1));
          const record = {
            suite,
            variant,
            caseId,
            repeat,
            vars,
            expected: classification ? label : { summary: `about ${label}` },
            tags,
            prompt: { name: 'classify-ticket', version: variant === 'v1' ? 'v1' : 'v2', hash: variant === 'v1' ? 'a1b2c3d4e5f6' : 'f6e5d4c3b2a1' },
            model: price.model,
            output,
            pass,
            score: errored ? 0 : pass ? (1 + judgeScore) / 2 : judgeScore / 2,
            grades,
            tokens,
            costUsd: cost,
            judgeCostUsd: errored ? null : 0.0001,
            latencyMs: latency,
            ttftMs: latency == null ? null : Math.round(latency / 4),
            cached: i % 13 === 0,
            error: errored ? { kind: 'provider', message: 'rate limited (429) after 4 attempts <retry-after: 30>' } : null,
          };
          buffered.push(JSON.stringify(record) + '\n');
          if (buffered.length >= 500) await flush();

          a.cases++;
          a.passesByCase.set(caseId, (a.passesByCase.get(caseId) ?? 0) + (pass ? 1 : 0));
          if (pass) a.passed++;
          // Per-case outcomes as results/outcomes.ts keeps them, for the gate's passAllRepeats rule.
          const o = a.outcomes.get(caseId) ?? { passes: 0, n: 0, scoreSum: 0, errors: 0, content: null };
          o.n++;
          if (pass) o.passes++;
          if (errored) o.errors++;
          o.scoreSum += record.score;
          a.outcomes.set(caseId, o);
          if (errored) a.errors++;
          a.score += record.score;
          if (cost != null) a.cost += cost;
          a.judge += record.judgeCostUsd ?? 0;
          if (tokens) {
            a.tin += tokens.input;
            a.tout += tokens.output;
          }
          if (latency != null) a.lat.push(latency);
          if (record.cached) a.cached++;
          if (classification && !errored) {
            const k = `${label}\u0000${predicted}`;
            a.confusion.set(k, (a.confusion.get(k) ?? 0) + 1);
          }
          // Against the baseline: v2 newly fails where it fails now on every 3rd case; and newly
          // passes every 4th case it passes (they failed in the baseline).
          if (withBaseline && variant === 'v2' && repeat === 0) {
            if (!pass && !errored && i % 3 === 0) changes.failing.push({ suite, variant, caseId, change: 'newly-failing', before: { passes: repeats, n: repeats }, after: { passes: 0, n: repeats } });
            else if (pass && i % 4 === 0 && changes.passing.length < 25) changes.passing.push({ suite, variant, caseId, change: 'newly-passing', before: { passes: 0, n: repeats }, after: { passes: repeats, n: repeats } });
          }
        }
      }
    }
  }
  await flush();
  await new Promise((resolve, reject) => stream.end((err) => (err ? reject(err) : resolve())));

  const suiteSummaries = suites.map((name) => ({
    name,
    variants: variants.map((variant) => {
      const a = accFor(name, variant);
      const lat = a.lat.sort((x, y) => x - y);
      const summary = {
        name: variant,
        model: (PRICES[variant] ?? PRICES.v1).model,
        prompt: `classify-ticket@${variant === 'v1' ? 'v1' : 'v2'}`,
        promptHash: variant === 'v1' ? 'a1b2c3d4e5f6' : 'f6e5d4c3b2a1',
        cases: a.cases,
        passed: a.passed,
        failed: a.cases - a.passed - a.errors,
        errors: a.errors,
        passRate: a.cases ? a.passed / a.cases : 0,
        passRateCI95: wilson(a.passed, a.cases),
        meanScore: a.cases ? a.score / a.cases : 0,
        costUsd: Math.round(a.cost * 1e6) / 1e6,
        judgeCostUsd: Math.round(a.judge * 1e6) / 1e6,
        tokens: { input: a.tin, output: a.tout, cachedInput: 0 },
        latencyMs: { p50: pct(lat, 50), p95: pct(lat, 95), p99: pct(lat, 99) },
        cachedCases: a.cached,
      };
      if (repeats > 1) {
        // With n = k repeats per case, unbiased pass@k is 1 when any repeat passed, pass^k 1 when all did.
        const counts = [...a.passesByCase.values()];
        const flakyCases = [...a.passesByCase].filter(([, c]) => c > 0 && c < repeats).map(([id]) => id);
        const histogram = Array.from({ length: repeats + 1 }, (_, j) => counts.filter((c) => c === j).length);
        summary.repeats = {
          cases: counts.length,
          k: repeats,
          meanPassProbability: counts.reduce((x, c) => x + c / repeats, 0) / counts.length,
          passAtK: counts.filter((c) => c > 0).length / counts.length,
          passHatK: counts.filter((c) => c === repeats).length / counts.length,
          flaky: flakyCases.length,
          alwaysPass: counts.filter((c) => c === repeats).length,
          neverPass: counts.filter((c) => c === 0).length,
          histogram,
          flakyCases: flakyCases.slice(0, 20),
        };
      }
      if (name === 'tickets') {
        const matrix = LABELS.map((e) => LABELS.map((p) => a.confusion.get(`${e}\u0000${p}`) ?? 0));
        const total = matrix.flat().reduce((x, y) => x + y, 0);
        const perLabel = {};
        LABELS.forEach((l, i) => {
          const tp = matrix[i][i];
          const support = matrix[i].reduce((x, y) => x + y, 0);
          const predicted = matrix.reduce((s, row) => s + row[i], 0);
          const precision = predicted ? tp / predicted : 0;
          const recall = support ? tp / support : 0;
          perLabel[l] = { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0, support };
        });
        const diag = LABELS.reduce((s, _, i) => s + matrix[i][i], 0);
        summary.classification = {
          accuracy: total ? diag / total : 0,
          perLabel,
          macroF1: LABELS.reduce((s, l) => s + perLabel[l].f1, 0) / LABELS.length,
          confusion: { labels: LABELS, matrix },
        };
      }
      return summary;
    }),
  }));

  const totals = { cases: 0, passed: 0, costUsd: 0, judgeCostUsd: 0, tokens: { input: 0, output: 0, cachedInput: 0 } };
  for (const s of suiteSummaries)
    for (const v of s.variants) {
      totals.cases += v.cases;
      totals.passed += v.passed;
      totals.costUsd += v.costUsd;
      totals.judgeCostUsd += v.judgeCostUsd;
      totals.tokens.input += v.tokens.input;
      totals.tokens.output += v.tokens.output;
    }
  totals.costUsd = Math.round(totals.costUsd * 1e6) / 1e6;
  totals.judgeCostUsd = Math.round(totals.judgeCostUsd * 1e6) / 1e6;

  // The verdict comes from the real gate (gate/decide.ts, passed in as `decideVerdict`), so
  // reporters are tested on the sentences users read. Failing: the first suite's lower-scoring
  // variant misses minPassRate 85% (v1 misses every 5th case: 80%), the suite's cost is over a
  // maxCostUsd of half of it, and with repeats each variant fails passAllRepeats (naming its
  // cases). Passing: a minPassRate of 0 that every variant meets.
  const gatePassed = opts.gatePassed ?? false;
  const suiteCost = (s) => s.variants.reduce((t, v) => t + v.costUsd + v.judgeCostUsd, 0);
  const gates = suiteSummaries.map((s, i) =>
    !gatePassed && i === 0 ? { minPassRate: 0.85, maxCostUsd: Math.round((suiteCost(s) / 2) * 1e4) / 1e4, passAllRepeats: repeats > 1 } : { minPassRate: 0 },
  );
  const { verdict } = opts.decideVerdict({
    suites: suiteSummaries.map((s, i) => ({ name: s.name, dataset: '', variants: [], repeat: repeats, graders: [], options: {}, gate: gates[i] })),
    summaries: suiteSummaries,
    outcomes: [...acc.values()].map((a) => ({ suite: a.suite, variant: a.variant, cases: a.outcomes })),
  });

  const report = {
    schemaVersion: 1,
    runId,
    createdAt: '2026-01-01T12:00:00.000Z',
    finishedAt: '2026-01-01T12:03:00.000Z',
    status: 'completed',
    config: { hash: 'c0ffee123456', file: '/project/llm-eval.yaml' },
    gate: verdict,
    suites: suiteSummaries,
    totals,
    warnings: hostile ? ['Judge model is the same as a candidate: <script>window.__pwned=1</script>'] : [],
  };
  if (variants.includes('v1') && variants.includes('v2')) {
    // Pairwise judge of v2 against v1 on the first suite: 40% wins, 20% ties, the rest losses; 10% of cases the two orders disagreed.
    const n = cases * repeats;
    const wins = Math.floor(n * 0.4);
    const ties = Math.floor(n * 0.2);
    const losses = n - wins - ties;
    const orderDisagreement = Math.floor(n * 0.1);
    suiteSummaries[0].pairwise = [
      { grader: 'pairwise:helpfulness', judge: 'judge', rubric: 'helpfulness#abc123', a: 'v2', b: 'v1', cases: n, wins, ties, losses, winRate: wins / n, tieRate: ties / n, lossRate: losses / n, orderDisagreement, orderDisagreementRate: orderDisagreement / n, firstShownPicked: 7, decisiveVerdicts: 12, missing: 0, errors: 0, costUsd: 0.01, disagreementCases: [], errorSamples: [] },
    ];
  }
  if (withBaseline) {
    report.comparison = {
      against: 'reports/baseline.json',
      variants: suites.flatMap((suite) =>
        variants.map((variant) => {
          const after = accFor(suite, variant);
          const rateAfter = after.cases ? after.passed / after.cases : 0;
          const before = variant === 'v2' ? Math.min(1, rateAfter + 0.04) : rateAfter;
          const v2 = variant === 'v2';
          return {
            suite, variant, pairedCases: after.cases, passRateBefore: before, passRateAfter: rateAfter, diff: rateAfter - before, diffCI95: [rateAfter - before - 0.03, rateAfter - before + 0.03],
            pValue: v2 ? 0.012 : 1, pAdjusted: v2 ? 0.024 : 1, significant: v2,
            flips: v2 ? { harmful: changes.failing.length, helpful: changes.passing.length } : { harmful: 0, helpful: 0 },
            power: { mde: v2 ? 0.083 : 0.091, power: 0.8, alpha: 0.05, cases: after.cases, repeats, casesNeeded: null, repeatsNeeded: null, warning: v2 ? 'to detect a 2-point drop you need about 1,900 cases' : null },
          };
        }),
      ),
      changes: [...changes.failing, ...changes.passing],
      warnings: [],
      notes: ['tickets/v2: prompt changed classify-ticket@v1 → classify-ticket@v2', ...(hostile ? ['note \u202Ereversed\u202C then <script>window.__pwned=1</script>'] : [])],
    };
  }
  await writeFile(path.join(dir, 'report.json'), JSON.stringify(report, null, 2) + '\n');
  await writeFile(
    path.join(dir, 'run.json'),
    JSON.stringify({ runId, createdAt: report.createdAt, configFile: '/project/llm-eval.yaml', configHash: 'c0ffee123456', options: {}, status: 'completed' }, null, 2) + '\n',
  );
  return { dir, report, records: cases * suites.length * variants.length * repeats };
}
