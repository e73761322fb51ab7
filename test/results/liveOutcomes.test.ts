import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveOutcomes, OutcomeAccumulator, readRunOutcomes, runOutcomeSet } from '../../src/results/outcomes.js';
import { RESULTS_FILE, RUN_META_FILE, ResultsWriter } from '../../src/results/store.js';
import { clearSecrets, registerSecret } from '../../src/util/secrets.js';
import { record, tempDir } from './runFixture.js';

// The runner gathers a run's outcomes as it writes results.jsonl (no second pass over the file).
// What it gathers must be what reading the folder back gives, or a baseline made from the folder
// and a comparison made at the end of the run would disagree about the same run.
describe('outcomes gathered while writing results.jsonl', () => {
  afterEach(() => clearSecrets());

  it('equal the outcomes read back from the run folder, secrets masked in both', async () => {
    const SECRET = 'sk-live-outcomes-0123456789';
    registerSecret(SECRET);
    const dir = path.join(tempDir(), 'r1');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, RUN_META_FILE), JSON.stringify({ runId: 'r1', createdAt: '2026-12-01T00:00:00Z', status: 'completed', options: { shard: { index: 1, total: 3 } } }));
    const writer = new ResultsWriter(path.join(dir, RESULTS_FILE));
    const acc = new OutcomeAccumulator();
    const records = [
      record({ caseId: 'a', pass: true, latencyMs: 120 }),
      record({ caseId: 'b', pass: false, costUsd: 0.002, latencyMs: 80 }),
      // A case whose vars hold the API key: results.jsonl stores it masked, and so must the content hash.
      record({ caseId: 'c', pass: true, vars: { text: `my key is ${SECRET}` } }),
      record({ caseId: 'a', variant: 'v2', pass: false, costUsd: null }),
    ];
    for (const r of records) acc.add(writer.append(r));
    await writer.close();

    const live = runOutcomeSet(acc, { runId: 'r1', shard: { index: 1, total: 3 }, file: path.join(dir, RESULTS_FILE), unreadable: 0 });
    const read = await readRunOutcomes(dir);
    expect(live).toEqual(read);
    // Not equal by accident: the masked case's content hash differs from the unmasked one's.
    const unmasked = new OutcomeAccumulator();
    unmasked.add(records[2]!);
    expect(unmasked.variantsOutcomes()[0]!.cases.get('c')!.content).not.toBe(read.variants[0]!.cases.get('c')!.content);
  });

  it('a run larger than the bound gathers nothing (its statistics read results.jsonl back), a smaller one hands over every case', () => {
    const run = { runId: 'r', file: '/x/results.jsonl', unreadable: 0 };
    const small = new LiveOutcomes(3);
    for (const id of ['a', 'b', 'c']) small.add(record({ caseId: id, pass: true }));
    small.add(record({ caseId: 'a', pass: false })); // the 4th record: over the bound of 3
    expect(small.set(run)).toBeUndefined();
    const fits = new LiveOutcomes(3);
    fits.add(record({ caseId: 'a', pass: true }));
    fits.add(record({ caseId: 'a', pass: false })); // the same case and repeat again: a duplicate
    fits.add(record({ caseId: 'b', pass: false }));
    expect(fits.duplicates).toBe(1);
    const set = fits.set(run)!;
    expect([...set.variants[0]!.cases.keys()]).toEqual(['a', 'b']);
    expect(set.skippedLines).toEqual({ file: '/x/results.jsonl', unreadable: 0, duplicate: 1 });
    // Handed over once: the gatherer keeps nothing after.
    expect(fits.set(run)).toBeUndefined();
  });
});
