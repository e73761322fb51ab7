import { describe, expect, it } from 'vitest';
import { gradeOnce } from './helpers.js';

describe('cost grader', () => {
  it('passes at or under the ceiling and fails over it', async () => {
    expect(await gradeOnce({ type: 'cost', max: 0.01 }, 'x', { costUsd: 0.01 })).toMatchObject({ pass: true, score: 1 });
    const over = await gradeOnce({ type: 'cost', max: 0.01 }, 'x', { costUsd: 0.0123 });
    expect(over).toMatchObject({ pass: false, score: 0, reason: 'cost $0.0123 > $0.0100' });
  });

  it('fails an unknown cost unless allowUnknown', async () => {
    const unknown = await gradeOnce({ type: 'cost', max: 1 }, 'x', { costUsd: null });
    expect(unknown.pass).toBe(false);
    expect(unknown.reason).toMatch(/^cost unknown/);
    expect((await gradeOnce({ type: 'cost', max: 1, allowUnknown: true }, 'x', { costUsd: null })).pass).toBe(true);
  });
});

describe('latency grader', () => {
  it('passes at or under maxMs and fails over it', async () => {
    expect(await gradeOnce({ type: 'latency', maxMs: 500 }, 'x', { latencyMs: 500 })).toMatchObject({ pass: true, score: 1 });
    expect(await gradeOnce({ type: 'latency', maxMs: 500 }, 'x', { latencyMs: 812.4 })).toMatchObject({ pass: false, score: 0, reason: 'latency 812 ms > 500 ms' });
  });
});
