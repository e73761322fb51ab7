import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CustomIdIndex } from '../../../src/execute/batch/customIds.js';

const ownId = (): string => `le-${randomBytes(16).toString('hex')}`;

describe('CustomIdIndex', () => {
  it('finds exactly the ids it was given, agreeing with a plain Set over 20,000 random lookups', () => {
    const ids = Array.from({ length: 5000 }, ownId);
    const index = CustomIdIndex.of(ids);
    const truth = new Set(ids);
    expect(index.size).toBe(5000);
    for (const id of ids) expect(index.has(id)).toBe(true);
    // Strangers, and near misses: one hex digit changed at either end.
    const probes = [
      ...Array.from({ length: 10_000 }, ownId),
      ...ids.slice(0, 5000).map((id) => id.slice(0, -1) + (id.endsWith('0') ? '1' : '0')),
      ...ids.slice(0, 5000).map((id) => 'le-' + (id[3] === 'f' ? 'e' : 'f') + id.slice(4)),
    ];
    for (const p of probes) expect(index.has(p)).toBe(truth.has(p));
  });

  it('keeps ids of another form as strings, and a repeated id once', () => {
    const a = ownId();
    const index = CustomIdIndex.of([a, a, 'custom-1', 'LE-ABC', `le-${'A'.repeat(32)}`]);
    expect(index.size).toBe(4);
    expect(index.has(a)).toBe(true);
    expect(index.has('custom-1')).toBe(true);
    expect(index.has('LE-ABC')).toBe(true);
    // Upper-case hex is not llm-eval's form: kept as written, not folded into the lower-case id.
    expect(index.has(`le-${'A'.repeat(32)}`)).toBe(true);
    expect(index.has(`le-${'a'.repeat(32)}`)).toBe(false);
    expect(index.has('custom-2')).toBe(false);
  });

  it('an empty batch finds nothing', () => {
    const index = CustomIdIndex.of([]);
    expect(index.size).toBe(0);
    expect(index.has(ownId())).toBe(false);
  });
});
