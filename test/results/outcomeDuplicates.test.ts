/**
 * OutcomeAccumulator counts a second record of the same suite/variant/case/repeat as a duplicate
 * (ignored), and every other record once, whichever repeat a case starts at. The repeats seen
 * are tracked per case without a map entry for a case seen at repeat 0 only (a run without
 * repeats), so these cases cover that shortcut and its way out.
 */
import { describe, expect, it } from 'vitest';
import { OutcomeAccumulator } from '../../src/results/outcomes.js';
import type { CaseRecord } from '../../src/types.js';

function rec(caseId: string, repeat: number, pass = true): CaseRecord {
  return {
    suite: 's', variant: 'v', caseId, repeat, vars: { caseId }, prompt: { name: 'p', version: 'v1', hash: 'h' }, model: 'echo',
    output: 'x', pass, score: pass ? 1 : 0, grades: [], tokens: null, costUsd: 0, latencyMs: 1, cached: false, error: null,
  };
}

describe('OutcomeAccumulator duplicates', () => {
  it('ignores a repeated (case, repeat) and counts distinct repeats, in any order', () => {
    const acc = new OutcomeAccumulator();
    // a: repeat 0 twice (1 duplicate). b: 0, 1, then 0 again (1 duplicate). c: starts at 2, then 0, then 2 (1 duplicate).
    // d: repeat 40 (beyond the bit mask) twice (1 duplicate).
    const added = [rec('a', 0), rec('a', 0, false), rec('b', 0), rec('b', 1, false), rec('b', 0), rec('c', 2), rec('c', 0), rec('c', 2), rec('d', 40), rec('d', 40)].map((r) => acc.add(r));
    expect(added).toEqual([true, false, true, true, false, true, true, false, true, false]);
    expect(acc.duplicates).toBe(4);
    const cases = acc.variantsOutcomes()[0]!.cases;
    expect([...cases.entries()].map(([id, c]) => [id, c.passes, c.n])).toEqual([
      ['a', 1, 1],
      ['b', 1, 2],
      ['c', 2, 2],
      ['d', 1, 1],
    ]);
  });
});
