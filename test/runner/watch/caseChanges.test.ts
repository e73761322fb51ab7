import { describe, expect, it } from 'vitest';
import { caseOutcomes, compareOutcomes } from '../../../src/runner/watch/caseChanges.js';
import type { CaseRecord } from '../../../src/types.js';

function rec(variant: string, caseId: string, pass: boolean, repeat = 0): CaseRecord {
  return {
    suite: 's', variant, caseId, repeat, vars: {}, prompt: { name: 'p', version: 'v1', hash: 'h' }, model: 'echo',
    output: '', pass, score: pass ? 1 : 0, grades: [], tokens: null, costUsd: null, latencyMs: null, cached: false, error: null,
  };
}

describe('watch: newly failing and passing cases between two runs of a suite', () => {
  it('compares cases by variant and id; a case with any failing repeat fails', () => {
    // Before: a/1 passes, a/2 fails, b/1 passes (both repeats). After: a/1 fails, a/2 passes,
    // b/1 fails one of its two repeats, a/3 is new.
    const before = caseOutcomes([rec('a', '1', true), rec('a', '2', false), rec('b', '1', true), rec('b', '1', true, 1)]);
    const after = caseOutcomes([rec('a', '1', false), rec('a', '2', true), rec('b', '1', true), rec('b', '1', false, 1), rec('a', '3', true)]);
    expect(compareOutcomes(before, after)).toEqual({ newlyFailing: ['a/1', 'b/1'], newlyPassing: ['a/2'], added: ['a/3'] });
  });

  it('a case with the same outcome is in no list', () => {
    const runs = caseOutcomes([rec('a', '1', true), rec('a', '2', false)]);
    expect(compareOutcomes(runs, runs)).toEqual({ newlyFailing: [], newlyPassing: [], added: [] });
  });
});
