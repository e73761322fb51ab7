import { createHash } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResolvedModel, ResolvedSuite, ResolvedVariant, SuiteSummary } from '../../src/types.js';
import { datasetHashOf, gradersHash, judgeModelsOf, undatedAlias, variantFingerprint } from '../../src/results/fingerprint.js';
import { runStatistics } from '../../src/comparison/runStatistics.js';
import { decideVerdict } from '../../src/gate/decide.js';
import { saveBaseline } from '../../src/results/baseline.js';
import { SummaryBuilder } from '../../src/results/summary.js';
import { caseIds, record, tempDir, writeRun } from './runFixture.js';

const models: Record<string, ResolvedModel> = {
  fast: { name: 'fast', provider: 'openai', model: 'gpt-4o-mini', params: {}, stream: true },
  judge: { name: 'judge', provider: 'anthropic', model: 'claude-sonnet-4-5-20250929', params: {}, stream: true },
  echo: { name: 'echo', provider: 'echo', params: {}, stream: true },
};
function variant(name: string, params: Record<string, unknown> = {}): ResolvedVariant {
  return { name, model: 'echo', params, prompt: { name: 'classify', version: 'v1', ref: 'classify@v1', file: 'prompts/classify/v1.md', hash: 'p1hash', messages: [], params: {} } };
}
function suite(graders: ResolvedSuite['graders'], gate?: ResolvedSuite['gate']): ResolvedSuite {
  return { name: 'tickets', dataset: 'datasets/t.jsonl', variants: [variant('v1')], repeat: 1, graders, options: {}, gate };
}

describe('variant fingerprints', () => {
  it('grader config hash ignores display names but not options', () => {
    const a = gradersHash({ graders: [{ type: 'exact', value: 'x' }], options: {} });
    expect(gradersHash({ graders: [{ type: 'exact', name: 'label', value: 'x' }], options: {} })).toBe(a);
    expect(gradersHash({ graders: [{ type: 'exact', value: 'x', ignoreCase: true }], options: {} })).not.toBe(a);
    expect(gradersHash({ graders: [{ type: 'exact', value: 'x' }], options: { canary: true } })).not.toBe(a);
  });

  it('names judge models by provider id and fingerprints model and params', () => {
    const s = suite([{ type: 'judge', model: 'judge', rubric: 'polite?' }, { type: 'exact' }]);
    expect(judgeModelsOf({ models }, s)).toEqual(['anthropic:claude-sonnet-4-5-20250929']);
    const fp = variantFingerprint({ models }, s, variant('v1', { temperature: 0 }));
    expect(fp.prompt).toBe('classify@v1#p1hash');
    expect(fp.model).toBe('echo');
    expect(fp.params).not.toBe(variantFingerprint({ models }, s, variant('v1', { temperature: 1 })).params);
  });

  it('recognises undated model aliases', () => {
    expect(undatedAlias('openai:gpt-4o')).toBe('gpt-4o');
    expect(undatedAlias('gpt-4o-mini')).toBe('gpt-4o-mini');
    expect(undatedAlias('claude-sonnet-4-5')).toBe('claude-sonnet-4-5');
    expect(undatedAlias('claude-3-5-sonnet-latest')).toBe('claude-3-5-sonnet-latest');
    expect(undatedAlias('openai:gpt-4o-2024-08-06')).toBeNull();
    expect(undatedAlias('claude-sonnet-4-5-20250929')).toBeNull();
    expect(undatedAlias('gpt-4-0613')).toBeNull();
    expect(undatedAlias('openai-compatible:llama3.1')).toBeNull();
    expect(undatedAlias('echo')).toBeNull();
  });
});

