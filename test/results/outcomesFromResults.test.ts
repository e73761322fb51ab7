import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseMeanScore, readRunOutcomes } from '../../src/results/outcomes.js';
import { skippedLineWarnings } from '../../src/comparison/readWarnings.js';
import { record, tempDir, writeRun } from './runFixture.js';

describe('per-case outcomes from results.jsonl', () => {
  it('pools repeats per suite × variant × case, counts errors as failures, keeps the newest line of a case written twice, ignores torn lines', async () => {
    const out = tempDir();
    const dir = writeRun(out, {
      runId: 'r',
      records: [
        record({ caseId: 'a', repeat: 0, pass: true }),
        record({ caseId: 'a', repeat: 1, pass: false }),
        record({ caseId: 'a', repeat: 2, pass: true }),
        record({ caseId: 'a', repeat: 2, pass: false }), // repeat 2 again (a resume retried it): the newest line counts
        record({ caseId: 'b', repeat: 0, pass: true, error: true }),
        record({ caseId: 'a', variant: 'v2', pass: false, costUsd: null }),
      ],
    });
    appendFileSync(path.join(dir, 'results.jsonl'), '{"suite": "tickets", "torn');
    const set = await readRunOutcomes(dir);
    const v1 = set.variants.find((v) => v.variant === 'v1')!;
    expect(v1.cases.get('a')).toMatchObject({ passes: 1, n: 3, errors: 0 });
    expect(caseMeanScore(v1.cases.get('a')!)).toBeCloseTo(1 / 3, 12);
    expect(v1.cases.get('b')).toMatchObject({ passes: 0, n: 1, errors: 1 });
    expect(v1.meanCostUsd).toBeCloseTo(0.001, 12);
    expect(v1.latencyMs).toEqual({ p50: 100, p95: 100 });
    // v2's answer has no price: its cost is unknown, not 0
    expect(set.variants.find((v) => v.variant === 'v2')!.meanCostUsd).toBeNull();
    expect(set.skippedLines).toEqual({ file: path.join(dir, 'results.jsonl'), unreadable: 1, duplicate: 0 });
    expect(skippedLineWarnings(set)).toEqual([`${path.join(dir, 'results.jsonl')}: 1 unreadable line(s) skipped`]);
  });
});
