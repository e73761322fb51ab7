import { describe, expect, it } from 'vitest';
import { newRunId } from '../../src/results/store.js';

describe('run ids', () => {
  it('runs started within the same second sort in the order they started (watch mode re-runs within a second)', () => {
    // 0.005 s and 0.900 s into the same second: 0x005 and 0x384.
    const first = newRunId(new Date('2026-12-01T10:00:00.005Z'));
    const second = newRunId(new Date('2026-12-01T10:00:00.900Z'));
    expect(first).toMatch(/^20261201-100000-005[0-9a-f]{6}$/);
    expect(second).toMatch(/^20261201-100000-384[0-9a-f]{6}$/);
    for (let i = 0; i < 50; i++) expect([newRunId(new Date('2026-12-01T10:00:00.900Z')), first].sort()[0]).toBe(first);
  });

  it('two runs started in the same millisecond still get different ids', () => {
    const at = new Date('2026-12-01T10:00:00.123Z');
    expect(new Set(Array.from({ length: 100 }, () => newRunId(at))).size).toBe(100);
  });
});
