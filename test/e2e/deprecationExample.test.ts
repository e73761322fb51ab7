import { describe, expect, it } from 'vitest';
import { copyExample, runCli } from '../helpers/project.js';

describe('examples/model-deprecation', () => {
  it('runs offline, then one compare sentence says the successor is no worse, with cost and latency ratios', { timeout: 60_000 }, () => {
    const dir = copyExample('model-deprecation');
    const run = runCli(['run'], dir);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const compare = runCli(['compare', 'latest', '--variants', 'incumbent,candidate', '--non-inferiority', '5'], dir);
    expect(compare.code, compare.stdout + compare.stderr).toBe(0);
    const out = compare.stdout + compare.stderr;
    // The candidate knows every keyword the prompt lists; the incumbent only the first five of
    // each category, which misses 6 of the 36 tickets (t12, t14, t19, t21, t22, t29).
    expect(out).toMatch(/no worse than incumbent\.mjs by more than 5 points/);
    expect(out).toContain('6 newly passing');
    // Prices: 1/0.25 input and 5/1.25 output per 1M tokens on the same tokens: 4× the cost.
    expect(out).toMatch(/costs 4×/);
    expect(out).toMatch(/slower at p50|faster at p50/);
  });
});
