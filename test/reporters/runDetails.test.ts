import { describe, expect, it } from 'vitest';
import { runDetails, splitGateFailures } from '../../src/reporters/runDetails.js';
import { renderMarkdownSummary } from '../../src/reporters/markdown.js';
import { createConsoleReporter } from '../../src/reporters/console.js';
import { SummaryBuilder } from '../../src/results/summary.js';
import { displayWidth, wrapLine } from '../../src/reporters/console/width.js';
import type { GateVerdict, RunReport } from '../../src/types.js';
import { CapturedStream, makeRecord, storedRunOf } from './fixtures.js';

/** A report with a baseline comparison carrying what results/compare.ts stores beyond ComparisonReport. */
function comparedReport(): RunReport {
  const records = [makeRecord({ caseId: 'a', pass: false }), makeRecord({ caseId: 'b' }), makeRecord({ variant: 'v2', caseId: 'a', pass: false })];
  const base = storedRunOf(records, '/tmp/none').report;
  const comparison = {
    against: 'reports/baseline.json',
    variants: [
      { suite: 'tickets', variant: 'v1', pairedCases: 2, passRateBefore: 0.5, passRateAfter: 0.5, diff: 0, diffCI95: [-0.5, 0.5], pValue: 1, significant: false, pAdjusted: 1, flips: { harmful: 0, helpful: 0 }, power: { mde: null } },
      { suite: 'tickets', variant: 'v2', pairedCases: 1, passRateBefore: 1, passRateAfter: 0, diff: -1, diffCI95: [-1, 0], pValue: 0.0312, significant: false, pAdjusted: 0.0624, flips: { harmful: 1, helpful: 0 }, power: { mde: 0.4512 } },
    ],
    changes: [{ suite: 'tickets', variant: 'v2', caseId: 'a', change: 'newly-failing', before: { passes: 1, n: 1 }, after: { passes: 0, n: 1 } }],
    warnings: ['tickets/v2: the dataset changed since the baseline'],
    notes: ['tickets/v2: prompt changed (classify@v1#aaa → classify@v2#bbb)'],
  } as unknown as RunReport['comparison'];
  return { ...base, comparison };
}

const verdict: GateVerdict = {
  passed: false,
  failures: [
    { suite: 'tickets', variant: 'v1', rule: 'all-pass', message: 'tickets/v1: 1 failed and 0 errored of 2' },
    { suite: 'tickets', variant: 'v2', rule: 'all-pass', message: 'tickets/v2: 1 failed and 0 errored of 1' },
  ],
};

