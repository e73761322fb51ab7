import { describe, expect, it } from 'vitest';
import { benjaminiHochberg } from '../../src/stats/multipleTesting.js';

describe('Benjamini–Hochberg adjusted p-values', () => {
  it('worked example: [0.01, 0.04, 0.03, 0.005]', () => {
    // sorted: 0.005 (rank 1), 0.01 (2), 0.03 (3), 0.04 (4); m/rank·p = 0.02, 0.02, 0.04, 0.04
    // running minimum from the largest rank down: 0.04, 0.04, 0.02, 0.02
    const adj = benjaminiHochberg([0.01, 0.04, 0.03, 0.005]);
    expect(adj[0]).toBeCloseTo(0.02, 12);
    expect(adj[1]).toBeCloseTo(0.04, 12);
    expect(adj[2]).toBeCloseTo(0.04, 12);
    expect(adj[3]).toBeCloseTo(0.02, 12);
  });

  it('a later smaller bound pulls earlier ones down (step-up): [0.01, 0.02, 0.03, 0.5] → [0.04, 0.04, 0.04, 0.5]', () => {
    // raw: 4·0.01 = 0.04, 2·0.02 = 0.04, 4/3·0.03 = 0.04, 0.5
    const adj = benjaminiHochberg([0.01, 0.02, 0.03, 0.5]);
    expect(adj.map((x) => Number(x!.toFixed(12)))).toEqual([0.04, 0.04, 0.04, 0.5]);
  });

  it('untested entries pass through as null and do not count towards m', () => {
    // m = 2: 0.01 → 2·0.01 = 0.02; 0.04 → 0.04
    const adj = benjaminiHochberg([0.01, null, 0.04]);
    expect(adj[0]).toBeCloseTo(0.02, 12);
    expect(adj[1]).toBeNull();
    expect(adj[2]).toBeCloseTo(0.04, 12);
  });

  it('caps at 1 and never lowers a p-value below its raw value', () => {
    const raw = [0.9, 0.8, 0.7];
    const adj = benjaminiHochberg(raw);
    adj.forEach((p, i) => {
      expect(p!).toBeLessThanOrEqual(1);
      expect(p!).toBeGreaterThanOrEqual(raw[i]!);
    });
  });
});
