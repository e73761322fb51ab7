import { describe, expect, it } from 'vitest';
import { CaseOutcomeTable } from '../../src/results/caseOutcomeTable.js';
import type { CaseOutcome } from '../../src/results/outcomes.js';

describe('CaseOutcomeTable', () => {
  it('pools samples per case exactly as a Map of objects would, in first-seen order', () => {
    const table = new CaseOutcomeTable();
    const truth = new Map<string, CaseOutcome>();
    let seed = 99;
    const rand = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let i = 0; i < 5000; i++) {
      const id = `case-${rand(1500)}${rand(7) === 0 ? '-é' : ''}`;
      const content = rand(5) === 0 ? null : rand(5) === 0 ? 'not-hex' : rand(2 ** 30).toString(16).padStart(8, '0');
      const sample = { pass: rand(2) === 0, error: rand(9) === 0, score: rand(101) / 100 };
      table.addSample(id, content, sample);
      let c = truth.get(id);
      if (!c) truth.set(id, (c = { passes: 0, n: 0, scoreSum: 0, errors: 0, content }));
      c.n++;
      if (sample.pass) c.passes++;
      if (sample.error) c.errors++;
      c.scoreSum += sample.score;
    }
    expect(table.size).toBe(truth.size);
    expect([...table.keys()]).toEqual([...truth.keys()]);
    for (const [id, c] of table) {
      const t = truth.get(id)!;
      expect({ ...c, scoreSum: Number(c.scoreSum.toFixed(9)) }).toEqual({ ...t, scoreSum: Number(t.scoreSum.toFixed(9)) });
    }
    expect(table.get('case-x')).toBeUndefined();
    expect(table.has('case-x')).toBe(false);
  });

  it('keeps a leading-zero content hash as written', () => {
    const table = new CaseOutcomeTable();
    table.addSample('a', '000000ff', { pass: true, error: false, score: 1 });
    table.addSample('a', 'ignored', { pass: false, error: true, score: 0 });
    expect(table.get('a')).toEqual({ passes: 1, n: 2, scoreSum: 1, errors: 1, content: '000000ff' });
    const seen: string[] = [];
    table.forEach((c, id) => seen.push(`${id}:${c.n}`));
    expect(seen).toEqual(['a:2']);
  });
});
