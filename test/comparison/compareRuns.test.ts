import { describe, expect, it } from 'vitest';
import { compareOutcomes, compareToBaseline, compareWithIncumbents, costLatencyPhrase } from '../../src/comparison/compare.js';
import { saveBaseline } from '../../src/results/baseline.js';
import { readRunOutcomes } from '../../src/results/outcomes.js';
import { regressionFailures, DEFAULT_REGRESSION } from '../../src/gate/regression.js';
import { inShard } from '../../src/plan/shard.js';
import path from 'node:path';
import { caseIds, outcomeSet, record, singleSampleCases, tempDir, writeRun } from '../results/runFixture.js';

const ids = caseIds(50);
// Baseline: c46–c50 fail, the other 45 pass.
const baselineFails = new Set(ids.slice(45));

describe('comparing a run against its baseline', () => {
  it('a run identical to its baseline passes: no change, p = 1, no regression', async () => {
    const out = tempDir();
    const recs = ids.map((caseId) => record({ caseId, pass: !baselineFails.has(caseId) }));
    const runA = writeRun(out, { runId: 'run-a', records: recs });
    const runB = writeRun(out, { runId: 'run-b', records: recs });
    const file = path.join(out, 'baseline.json');
    await saveBaseline(runA, file);
    const c = await compareToBaseline(runB, file);
    const v = c.variants[0]!;
    expect(v.pairedCases).toBe(50);
    expect(v.passRateBefore).toBeCloseTo(0.9, 12);
    expect(v.passRateAfter).toBeCloseTo(0.9, 12);
    expect(v.diff).toBe(0);
    // No discordant pair is not a zero-width interval: Tango's score interval (with continuity
    // correction, scipy brentq) still allows ±10.5 points at 50 cases.
    expect(v.diffCI95[0]).toBeCloseTo(-0.104954, 5);
    expect(v.diffCI95[1]).toBeCloseTo(0.104954, 5);
    expect(v.pValue).toBe(1);
    expect(v.test).toBe('mcnemar-exact');
    expect(c.changes).toEqual([]);
    expect(c.warnings).toEqual([]);
    expect(regressionFailures(c, () => DEFAULT_REGRESSION)).toEqual([]);
  });

  it('a drop of two cases within noise passes: McNemar b=2, c=0 → p = 2·(½)² = 0.5', () => {
    const before = outcomeSet('base', [{ cases: singleSampleCases(ids, baselineFails) }]);
    const after = outcomeSet('run', [{ cases: singleSampleCases(ids, new Set([...baselineFails, 'c01', 'c02'])) }]);
    const c = compareOutcomes(before, after);
    const v = c.variants[0]!;
    expect(v.diff).toBeCloseTo(-0.04, 12);
    expect(v.pValue).toBeCloseTo(0.5, 12);
    expect(v.significant).toBe(false);
    expect(c.changes.map((x) => [x.caseId, x.change])).toEqual([
      ['c01', 'newly-failing'],
      ['c02', 'newly-failing'],
    ]);
    expect(regressionFailures(c, () => DEFAULT_REGRESSION)).toEqual([]);
  });

  it('a large drop fails, naming the rule and the cases: 10 flips, none back → p = 2/1024 = 0.00195', () => {
    const dropped = ids.slice(0, 10);
    const before = outcomeSet('base', [{ cases: singleSampleCases(ids, baselineFails) }]);
    const after = outcomeSet('run', [{ cases: singleSampleCases(ids, new Set([...baselineFails, ...dropped])) }]);
    const c = compareOutcomes(before, after);
    const v = c.variants[0]!;
    expect(v.pValue).toBeCloseTo(2 / 1024, 12);
    expect(v.diff).toBeCloseTo(-0.2, 12);
    expect(v.flips).toEqual({ harmful: 10, helpful: 0 });
    // Tango score interval, b = 10, c = 0, n = 50, continuity-corrected (scipy brentq): [−0.352415, −0.080341]
    expect(v.ciMethod).toBe('tango-score');
    expect(v.diffCI95[0]).toBeCloseTo(-0.352415, 5);
    expect(v.diffCI95[1]).toBeCloseTo(-0.080341, 5);
    const failures = regressionFailures(c, () => DEFAULT_REGRESSION);
    expect(failures).toHaveLength(1);
    expect(failures[0]!.rule).toBe('regression');
    expect(failures[0]!.cases).toEqual(dropped);
    expect(failures[0]!.message).toContain('pass rate fell 20 points (90.0% → 70.0%');
    expect(failures[0]!.message).toContain('Look first at: c01 (1/1 → 0/1), c02 (1/1 → 0/1)');
    expect(failures[0]!.message).toContain('one-sided exact McNemar test: p = 0.0010');
  });

  it('the margin is tested: a drop of 20 points fails a 5-point margin, not a 10- or 15-point one', () => {
    // b = 10, c = 0, n = 50: one-sided Tango p at Δ₀ = −margin (scipy): 0.0103 at 5 points,
    // 0.0440 at 10, 0.276 at 15; the gate needs < 0.025. The observed drop (20) exceeds all three.
    const before = outcomeSet('base', [{ cases: singleSampleCases(ids, baselineFails) }]);
    const after = outcomeSet('run', [{ cases: singleSampleCases(ids, new Set([...baselineFails, ...ids.slice(0, 10)])) }]);
    const c = compareOutcomes(before, after, { suites: { tickets: { margin: 0.1 } } });
    expect(c.variants[0]!.significant).toBe(true);
    expect(regressionFailures(c, () => ({ alpha: 0.05, margin: 0.15 }))).toEqual([]);
    expect(regressionFailures(c, () => ({ alpha: 0.05, margin: 0.1 }))).toEqual([]);
    const failures = regressionFailures(c, () => ({ alpha: 0.05, margin: 0.05 }));
    expect(failures).toHaveLength(1);
    expect(failures[0]!.message).toContain('one-sided Tango score test at the margin: p = 0.010,');
    expect(failures[0]!.message).toContain('is below −5');
  });

  it('with repeats, tests exactly by permuting sample labels within cases: d = [−1, −2/3, 0, 0, 0] → p = 1/50', () => {
    const five = caseIds(5);
    const before = outcomeSet('base', [{ cases: Object.fromEntries(five.map((id) => [id, [3, 3]])) }]);
    const after = outcomeSet('run', [{ cases: { c01: [0, 3], c02: [1, 3], c03: [3, 3], c04: [3, 3], c05: [3, 3] } }]);
    const v = compareOutcomes(before, after).variants[0]!;
    expect(v.test).toBe('permutation-exact');
    // Brute force in python over the 20 · 20 choices of which 3 of each case's 6 samples are
    // "after": only both cases at their lowest reach Σd ≤ −5/3, 4 of 400 reach |Σd| ≥ 5/3.
    expect(v.pValue).toBeCloseTo(1 / 50, 12);
    expect(v.pDrop).toBeCloseTo(1 / 100, 12);
    expect(v.diff).toBeCloseTo(-(1 + 2 / 3) / 5, 12);
    expect(v.ciMethod).toBe('tango-score-clustered');
    // With five cases the interval still reaches 0 (b′ = 5/3: [−0.848013, 0.443048], scipy), so
    // the change is not called significant: the test and the interval must both say so.
    expect(v.diffCI95[0]).toBeCloseTo(-0.848013, 5);
    expect(v.diffCI95[1]).toBeCloseTo(0.443048, 5);
    expect(v.significant).toBe(false);
    expect(v.after.flaky).toBe(1);
    // the full flip (3/3 → 0/3) is listed before the partial one
    expect(compareOutcomes(before, after).changes.map((c) => c.caseId)).toEqual(['c01', 'c02']);
  });

  it('adjusts p-values with Benjamini–Hochberg across variants: raw [2/1024, 1] → [4/1024, 1]', () => {
    const big = singleSampleCases(ids, new Set([...baselineFails, ...ids.slice(0, 10)]));
    const base = singleSampleCases(ids, baselineFails);
    const before = outcomeSet('base', [{ variant: 'v1', cases: base }, { variant: 'v2', cases: base }]);
    const after = outcomeSet('run', [{ variant: 'v1', cases: big }, { variant: 'v2', cases: base }]);
    const c = compareOutcomes(before, after);
    expect(c.variants.map((v) => v.pValue)).toEqual([2 / 1024, 1]);
    expect(c.variants[0]!.pAdjusted).toBeCloseTo(4 / 1024, 12);
    expect(c.variants[1]!.pAdjusted).toBe(1);
  });

  it('lists new and removed cases apart from the paired analysis', () => {
    const before = outcomeSet('base', [{ cases: { c01: [1, 1], c02: [1, 1], old: [0, 1] } }]);
    const after = outcomeSet('run', [{ cases: { c01: [1, 1], c02: [1, 1], fresh: [0, 1] } }]);
    const c = compareOutcomes(before, after);
    expect(c.variants[0]!.pairedCases).toBe(2);
    expect(c.variants[0]!.passRateAfter).toBe(1);
    expect(c.changes.map((x) => [x.caseId, x.change])).toEqual([
      ['fresh', 'added'],
      ['old', 'removed'],
    ]);
  });

  it('a sharded run is compared with the baseline cases of its own shard only (others are not "removed")', () => {
    const all = caseIds(30);
    const shard = { index: 2, total: 3 };
    const mine = all.filter((id) => inShard(id, shard));
    const before = outcomeSet('base', [{ cases: singleSampleCases(all, new Set()) }]);
    const after = outcomeSet('run', [{ cases: singleSampleCases(mine, new Set()) }], shard);
    const v = compareOutcomes(before, after).variants[0]!;
    expect(v.pairedCases).toBe(mine.length);
    expect(v.removedCases).toBe(0);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.length).toBeLessThan(30);
  });
});

