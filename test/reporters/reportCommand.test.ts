import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerReport } from '../../src/cli/commands/report.js';
import { fixtureRun, tempDir } from './fixtures.js';

let work: { dir: string; cleanup(): Promise<void> };
beforeAll(async () => {
  work = await tempDir('llm-eval-report-cmd-');
});
afterAll(() => work.cleanup());

async function runReportCommand(args: string[]): Promise<string> {
  const program = new Command('llm-eval').exitOverride();
  registerReport(program);
  const writes: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    writes.push(String(chunk));
    return true;
  });
  try {
    await program.parseAsync(['report', ...args], { from: 'user' });
  } finally {
    spy.mockRestore();
  }
  return writes.join('');
}

describe('llm-eval report RUN', () => {
  it('re-renders html, junit and md into the run folder from results.jsonl and report.json', async () => {
    const run = await fixtureRun(path.join(work.dir, 'reports'), '20260101-120000-abcdef', { cases: 12 });
    const out = await runReportCommand([run.dir, '--format', 'html,junit,md']);
    expect((await readdir(run.dir)).sort()).toEqual(['junit.xml', 'report.html', 'report.json', 'results.jsonl', 'run.json', 'summary.md']);
    expect(out).toContain('Rendered run 20260101-120000-abcdef:');
    expect(await readFile(path.join(run.dir, 'junit.xml'), 'utf8')).toContain('<testsuite name="tickets.v2" tests="12"');
    expect(await readFile(path.join(run.dir, 'report.html'), 'utf8')).toContain('"runId":"20260101-120000-abcdef"');
  });

  it('writes only the formats asked for, into --out', async () => {
    const run = await fixtureRun(work.dir, 'run-b', { cases: 3 });
    const out = path.join(work.dir, 'rendered');
    await runReportCommand([run.dir, '--format', 'md,json', '--out', out]);
    expect((await readdir(out)).sort()).toEqual(['report.json', 'summary.md']);
    expect(JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8'))).toEqual(run.report);
  });

  it('rejects an unknown format before writing anything', async () => {
    const run = await fixtureRun(work.dir, 'run-c', { cases: 3 });
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await expect(runReportCommand([run.dir, '--format', 'pdf'])).rejects.toThrow(/unknown format "pdf"/);
    } finally {
      stderr.mockRestore();
    }
    expect((await readdir(run.dir)).sort()).toEqual(['report.json', 'results.jsonl', 'run.json']);
  });
});
