import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleReporter, type ConsoleReporterOptions } from '../../src/reporters/console.js';
import { colourLevel } from '../../src/reporters/console/colour.js';
import type { RunStartInfo, StoredRun } from '../../src/reporters/types.js';
import { CapturedStream, fixtureRun, makeRecord, tempDir } from './fixtures.js';

const ANSI = /\u001b\[/;

let work: { dir: string; cleanup(): Promise<void> };
let run: StoredRun;
beforeAll(async () => {
  work = await tempDir('llm-eval-console-');
  run = await fixtureRun(work.dir, 'run', { cases: 30, suites: ['tickets', 'summaries'] });
});
afterAll(() => work.cleanup());

function startInfo(total: number, resumed = 0): RunStartInfo {
  return { runId: 'run-1', runDir: '/tmp/run-1', totalCases: total, resumedCases: resumed, suites: [{ name: 'tickets', variants: ['v1', 'v2'], rows: total / 2, repeat: 1 }] };
}

/** A reporter on captured streams with a clock the test moves. */
function setup(opts: Partial<ConsoleReporterOptions> & { tty?: boolean } = {}) {
  const stdout = new CapturedStream({ tty: opts.tty ?? false });
  const stderr = new CapturedStream({ tty: opts.tty ?? false });
  const clock = { now: 0 };
  const reporter = createConsoleReporter({ env: {}, ...opts, stdout, stderr, now: () => clock.now });
  return { reporter, stdout, stderr, clock };
}

const progressLines = (text: string): string[] => text.split('\n').filter((l) => l.startsWith('progress '));

describe('console reporter: progress', () => {
  it('in CI prints a plain line at each tenth of the run, not one per case', () => {
    const { reporter, stderr, clock } = setup({ tty: true, env: { CI: 'true' } });
    reporter.onRunStart(startInfo(1000));
    for (let i = 0; i < 1000; i++) {
      clock.now += 1;
      reporter.onCaseResult(makeRecord({ pass: i % 4 !== 0, costUsd: 0.001, judgeCostUsd: 0.0005 }));
    }
    reporter.onRunEnd(run, run.report.gate);
    const lines = progressLines(stderr.text);
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe('progress 100/1,000 (10%) · pass 75.0% · $0.1500 · ETA 1s');
    expect(lines[9]).toBe('progress 1,000/1,000 (100%) · pass 75.0% · $1.50');
    expect(stderr.text).not.toMatch(ANSI);
    expect(stderr.text.split('\n')[0]).toBe('llm-eval run run-1: 1,000 records across 1 suite and 2 variants');
  });

  it('without a terminal, a slow run still prints a line every 10 seconds', () => {
    const { reporter, stderr, clock } = setup({ tty: false });
    expect(reporter.live).toBe(false);
    reporter.onRunStart(startInfo(1000, 100));
    for (let i = 0; i < 200; i++) {
      clock.now += 1000;
      reporter.onCaseResult(makeRecord());
    }
    const lines = progressLines(stderr.text);
    // 200 s → a line every 10 s (20), plus the 10% step passed at 200 done and 300 done (same lines).
    expect(lines).toHaveLength(20);
    expect(lines[0]).toBe('progress 110/1,000 (11%) · pass 100.0% · $0.0002 · ETA 14m50s');
  });

  it('on a terminal draws a live bar with done/total, pass rate, spend and ETA, then clears it for the table', async () => {
    const { reporter, stderr, stdout, clock } = setup({ tty: true });
    expect(reporter.live).toBe(true);
    reporter.onRunStart(startInfo(4));
    clock.now = 1000;
    reporter.onCaseResult(makeRecord({ costUsd: 0.25 }));
    clock.now = 2000;
    reporter.onCaseResult(makeRecord({ pass: false, costUsd: 0.25 }));
    // cli-progress repaints on its own timer (8 frames a second here).
    await new Promise((resolve) => setTimeout(resolve, 400));
    const bar = stderr.plain;
    expect(bar).toContain('░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ 0/4 | pass – | $0.00 | ETA –');
    expect(bar).toContain('███████████████░░░░░░░░░░░░░░░ 2/4 | pass 50.0% | $0.5000 | ETA 2s');
    expect(progressLines(bar)).toEqual([]);
    reporter.onRunEnd(run, run.report.gate);
    expect(stdout.plain).toContain('FAILED');
  });

  it('prints each warning once, above the progress', () => {
    const { reporter, stderr } = setup({ env: { CI: 'true' } });
    reporter.onRunStart(startInfo(10));
    reporter.onWarning('judge model is a candidate');
    reporter.onCaseResult(makeRecord());
    reporter.onWarning('judge model is a candidate');
    reporter.onWarning('dataset changed since the baseline');
    const warnings = stderr.text.split('\n').filter((l) => l.startsWith('warning'));
    expect(warnings).toEqual(['warning: judge model is a candidate', 'warning: dataset changed since the baseline']);
  });
});

describe('console reporter: the end of the run', () => {
  it('prints a summary table per suite × variant, the gate failures and the verdict line', () => {
    // A wide terminal, so the real gate's sentences are not wrapped (80-column wrapping has its own tests).
    const { reporter, stdout } = setup({ env: { CI: 'true', COLUMNS: '300' } });
    reporter.onRunStart(startInfo(120));
    reporter.onRunEnd(run, run.report.gate);
    const out = stdout.plain;
    const rows = out.split('\n').filter((l) => /│ (tickets|summaries)\s+│/.test(l));
    expect(rows.map((r) => r.split('│').slice(1, 3).map((c) => c.trim()))).toEqual([
      ['tickets', 'v1'],
      ['tickets', 'v2'],
      ['summaries', 'v1'],
      ['summaries', 'v2'],
    ]);
    const v2 = run.report.suites[0]!.variants[1]!;
    expect(rows[1]).toContain(`${(v2.passRate * 100).toFixed(1)}% (${(v2.passRateCI95[0] * 100).toFixed(1)}–${(v2.passRateCI95[1] * 100).toFixed(1)}%)`);
    expect(rows[1]).toContain('−4.0 pp (significant)');
    // The real gate's sentences. By hand: tickets/v1 misses every 5th of 30 cases, 24/30 = 80.0%;
    // Wilson 95% for 24/30 = (0.8 + z²/60 ± z·√(0.16/30 + z²/3600)) / (1 + z²/30) = 62.7%–90.5%.
    // The scope is said once, before the rule, not repeated from the gate's message; v1 failed the
    // same rule in the baseline, so it is listed as pre-existing (•), after the new failures (✖).
    expect(out).toContain('• tickets / v1 minPassRate: pass rate 80.0% (95% CI 62.7%–90.5%) is below minPassRate 85.0%');
    // maxCostUsd is set to half the suite's cost (rounded to 4 places): the cost is over it.
    const cost = /✖ tickets maxCostUsd: cost \$(\d+\.\d{4}) \(candidates and judges\) is above maxCostUsd \$(\d+\.\d+)/.exec(out);
    expect(cost, out).not.toBeNull();
    expect(Number(cost![2])).toBeCloseTo(Number(cost![1]) / 2, 4);
    expect(out).toMatch(/vs reports\/baseline\.json: \d+ newly failing, \d+ newly passing/);
    expect(out).toMatch(/\n✖ FAILED 2 gate failures · 120 records · \d+\.\d% pass · \$0\.\d{4} \+ \$0\.\d{4} judging\n/);
  });

  it('--quiet prints only the verdict line, and no progress or warning', () => {
    const { reporter, stdout, stderr } = setup({ quiet: true, tty: true });
    reporter.onRunStart(startInfo(10));
    reporter.onCaseResult(makeRecord());
    reporter.onWarning('something');
    reporter.onRunEnd(run, run.report.gate);
    expect(stderr.text).toBe('');
    const lines = stdout.plain.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^✖ FAILED 2 gate failures · 120 records/);
  });

  it('silent (for --json) writes nothing on stdout', () => {
    const { reporter, stdout } = setup({ silent: true });
    reporter.onRunStart(startInfo(10));
    reporter.onRunEnd(run, run.report.gate);
    expect(stdout.text).toBe('');
  });

  it('colours a terminal, and never a pipe or a terminal with NO_COLOR', () => {
    const tty = setup({ tty: true });
    tty.reporter.onRunEnd(run, run.report.gate);
    expect(tty.stdout.text).toMatch(ANSI);
    const noColor = setup({ tty: true, env: { NO_COLOR: '1' } });
    noColor.reporter.onRunEnd(run, run.report.gate);
    expect(noColor.stdout.text).not.toMatch(ANSI);
    // The same width as the terminals' 100 columns (a pipe reads $COLUMNS, else 80).
    const pipe = setup({ tty: false, env: { COLUMNS: '100' } });
    pipe.reporter.onRunEnd(run, run.report.gate);
    expect(pipe.stdout.text).not.toMatch(ANSI);
    // Same content either way.
    expect(noColor.stdout.text).toBe(pipe.stdout.text);
    expect(tty.stdout.plain).toBe(pipe.stdout.text);
  });
});

describe('colourLevel', () => {
  const tty = { isTTY: true, getColorDepth: () => 24 };
  it('follows NO_COLOR, FORCE_COLOR, TERM=dumb and the terminal depth', () => {
    expect(colourLevel(tty, {})).toBe(3);
    expect(colourLevel({ isTTY: true, getColorDepth: () => 8 }, {})).toBe(2);
    expect(colourLevel(tty, { NO_COLOR: '1' })).toBe(0);
    expect(colourLevel(tty, { NO_COLOR: '' })).toBe(3);
    expect(colourLevel(tty, { TERM: 'dumb' })).toBe(0);
    expect(colourLevel({ isTTY: false }, {})).toBe(0);
    expect(colourLevel({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(1);
    expect(colourLevel({ isTTY: false }, { FORCE_COLOR: '3' })).toBe(3);
    expect(colourLevel(tty, { FORCE_COLOR: '0' })).toBe(0);
    expect(colourLevel(tty, { NO_COLOR: 'x', FORCE_COLOR: '3' })).toBe(0);
  });
});
