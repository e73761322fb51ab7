import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REGRESSION,
  baselineReplacesDefaultRule,
  nonInferiorityFailures,
  passAllRepeatsFailures,
  regressionFailures,
  regressionRuleFor,
} from '../../src/gate/regression.js';
import { compareOutcomes } from '../../src/comparison/compare.js';
import type { RegressionGateConfig } from '../../src/types.js';
import { caseIds, outcomeSet, singleSampleCases } from '../results/runFixture.js';

describe('which regression rule applies', () => {
  it('an explicit gate.regression wins, missing fields take the defaults (alpha 0.05, margin 0)', () => {
    expect(regressionRuleFor({ regression: { alpha: 0.01, margin: 0.05 } }, true)).toEqual({ alpha: 0.01, margin: 0.05 });
    // A config may set only the margin; the type says both are present after resolving, so cast the partial.
    expect(regressionRuleFor({ regression: { margin: 0.02 } as RegressionGateConfig }, true)).toEqual({ alpha: 0.05, margin: 0.02 });
  });

  it('--baseline implies the default rule for suites without one; without a baseline there is none', () => {
    expect(regressionRuleFor(undefined, true)).toEqual(DEFAULT_REGRESSION);
    expect(regressionRuleFor({ minPassRate: 0.9 }, true)).toEqual(DEFAULT_REGRESSION);
    expect(regressionRuleFor({ regression: { alpha: 0.05, margin: 0 } }, false)).toBeNull();
  });

  it('with a baseline, a suite with no gate is judged by regression instead of "every case passes"', () => {
    expect(baselineReplacesDefaultRule(undefined, true)).toBe(true);
    expect(baselineReplacesDefaultRule(undefined, false)).toBe(false);
    expect(baselineReplacesDefaultRule({ minPassRate: 0.9 }, true)).toBe(false);
  });
});

describe('regression gate', () => {
  const ids = caseIds(50);
  const before = outcomeSet('base', [{ cases: singleSampleCases(ids, new Set()) }]);
  // 7 one-way flips: McNemar p = 2/128 = 0.015625
  const after = outcomeSet('run', [{ cases: singleSampleCases(ids, new Set(ids.slice(0, 7))) }]);

  it('fires only when the BH-adjusted p is below alpha: p = 0.0156 fails at 0.05, passes at 0.01', () => {
    const c = compareOutcomes(before, after);
    expect(c.variants[0]!.pValue).toBeCloseTo(2 / 128, 12);
    expect(regressionFailures(c, () => ({ alpha: 0.05, margin: 0 }))).toHaveLength(1);
    expect(regressionFailures(c, () => ({ alpha: 0.01, margin: 0 }))).toEqual([]);
  });

  it('never fires on an improvement, however significant', () => {
    const c = compareOutcomes(after, before);
    expect(c.variants[0]!.pValue).toBeCloseTo(2 / 128, 12);
    expect(regressionFailures(c, () => DEFAULT_REGRESSION)).toEqual([]);
  });

  it('skips suites with no rule', () => {
    expect(regressionFailures(compareOutcomes(before, after), () => null)).toEqual([]);
  });
});

describe('non-inferiority verdicts as gate failures', () => {
  it('fail with the sentence and the cases to look at', () => {
    const ids = caseIds(10);
    const c = compareOutcomes(outcomeSet('a', [{ cases: singleSampleCases(ids, new Set()) }]), outcomeSet('b', [{ cases: singleSampleCases(ids, new Set(['c03'])) }]), {
      nonInferiorityMargin: 0.01,
    });
    const f = nonInferiorityFailures(c);
    expect(f).toHaveLength(1);
    expect(f[0]!.rule).toBe('nonInferiority');
    expect(f[0]!.cases).toEqual(['c03']);
    expect(f[0]!.message).toContain('is not shown to be within 1 point of');
  });
});

describe('gate.passAllRepeats', () => {
  const set = outcomeSet('run', [
    { variant: 'v1', cases: { a: [3, 3], b: [2, 3], c: [0, 3], d: [1, 3] } },
    { variant: 'v2', cases: { a: [3, 3], b: [3, 3] } },
  ]);

  it('fails a variant with any case that missed a repeat, flaky cases listed first and counted', () => {
    const f = passAllRepeatsFailures(set.variants, () => true);
    expect(f).toHaveLength(1);
    expect(f[0]!.variant).toBe('v1');
    expect(f[0]!.cases).toEqual(['b', 'd', 'c']);
    expect(f[0]!.message).toContain('3 of 4 cases did not pass every repeat (2 flaky: repeats disagree; 1 never pass)');
  });

  it('only applies to suites that enable it', () => {
    expect(passAllRepeatsFailures(set.variants, () => false)).toEqual([]);
  });
});
