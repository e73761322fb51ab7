/**
 * Reporters render the verdict the real gate (gate/decide.ts) builds, not invented failure text:
 * the `maxCostUsd` rule over its limit and with an unknown cost, in summary.md and junit.xml.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideVerdict } from '../../src/gate/decide.js';
import { renderMarkdownSummary } from '../../src/reporters/markdown.js';
import { writeJunitReport } from '../../src/reporters/junit.js';
import type { ResolvedSuite, SuiteSummary } from '../../src/types.js';
import { fixtureRun, tempDir } from './fixtures.js';

let work: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  work = await tempDir();
});
afterAll(async () => {
  await work.cleanup();
});

function gated(name: string, maxCostUsd: number): ResolvedSuite {
  return { name, dataset: '', variants: [], repeat: 1, graders: [], options: {}, gate: { maxCostUsd } };
}

describe('reporters render the real gate messages', () => {
  it('maxCostUsd over the limit and unknown cost, in summary.md and junit.xml', async () => {
    const run = await fixtureRun(work.dir, 'costs', { cases: 4, suites: ['tickets', 'summaries'] });
    // `tickets` as stored (known costs, summed below); `summaries` with one variant unpriced.
    const tickets = run.report.suites.find((s) => s.name === 'tickets')!;
    const summaries: SuiteSummary = structuredClone(run.report.suites.find((s) => s.name === 'summaries')!);
    summaries.variants[0]!.costUsd = null;
    const ticketsCost = tickets.variants.reduce((t, v) => t + (v.costUsd ?? 0) + (v.judgeCostUsd ?? 0), 0);
    expect(ticketsCost).toBeGreaterThan(0);

    const { verdict } = decideVerdict({ suites: [gated('tickets', ticketsCost / 2), gated('summaries', 1e6)], summaries: [tickets, summaries] });
    expect(verdict.failures.map((f) => [f.suite, f.rule])).toEqual([
      ['tickets', 'maxCostUsd'],
      ['summaries', 'maxCostUsd'],
    ]);
    // The sentences users read, written out independently of the gate's code.
    const over = `cost $${ticketsCost.toFixed(4)} (candidates and judges) is above maxCostUsd $${ticketsCost / 2}`;
    const unknown = 'cost is unknown (no price for a candidate model;';
    expect(verdict.failures[0]!.message).toContain(over);
    expect(verdict.failures[1]!.message).toContain(unknown);

    const report = { ...run.report, gate: verdict };
    const md = renderMarkdownSummary(report, verdict);
    expect(md).toContain('FAILED: 2 gate failures');
    expect(md).toContain(over);
    expect(md).toContain(unknown);

    const file = path.join(run.dir, 'junit-real-gate.xml');
    await writeJunitReport({ ...run, report }, file);
    const xml = await readFile(file, 'utf8');
    expect(xml).toContain('<testcase name="maxCostUsd tickets" classname="llm-eval.gate"');
    expect(xml).toContain(over);
    expect(xml).toContain(unknown);
  });
});
