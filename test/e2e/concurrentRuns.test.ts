/**
 * Two runs at once in one project share its response cache and reports folder: both finish,
 * every cache entry is whole, each run's folder holds its own complete results and report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import { spawnCli } from '../helpers/spawnCli.js';
import { KEY_ENV, cacheEntryCase, caseKeyOf, listFiles, readCacheEntries, readResultLines, writeFakeLlmProject } from '../helpers/fakeLlmProject.js';

describe('two runs at once in one project', () => {
  let llm: FakeLlm;
  beforeAll(async () => {
    llm = await startFakeLlm({ latencyMs: 20 });
  });
  afterAll(() => llm.close());

  it('both finish; neither corrupts the shared cache nor the other run', { timeout: 90_000 }, async () => {
    const ROWS = 20;
    const REPEAT = 2;
    const TOTAL = ROWS * 2 * REPEAT;
    const dir = writeFakeLlmProject({ baseURL: llm.openaiBaseURL, rows: ROWS, repeat: REPEAT, concurrency: 4 });
    const runs = [spawnCli(['run', '--format', 'json,md'], dir, KEY_ENV), spawnCli(['run', '--format', 'json,md'], dir, KEY_ENV)];
    const exits = await Promise.all(runs.map((r) => r.exited));
    for (const e of exits) {
      expect(e.stderr).not.toMatch(/crashed/);
      expect(e.code, e.stderr).toBe(0);
    }
    // Each answer was paid for at most once per run; the cache may spare the second some calls.
    expect(llm.requests.length).toBeGreaterThanOrEqual(TOTAL);
    expect(llm.requests.length).toBeLessThanOrEqual(2 * TOTAL);

    // Every cache file parses, and there is exactly one entry per sample (a repeat is its own sample).
    const cacheDir = path.join(dir, '.llm-eval', 'cache');
    const entries = readCacheEntries(cacheDir);
    expect(new Set(entries.map(cacheEntryCase)).size).toBe(TOTAL);
    expect(entries).toHaveLength(TOTAL);
    expect(listFiles(cacheDir).filter((f) => f.endsWith('.tmp')), 'no temp file left behind').toEqual([]);

    const reports = path.join(dir, 'reports');
    const folders = listFiles(reports)
      // `latest` is a symlink, which listFiles does not follow.
      .filter((f) => f.endsWith('report.json'))
      .map((f) => path.basename(path.dirname(f)));
    // Two folders, each named by its run id: the ids differ.
    expect(new Set(folders).size, 'two run folders').toBe(2);
    for (const id of folders) {
      const report = JSON.parse(readFileSync(path.join(reports, id, 'report.json'), 'utf8')) as {
        runId: string;
        status: string;
        suites: Array<{ variants: Array<{ cases: number }> }>;
      };
      expect(report.runId).toBe(id);
      expect(report.status).toBe('completed');
      expect(report.suites[0]!.variants.map((v) => v.cases)).toEqual([ROWS * REPEAT, ROWS * REPEAT]);
      const lines = readResultLines(path.join(reports, id, 'results.jsonl'));
      expect(new Set(lines.map(caseKeyOf)).size).toBe(TOTAL);
      expect(lines).toHaveLength(TOTAL);
      for (const l of lines) expect(l.output).toMatch(/^Question q\d+:/);
    }
    expect(listFiles(reports).filter((f) => f.endsWith('.tmp')), 'no temp file left behind').toEqual([]);
  });
});