describe('runStatistics: the end-of-run step for the runner', () => {
  const ids = caseIds(40);
  function summaries(records: ReturnType<typeof record>[]): SuiteSummary[] {
    const b = new SummaryBuilder();
    for (const r of records) b.add(r);
    return b.suites();
  }

  it('annotates summaries with repeats and fingerprint, compares to the baseline and gates on regression', async () => {
    const out = tempDir();
    const good = ids.map((caseId) => record({ caseId, pass: true }));
    const baseRun = writeRun(out, { runId: 'base', records: good, fingerprints: { 'tickets/v1': variantFingerprint({ models }, suite([{ type: 'exact' }]), variant('v1')) } });
    const file = path.join(out, 'baseline.json');
    await saveBaseline(baseRun, file);

    // The new run changed its grader config and dropped 8 cases (p = 2/256).
    const badRecords = ids.map((caseId, i) => record({ caseId, pass: i >= 8 }));
    const dir = writeRun(out, { runId: 'new', records: badRecords, report: false });
    const sums = summaries(badRecords);
    const suites = [suite([{ type: 'exact', ignoreCase: true }])];
    const stats = await runStatistics({ runDir: dir, config: { models }, suites, summaries: sums, baseline: file });
    const failures = decideVerdict({ suites, outcomes: stats.outcomes.variants, comparison: stats.comparison }).verdict.failures;

    const v = sums[0]!.variants[0]!;
    expect(v.repeats).toMatchObject({ cases: 40, k: 1, meanPassProbability: 0.8, flaky: 0 });
    expect(v.fingerprint?.graders).toBe(gradersHash({ graders: [{ type: 'exact', ignoreCase: true }], options: {} }));
    expect(v.fingerprint?.dataset).toMatch(/^[0-9a-f]{12}$/);
    expect(stats.comparison!.variants[0]!.pValue).toBeCloseTo(2 / 256, 12);
    expect(failures.map((f) => f.rule)).toEqual(['regression']);
    expect(failures[0]!.cases).toEqual(ids.slice(0, 8));
    expect(stats.warnings.join('\n')).toContain('the grader config changed');
  });

  it("report.json's pass-rate interval with repeats counts cases, not samples: 60 cases × 3 repeats", async () => {
    // 45 cases pass all 3 repeats, 15 pass 1 of 3: Σ case pass rates = 45 + 15/3 = 50 of 60 cases.
    // Wilson(50, 60) = [0.719684, 0.906868] (hand formula in python); as if 180 independent
    // samples, Wilson(150, 180) = [0.772048, 0.880688], too narrow.
    const out = tempDir();
    const sixty = caseIds(60);
    const recs = sixty.flatMap((caseId, i) => [0, 1, 2].map((repeat) => record({ caseId, repeat, pass: i < 45 || repeat === 0 })));
    const dir = writeRun(out, { runId: 'r3', records: recs, report: false });
    const sums = summaries(recs);
    await runStatistics({ runDir: dir, config: { models }, suites: [suite([])], summaries: sums });
    const v = sums[0]!.variants[0]!;
    expect(v.passRateCI95[0]).toBeCloseTo(0.719684, 6);
    expect(v.passRateCI95[1]).toBeCloseTo(0.906868, 6);
    expect(v.passRateInterval).toEqual({ method: 'wilson-clustered-by-case', cases: 60, samples: 180 });
  });

  it('without a baseline there is no comparison; passAllRepeats applies where set', async () => {
    const out = tempDir();
    const recs = ids.flatMap((caseId, i) => [0, 1].map((repeat) => record({ caseId, repeat, pass: !(i === 3 && repeat === 1) })));
    const dir = writeRun(out, { runId: 'r', records: recs, report: false });
    const suites = [suite([], { passAllRepeats: true })];
    const stats = await runStatistics({ runDir: dir, config: { models }, suites, summaries: summaries(recs) });
    expect(stats.comparison).toBeNull();
    const failures = decideVerdict({ suites, outcomes: stats.outcomes.variants, comparison: stats.comparison }).verdict.failures;
    expect(failures.map((f) => [f.rule, f.cases])).toEqual([['passAllRepeats', ['c04']]]);
  });
});

describe('the dataset hash', () => {
  it('is sha256 of the JSON array of [id, content] pairs sorted by id, first 12 hex digits, however it is fed', () => {
    const cases = new Map<string, { content: string | null }>([
      ['b"quote', { content: 'h2' }],
      ['a-é', { content: 'h1' }],
      ['c', { content: null }],
    ]);
    // Written out by hand: ids sorted by UTF-16 code units ("a-é" < "b\"quote" < "c"); null content is "".
    const json = '[["a-é","h1"],["b\\"quote","h2"],["c",""]]';
    expect(datasetHashOf(cases)).toBe(createHash('sha256').update(json).digest('hex').slice(0, 12));
  });
});
