import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { caseIds, record, tempDir, writeRun } from '../results/runFixture.js';
import { inShard } from '../../src/plan/shard.js';

/** Runs the CLI in-process and returns what it printed and its exit code. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  process.exitCode = 0;
  try {
    await main(['node', 'llm-eval', ...args]);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { code, stdout, stderr };
}

const ids = caseIds(50);
const baseFails = new Set(ids.slice(45));

let out: string;
beforeEach(() => {
  out = tempDir('llm-eval-cli-');
});
afterEach(() => {
  process.exitCode = 0;
});

function run(runId: string, fails: Set<string>): string {
  return writeRun(out, { runId, records: ids.map((caseId) => record({ caseId, pass: !fails.has(caseId) })) });
}

describe('llm-eval baseline save / compare', () => {
  it('saves a baseline; an identical run compares clean (exit 0); a large drop exits 1 naming the cases', async () => {
    const good = run('20260101-000000-aaaaaa', baseFails);
    const file = path.join(out, 'baseline.json');
    const saved = await cli('baseline', 'save', good, '--out', file);
    expect(saved.code).toBe(0);
    expect(saved.stdout).toContain('Saved the baseline of run 20260101-000000-aaaaaa');
    expect(existsSync(file)).toBe(true);

    const same = await cli('compare', file, run('20260101-000001-bbbbbb', baseFails));
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('Verdict: passed');

    const noise = await cli('compare', file, run('20260101-000002-cccccc', new Set([...baseFails, 'c01', 'c02'])));
    expect(noise.code).toBe(0);
    expect(noise.stdout).toContain('2 newly failing: c01 (1/1 → 0/1), c02 (1/1 → 0/1)');

    const bad = await cli('compare', file, run('20260101-000003-dddddd', new Set([...baseFails, ...ids.slice(0, 10)])));
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('Verdict: failed');
    expect(bad.stdout).toContain('[regression] tickets/v1: regression: pass rate fell 20 points');
    expect(bad.stdout).toContain('Look first at: c01 (1/1 → 0/1)');
  });

  it('--json prints the comparison and the verdict for machines', async () => {
    const a = run('a', baseFails);
    const b = run('b', new Set([...baseFails, ...ids.slice(0, 10)]));
    const r = await cli('compare', a, b, '--json');
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as { variants: Array<{ pValue: number }>; gate: { passed: boolean; failures: Array<{ rule: string; cases: string[] }> } };
    expect(json.variants[0]!.pValue).toBeCloseTo(2 / 1024, 12);
    expect(json.gate.passed).toBe(false);
    expect(json.gate.failures[0]!.cases.slice(0, 3)).toEqual(['c01', 'c02', 'c03']);
  });

  it('--non-inferiority within one run (--variants old,new) exits by the verdict', async () => {
    const forty = caseIds(40);
    const dir = writeRun(out, {
      runId: 'dep',
      records: [
        ...forty.map((caseId, i) => record({ caseId, variant: 'old', model: 'openai:gpt-4o-mini-2024-07-18', pass: i !== 4 && i !== 5 })),
        ...forty.map((caseId, i) => record({ caseId, variant: 'new', model: 'anthropic:claude-haiku-4-5-20251001', pass: i > 3 })),
      ],
    });
    // 4 down, 2 up of 40: one-sided 95% Tango bound −19.5 points (test/stats/powerAndNonInferiority.test.ts)
    const ok = await cli('compare', dir, '--variants', 'old,new', '--non-inferiority', '20');
    expect(ok.stdout).toContain('✓ claude-haiku-4-5-20251001 is no worse than gpt-4o-mini-2024-07-18 by more than 20 points (lower bound −19.5 pts, one-sided 95% Tango score bound)');
    expect(ok.code).toBe(0);
    const no = await cli('compare', dir, '--variants', 'old,new', '--non-inferiority', '15pts');
    expect(no.code).toBe(1);
    expect(no.stdout).toContain('[nonInferiority]');
    expect((await cli('compare', dir, '--variants', 'old,new', '--non-inferiority', '20%')).code).toBe(0);
  });

  it('a bare margin below 1 is ambiguous (half a point or 50 points?) and is refused with the fix, exit 2', async () => {
    const a = run('amb', baseFails);
    const r = await cli('compare', a, a, '--non-inferiority', '0.5');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--non-inferiority 0.5 is ambiguous: write 0.5pts for 0.5 of a point, or 50pts (or 50%)');
    expect((await cli('compare', a, a, '--margin', '0.05')).code).toBe(2);
    expect((await cli('compare', a, a, '--margin', '0')).code).toBe(0);
  });

  it('usage errors exit 2: a bad margin, a bad variant pair, a run that does not exist', async () => {
    const a = run('a', baseFails);
    expect((await cli('compare', a, a, '--non-inferiority', 'lots')).code).toBe(2);
    expect((await cli('compare', a, '--variants', 'onlyone')).code).toBe(2);
    const missing = await cli('compare', a, path.join(out, 'nope'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('No run found');
  });
});

describe('llm-eval merge', () => {
  it('joins three shard folders into one run with one verdict', async () => {
    const all = ids.map((caseId) => record({ caseId, pass: true }));
    const dirs = [1, 2, 3].map((index) => writeRun(out, { runId: `s${index}`, records: all.filter((r) => inShard(r.caseId, { index, total: 3 })), shard: { index, total: 3 } }));
    const r = await cli('merge', ...dirs, '--out', out, '--format', 'json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Merged 3 run(s)');
    expect(r.stdout).toContain('50 case line(s)');
    expect(r.stdout).toContain('tickets/v1: 50/50 passed');
    // reports/latest now points at the merged run, which has its report
    const merged = JSON.parse(readFileSync(path.join(out, 'latest', 'report.json'), 'utf8')) as { mergedFrom: string[]; gate: { passed: boolean } };
    expect(merged.mergedFrom).toEqual(['s1', 's2', 's3']);
    expect(merged.gate.passed).toBe(true);
  });
});
