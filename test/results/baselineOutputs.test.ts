import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BASELINE_OUTPUT, collectBaselineOutputs, readBaseline, saveBaseline } from '../../src/results/baseline.js';
import { PROMPT_TEXTS_FILE } from '../../src/results/promptTexts.js';
import { writeFixtureRun } from '../reporters/fixtureRun.mjs';
import { decideVerdict } from '../../src/gate/decide.js';
import { tempDir } from '../reporters/fixtures.js';

let work: { dir: string; cleanup(): Promise<void> };
beforeAll(async () => {
  work = await tempDir('llm-eval-baseline-outputs-');
});
afterAll(() => work.cleanup());

async function lines(dir: string): Promise<Array<Record<string, unknown>>> {
  return (await readFile(path.join(dir, 'results.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('baseline.json keeps what explains a later regression', () => {
  it('stores each case’s first-repeat output and the template text of each prompt it used, once per hash', async () => {
    const dir = path.join(work.dir, 'run');
    await writeFixtureRun(dir, { cases: 6, repeats: 2, baseline: false, decideVerdict });
    // The fixture's prompts: v1 classify-ticket@v1#a1b2c3d4e5f6, v2 classify-ticket@v2#f6e5d4c3b2a1.
    const texts = { 'classify-ticket@v1#a1b2c3d4e5f6': 'Classify: {{ ticket }}', 'classify-ticket@v2#f6e5d4c3b2a1': 'Classify and summarise: {{ ticket }}', 'unused@v9#000000000000': 'not used by the run' };
    await writeFile(path.join(dir, PROMPT_TEXTS_FILE), JSON.stringify(texts));
    const { baseline } = await saveBaseline(dir, path.join(work.dir, 'baseline.json'));
    const records = await lines(dir);
    const first = records.find((r) => r['variant'] === 'v2' && r['caseId'] === 'tickets-000003' && r['repeat'] === 0)!;
    expect(baseline.suites['tickets']!['v2']!.outputs!['tickets-000003']).toBe(first['output']);
    expect(baseline.prompts).toEqual({ 'classify-ticket@v1#a1b2c3d4e5f6': 'Classify: {{ ticket }}', 'classify-ticket@v2#f6e5d4c3b2a1': 'Classify and summarise: {{ ticket }}' });
    // What was written reads back as a valid baseline with the same outputs.
    const read = await readBaseline(path.join(work.dir, 'baseline.json'));
    expect(read.suites['tickets']!['v1']!.outputs).toEqual(baseline.suites['tickets']!['v1']!.outputs);
  });

  it('cuts a long output at 4 KB and stops collecting past the total bound', async () => {
    const dir = path.join(work.dir, 'long');
    await writeFixtureRun(dir, { cases: 3, repeats: 1, baseline: false, outputWords: 2_000, decideVerdict });
    const { outputs } = await collectBaselineOutputs(dir);
    const one = outputs.get('tickets\u0000v1')!['tickets-000001']!;
    // 4 KB = 4,096 characters kept, then the cut marker.
    expect(one.startsWith((await lines(dir))[0]!['output'] as string)).toBe(false);
    expect(one.slice(0, MAX_BASELINE_OUTPUT)).toBe(((await lines(dir))[0]!['output'] as string).slice(0, 4096));
    expect(one).toMatch(/… \(cut at 4096 characters of \d+\)$/);
    // A total of 5,000 characters holds one cut output (≈4,140) but not a second.
    const bounded = await collectBaselineOutputs(dir, 5_000);
    const kept = [...bounded.outputs.values()].reduce((n, r) => n + Object.keys(r).length, 0);
    expect(kept).toBe(1);
    expect(bounded.leftOut).toBe(5);
  });
});