describe('comparability fingerprints', () => {
  it('a changed grader config is flagged as a warning; a changed prompt is a note', async () => {
    const out = tempDir();
    const recs = ids.map((caseId) => record({ caseId, pass: true }));
    const a = writeRun(out, { runId: 'a', records: recs, fingerprints: { 'tickets/v1': { graders: 'g-old', judgeModels: [], params: 'p' } } });
    const b = writeRun(out, {
      runId: 'b',
      records: ids.map((caseId) => record({ caseId, pass: true, promptHash: 'p2hash' })),
      fingerprints: { 'tickets/v1': { graders: 'g-new', judgeModels: [], params: 'p' } },
    });
    const c = compareOutcomes(await readRunOutcomes(a), await readRunOutcomes(b));
    expect(c.warnings).toHaveLength(1);
    expect(c.warnings[0]).toContain('tickets/v1: the grader config changed (g-old → g-new)');
    expect(c.notes).toContain('tickets/v1: prompt classify@v1#p1hash → classify@v1#p2hash');
    expect(c.variants[0]!.fingerprintChanges.map((x) => [x.field, x.suspect])).toEqual([
      ['graders', true],
      ['prompt', false],
    ]);
  });

  it('an edited case (same id, different expected) is flagged', async () => {
    const out = tempDir();
    const a = writeRun(out, { runId: 'a', records: [record({ caseId: 'k1', pass: true, expected: 'billing' }), record({ caseId: 'k2', pass: true })] });
    const b = writeRun(out, { runId: 'b', records: [record({ caseId: 'k1', pass: true, expected: 'refund' }), record({ caseId: 'k2', pass: true })] });
    const c = compareOutcomes(await readRunOutcomes(a), await readRunOutcomes(b));
    expect(c.variants[0]!.editedCases).toEqual(['k1']);
    expect(c.warnings.join('\n')).toContain('1 case(s) changed content (vars or expected) under the same id');
  });

  it('a model alias without a dated snapshot gets a drift warning; a dated one does not', () => {
    const cases = { c01: [1, 1] as [number, number] };
    const c = compareOutcomes(outcomeSet('a', [{ model: 'openai:gpt-4o-2024-08-06', cases }]), outcomeSet('b', [{ model: 'anthropic:claude-sonnet-4-5', cases }]));
    expect(c.warnings.filter((w) => w.includes('results may drift'))).toHaveLength(1);
    expect(c.warnings.join('\n')).toContain('model claude-sonnet-4-5 is an alias without a dated snapshot');
  });
});

