import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baselineOutcomes, readBaseline, saveBaseline } from '../../src/results/baseline.js';
import { readRunOutcomes } from '../../src/results/outcomes.js';
import { UsageError } from '../../src/errors.js';
import { caseIds, tempDir, variantRecords, writeRun } from './runFixture.js';

function fixtureRun(out: string): string {
  const ids = caseIds(3);
  const v2 = variantRecords(ids, [[true, true], [true, false], [false, false]], { variant: 'v2' });
  const v1 = variantRecords(ids, [[true, true], [true, true], [false, true]], { variant: 'v1' });
  return writeRun(out, { runId: '20260101-000000-abcdef', records: [...v2, ...v1], fingerprints: { 'tickets/v1': { graders: 'g1', judgeModels: [], params: 'pp' } } });
}

describe('baseline.json', () => {
  it('is small, sorted and one line per case, and the same run saves byte-identical files', async () => {
    const out = tempDir();
    const run = fixtureRun(out);
    const f1 = path.join(out, 'b1.json');
    const f2 = path.join(out, 'b2.json');
    await saveBaseline(run, f1, '2026-01-02T00:00:00.000Z');
    await saveBaseline(run, f2, '2026-01-02T00:00:00.000Z');
    const text = readFileSync(f1, 'utf8');
    expect(readFileSync(f2, 'utf8')).toBe(text);
    // variants sorted (v1 before v2 although v2 ran first); a case is [passes, n, meanScore, content]
    expect(text.indexOf('"v1"')).toBeLessThan(text.indexOf('"v2"'));
    expect(text).toMatch(/\n {10}"c02": \[1, 2, 0\.5, "[0-9a-f]{8}"\],\n/);
    expect(text.startsWith('{\n  "createdAt": "2026-01-02T00:00:00.000Z",\n  "runId": "20260101-000000-abcdef",\n  "suites": {')).toBe(true);
    expect(text.trimEnd().endsWith('"version": 1\n}')).toBe(true);
  });

  it('round-trips: the baseline holds the same per-case outcomes and fingerprint as the run', async () => {
    const out = tempDir();
    const run = fixtureRun(out);
    const file = path.join(out, 'baseline.json');
    await saveBaseline(run, file);
    const fromRun = await readRunOutcomes(run);
    const fromBaseline = baselineOutcomes(await readBaseline(file), 'baseline.json');
    for (const v of fromRun.variants) {
      const b = fromBaseline.variants.find((x) => x.suite === v.suite && x.variant === v.variant)!;
      expect([...b.cases.entries()].sort()).toEqual([...v.cases.entries()].sort());
      expect(b.fingerprint).toEqual(v.fingerprint);
    }
    const v1 = fromBaseline.variants.find((x) => x.variant === 'v1')!;
    expect(v1.fingerprint.graders).toBe('g1');
    expect(v1.cases.get('c03')).toMatchObject({ passes: 1, n: 2 });
  });

  it('a missing, malformed or foreign file is a usage error saying how to make one', async () => {
    const out = tempDir();
    await expect(readBaseline(path.join(out, 'nope.json'))).rejects.toThrow(/llm-eval baseline save/);
    const bad = path.join(out, 'bad.json');
    writeFileSync(bad, '{"version": 1, "suites": {"s": {"v": {"cases": {"c1": [3, 2, 1]}}}}}');
    await expect(readBaseline(bad)).rejects.toBeInstanceOf(UsageError);
    writeFileSync(bad, '{"version": 7, "suites": {}}');
    await expect(readBaseline(bad)).rejects.toThrow(/unsupported version 7/);
  });

  it('refuses a run that covered one shard only, and saves it with a warning when partial is allowed', async () => {
    const out = tempDir();
    const run = writeRun(out, { runId: 's1', records: variantRecords(['a'], [[true]]), shard: { index: 1, total: 2 } });
    await expect(saveBaseline(run, path.join(out, 'b.json'))).rejects.toThrow(/covered shard 1\/2 only.*--allow-partial/);
    const saved = await saveBaseline(run, path.join(out, 'b.json'), undefined, { allowPartial: true });
    expect(saved.incomplete.join('\n')).toContain('covered shard 1/2 only');
  });
});