describe('run details: what report.json knows beyond the table', () => {
  it('a failure whose suite × variant has no newly failing case is pre-existing, and is listed after the new ones', () => {
    const report = comparedReport();
    // v1's failing case `a` is not among the changes: it failed in the baseline too. v2's `a` is newly failing.
    const { fresh, preExisting } = splitGateFailures(report, verdict);
    expect(fresh.map((f) => f.variant)).toEqual(['v2']);
    expect(preExisting.map((f) => f.variant)).toEqual(['v1']);
    const md = renderMarkdownSummary(report, verdict);
    expect(md.indexOf('- **tickets / v2** `all-pass`')).toBeLessThan(md.indexOf('#### Pre-existing gate failures (already failing in `reports/baseline.json`)'));
    expect(md.indexOf('#### Pre-existing gate failures')).toBeLessThan(md.indexOf('- **tickets / v1** `all-pass`'));
  });

  it('without a baseline no failure is pre-existing', () => {
    const report = { ...comparedReport(), comparison: undefined };
    expect(splitGateFailures(report, verdict).preExisting).toEqual([]);
  });

  it('shows notes, warnings, raw and BH-adjusted p, flips and the minimum detectable drop', () => {
    const sections = runDetails(comparedReport());
    const byTitle = Object.fromEntries(sections.map((s) => [s.title, s.lines]));
    expect(byTitle['Warnings']).toEqual(['tickets/v2: the dataset changed since the baseline']);
    expect(byTitle['Notes on the comparison']).toEqual(['tickets/v2: prompt changed (classify@v1#aaa → classify@v2#bbb)']);
    // 0.4512 of a pass rate = 45.1 percentage points.
    expect(byTitle['Against the baseline']).toEqual([
      'tickets / v1 (2 paired cases): p = 1.000 · BH-adjusted p = 1.000 · flips: 0 to fail, 0 to pass · no drop is detectable',
      'tickets / v2 (1 paired cases): p = 0.031 · BH-adjusted p = 0.062 · flips: 1 to fail, 0 to pass · min. detectable drop 45.1 pp',
    ]);
  });

  it('shows repeats (pass@k, pass^k, which cases are flaky), TTFT and pairwise win/tie/loss with order disagreement', () => {
    const report = comparedReport();
    const v1 = report.suites[0]!.variants[0]!;
    v1.repeats = { cases: 12, k: 3, meanPassProbability: 0.7, passAtK: 0.9, passHatK: 0.5, flaky: 7, alwaysPass: 4, neverPass: 1, histogram: [1, 3, 4, 4], flakyCases: ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'] };
    v1.ttftMs = { p50: 180, p95: 1250 };
    report.suites[0]!.pairwise = [
      {
        grader: 'pairwise',
        judge: 'judge',
        rubric: 'helpful#abc',
        a: 'v1',
        b: 'v2',
        cases: 10,
        wins: 5,
        ties: 3,
        losses: 2,
        winRate: 0.5,
        tieRate: 0.3,
        lossRate: 0.2,
        orderDisagreement: 2,
        orderDisagreementRate: 0.2,
        firstShownPicked: 6,
        decisiveVerdicts: 14,
        missing: 0,
        errors: 0,
        costUsd: 0.01,
        disagreementCases: ['c7#0', 'c9#0'],
        errorSamples: [],
      },
    ];
    const byTitle = Object.fromEntries(runDetails(report).map((s) => [s.title, s.lines]));
    // Six flaky ids known, five named, and the count of all seven.
    expect(byTitle['Repeats']).toEqual(['tickets / v1: 12 cases × 3 repeats · pass@3 90.0% · pass^3 50.0% · 7 flaky; flaky: c1, c2, c3, c4, c5 and 1 more (7 in all)']);
    expect(byTitle['Time to first token']).toEqual(['tickets / v1: TTFT p50 180 ms · p95 1.25 s']);
    expect(byTitle['Pairwise']).toEqual(['tickets: v1 vs v2 (pairwise, judge judge): 10 cases · win 5 / tie 3 / loss 2 · order disagreement 2 (20.0%) (cases: c7#0, c9#0)']);
    const md = renderMarkdownSummary(report, verdict);
    expect(md).toContain('#### Time to first token\n\n- tickets / v1: TTFT p50 180 ms · p95 1.25 s');
  });
});

describe('TTFT per variant in report.json', () => {
  it('is the nearest-rank p50 and p95 over streamed, uncached answers', () => {
    const b = new SummaryBuilder();
    // 20 streamed answers at 10, 20, …, 200 ms; a cached one and an unstreamed one do not count.
    for (let i = 1; i <= 20; i++) b.add(makeRecord({ caseId: `c${i}`, ttftMs: i * 10 }));
    b.add(makeRecord({ caseId: 'cached', ttftMs: 5, cached: true }));
    b.add(makeRecord({ caseId: 'unstreamed', ttftMs: null }));
    // Nearest rank: p50 → rank ⌈0.5·20⌉ = 10 → 100 ms; p95 → rank ⌈0.95·20⌉ = 19 → 190 ms.
    expect(b.suites()[0]!.variants[0]!.ttftMs).toEqual({ p50: 100, p95: 190 });
  });

  it('is absent when nothing was streamed', () => {
    const b = new SummaryBuilder();
    b.add(makeRecord());
    expect(b.suites()[0]!.variants[0]!.ttftMs).toBeUndefined();
  });
});

describe('terminal width', () => {
  it('counts CJK and emoji as two cells, combining marks and colour codes as none', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('日本')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('\u001b[31mred\u001b[39m')).toBe(3);
  });

  it('wraps prose at spaces with a hanging indent and splits a word longer than a line', () => {
    expect(wrapLine('  alpha beta gamma delta', 14)).toEqual(['  alpha beta', '    gamma', '    delta']);
    expect(wrapLine(`x ${'y'.repeat(25)}`, 12)).toEqual(['x', '  yyyyyyyyyy', '  yyyyyyyyyy', '  yyyyy']);
  });

  it.each([40, 60, 80, 120])('keeps every line of the end-of-run summary within %i columns', (columns) => {
    const records = [
      makeRecord({ suite: 'a-rather-long-suite-name-for-tickets', variant: 'candidate-with-a-long-name', model: 'smart (anthropic:claude-sonnet-4-5-20250929)', pass: false }),
      makeRecord({ suite: 'a-rather-long-suite-name-for-tickets', variant: 'v1' }),
    ];
    const run = storedRunOf(records, '/tmp/a/very/long/run/folder/path/that/goes/on/and/on/2026-12-01T12-00-00');
    const longVerdict: GateVerdict = { passed: false, failures: [{ suite: records[0]!.suite, variant: records[0]!.variant, rule: 'all-pass', message: `1 failed ${'because '.repeat(20)}`, cases: ['case-1'] }] };
    const stdout = new CapturedStream();
    createConsoleReporter({ env: { COLUMNS: String(columns) }, stdout, stderr: new CapturedStream() }).onRunEnd(run, longVerdict);
    const lines = stdout.text.split('\n');
    expect(lines.length).toBeGreaterThan(8);
    for (const l of lines) expect(displayWidth(l), l).toBeLessThanOrEqual(columns);
    // The pass rate stays in the table at any width.
    expect(stdout.text).toContain('Pass rate (95% CI)');
  });
});