describe('model deprecation: non-inferiority within one run (--variants old,new)', () => {
  // 40 cases: 4 flip to fail, 2 flip to pass → lower bound −0.194708 (see test/stats/powerAndNonInferiority.test.ts)
  const forty = caseIds(40);
  const newFails = new Set(forty.slice(0, 4));
  const newPasses = new Set(forty.slice(4, 6));

  async function oneRun(): Promise<string> {
    const out = tempDir();
    const old = forty.map((caseId) => record({ caseId, variant: 'old', model: 'openai:gpt-4o-mini', pass: !newPasses.has(caseId), costUsd: 0.001, latencyMs: 1300 }));
    const cand = forty.map((caseId) => record({ caseId, variant: 'new', model: 'anthropic:claude-haiku-4-5', pass: !newFails.has(caseId), costUsd: 0.0004, latencyMs: 1000 }));
    return writeRun(out, { runId: 'r', records: [...old, ...cand] });
  }

  it('reads as a sentence a manager can act on, and flips at the right margin', async () => {
    const set = await readRunOutcomes(await oneRun());
    const pass = compareOutcomes(set, set, { variantPairs: [{ before: 'old', after: 'new' }], nonInferiorityMargin: 0.195 });
    const ni = pass.variants[0]!.nonInferiority!;
    expect(ni.nonInferior).toBe(true);
    expect(ni.lowerBound).toBeCloseTo(-0.194708, 5);
    expect(ni.sentence).toBe(
      'claude-haiku-4-5 is no worse than gpt-4o-mini by more than 19.5 points (lower bound −19.5 pts, one-sided 95% Tango score bound); it flips 4 cases to fail and 2 to pass; it costs 0.4× and is 1.3× as fast at p50',
    );
    const fail = compareOutcomes(set, set, { variantPairs: [{ before: 'old', after: 'new' }], nonInferiorityMargin: 0.194 });
    expect(fail.variants[0]!.nonInferiority!.nonInferior).toBe(false);
    expect(fail.variants[0]!.nonInferiority!.sentence).toContain('claude-haiku-4-5 is not shown to be within 19.4 points of gpt-4o-mini (lower bound −19.5 pts, one-sided 95% Tango score bound)');
  });

  it('a suite naming an incumbent (nonInferiority.incumbent) gets every other variant judged against it', async () => {
    const set = await readRunOutcomes(await oneRun());
    const c = compareWithIncumbents(set, { tickets: { nonInferiorityMargin: 0.195, incumbent: 'old' } })!;
    expect(c.variants.map((v) => [v.beforeVariant, v.variant, v.nonInferiority?.nonInferior])).toEqual([['old', 'new', true]]);
    expect(compareWithIncumbents(set, { tickets: { nonInferiorityMargin: 0.195 } })).toBeNull();
  });

  it('says so when the candidate is outright better', () => {
    const ids10 = caseIds(40);
    const c = compareOutcomes(outcomeSet('a', [{ cases: singleSampleCases(ids10, new Set(ids10.slice(0, 20))) }]), outcomeSet('b', [{ cases: singleSampleCases(ids10, new Set()) }]), {
      nonInferiorityMargin: 0.05,
    });
    // c = 20, b = 0, n = 40: one-sided 95% Tango bound with continuity correction (scipy brentq) 0.350881
    expect(c.variants[0]!.nonInferiority!.lowerBound).toBeCloseTo(0.350881, 5);
    expect(c.variants[0]!.nonInferiority!.sentence).toContain('by more than 5 points; it is better, by at least 35.1 points (lower bound +35.1 pts, one-sided 95% Tango score bound)');
  });
});

describe('cost and latency phrase', () => {
  it('reads as English when either is unknown (it said "it its latency is unknown")', () => {
    expect(costLatencyPhrase(null, null)).toBe('its cost is unknown; its latency is unknown');
    expect(costLatencyPhrase(0.4, null)).toBe('it costs 0.4×; its latency is unknown');
    expect(costLatencyPhrase(null, 1.3)).toBe('its cost is unknown; it is 1.3× as fast at p50');
    expect(costLatencyPhrase(0.4, 0.5)).toBe('it costs 0.4× and is 2× slower at p50');
  });
});
