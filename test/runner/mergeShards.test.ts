import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeRuns } from '../../src/runner/merge.js';
import { annotateSummaries, readRunOutcomes } from '../../src/results/outcomes.js';
import { saveBaseline } from '../../src/results/baseline.js';
import { inShard } from '../../src/plan/shard.js';
import type { CaseRecord, ResolvedSuite, RunReport } from '../../src/types.js';
import { caseIds, record, tempDir, writeRun } from '../results/runFixture.js';

const ids = caseIds(30);
/** 30 rows × 2 variants × 2 repeats, with a fixed pattern of failures. */
function allRecords(): CaseRecord[] {
  const out: CaseRecord[] = [];
  ids.forEach((caseId, i) => {
    for (const [vi, variant] of ['v1', 'v2'].entries()) {
      for (let repeat = 0; repeat < 2; repeat++) out.push(record({ caseId, variant, repeat, pass: (i * 7 + repeat * 3 + vi) % 5 !== 0, latencyMs: 100 + i }));
    }
  });
  return out;
}
const fingerprints = { 'tickets/v1': { graders: 'g1', judgeModels: [], params: 'p1' }, 'tickets/v2': { graders: 'g1', judgeModels: [], params: 'p2' } };

function shardRuns(out: string): string[] {
  return [1, 2, 3].map((index) =>
    writeRun(out, { runId: `shard-${index}`, records: allRecords().filter((r) => inShard(r.caseId, { index, total: 3 })), shard: { index, total: 3 }, fingerprints }),
  );
}

const lines = (dir: string) => readFileSync(path.join(dir, 'results.jsonl'), 'utf8').trim().split('\n').sort();
const gateSuite = (gate: ResolvedSuite['gate']): ResolvedSuite => ({ name: 'tickets', dataset: 'd.jsonl', variants: [], repeat: 2, graders: [], options: {}, gate });

describe('merging shard runs', () => {
  it('shards 1/3, 2/3, 3/3 merged equal the unsharded run case for case', async () => {
    const out = tempDir();
    const whole = writeRun(out, { runId: 'whole', records: allRecords(), fingerprints });
    const merged = await mergeRuns({ dirs: shardRuns(out), outDir: out, updateLatest: false });
    expect(merged.records).toBe(120);
    expect(merged.duplicates).toBe(0);
    expect(merged.warnings).toEqual([]);
    expect(lines(merged.dir)).toEqual(lines(whole));

    const a = await readRunOutcomes(whole);
    const b = await readRunOutcomes(merged.dir);
    for (const v of a.variants) {
      const m = b.variants.find((x) => x.suite === v.suite && x.variant === v.variant)!;
      expect([...m.cases.entries()].sort()).toEqual([...v.cases.entries()].sort());
      expect(m.fingerprint).toEqual(v.fingerprint);
      expect(m.latencyMs).toEqual(v.latencyMs);
    }

    const wholeReport = JSON.parse(readFileSync(path.join(whole, 'report.json'), 'utf8')) as RunReport;
    // The runner annotates its report.json from the case outcomes (repeats, case-clustered interval); so does merge.
    annotateSummaries(wholeReport.suites, a.variants);
    const pick = (r: RunReport) => r.suites.flatMap((s) => s.variants.map((v) => [s.name, v.name, v.cases, v.passed, v.passRate, v.passRateCI95, v.latencyMs]).sort());
    expect(pick(merged.report)).toEqual(pick(wholeReport));
    expect(merged.report.totals).toEqual(wholeReport.totals);
    // repeat statistics and the config-side fingerprint are carried into the merged report
    const v1 = merged.report.suites[0]!.variants.find((v) => v.name === 'v1')!;
    expect(v1.repeats?.k).toBe(2);
    expect(v1.fingerprint?.graders).toBe('g1');
  });

  it('gives one gate verdict: no config → every case must pass (exit 1); a met minPassRate passes (exit 0)', async () => {
    const out = tempDir();
    const noConfig = await mergeRuns({ dirs: shardRuns(out), outDir: out, updateLatest: false });
    expect(noConfig.exitCode).toBe(1);
    expect(noConfig.report.gate.failures.map((f) => f.rule)).toEqual(['all-pass', 'all-pass']);
    const withGate = await mergeRuns({ dirs: shardRuns(tempDir()), outDir: out, updateLatest: false, suites: [gateSuite({ minPassRate: 0.7 })] });
    expect(withGate.exitCode).toBe(0);
  });

  it('with a baseline, gates on regression over all shards together', async () => {
    const out = tempDir();
    const base = writeRun(out, { runId: 'base', records: allRecords().map((r) => ({ ...r, pass: true, score: 1 })), fingerprints });
    const file = path.join(out, 'baseline.json');
    await saveBaseline(base, file);
    const merged = await mergeRuns({ dirs: shardRuns(out), outDir: out, updateLatest: false, baseline: file });
    expect(merged.comparison!.variants.every((v) => v.pairedCases === 30)).toBe(true);
    expect(merged.report.gate.failures.map((f) => f.rule)).toEqual(['regression', 'regression']);
    expect(merged.exitCode).toBe(1);
  });

  it('warns about a missing shard and drops duplicates when a shard is passed twice', async () => {
    const out = tempDir();
    const [s1, s2] = shardRuns(out);
    const merged = await mergeRuns({ dirs: [s1!, s2!, s2!], outDir: out, updateLatest: false });
    expect(merged.warnings.join('\n')).toContain('shard 3/3 missing');
    expect(merged.warnings.join('\n')).toContain('shard 2/3 appears twice');
    expect(merged.duplicates).toBe(allRecords().filter((r) => inShard(r.caseId, { index: 2, total: 3 })).length);
  });
});
