import { describe, expect, it } from 'vitest';
import { PendingCases } from '../../src/runner/pendingCases.js';
import type { EvalCase } from '../../src/types.js';

const at = (ordinal: number, id: string): EvalCase => ({ key: `s/v/${id}#0`, suite: 's', variant: 'v', row: { id, vars: {}, source: { file: 'd.jsonl', line: ordinal + 1 } }, repeat: 0, ordinal });

describe('PendingCases', () => {
  it('finds the cases added, by place and key, and nothing else', () => {
    const pending = new PendingCases();
    pending.add(at(0, 'a'));
    pending.add(at(70_000, 'z'));
    expect(pending.size).toBe(2);
    expect(pending.has(at(0, 'a'))).toBe(true);
    expect(pending.has(at(70_000, 'z'))).toBe(true);
    expect(pending.has(at(1, 'b'))).toBe(false);
    expect(pending.has(at(70_001, 'y'))).toBe(false);
  });

  it('a dataset edited between passes: another case at a pending place is not pending', () => {
    const pending = new PendingCases();
    pending.add(at(5, 'row-5'));
    // A row inserted above it moved it to place 6; place 5 now holds another row.
    expect(pending.has(at(5, 'new-row'))).toBe(false);
  });
});
