/**
 * The terminal summary, summary.md and the run history as CI sees them: through the built CLI on
 * the offline quickstart example (3 suites, 5 variants), with a baseline.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyExample, editFile, path, readFileSync, runCli, type CliResult } from '../helpers/project.js';
import { displayWidth } from '../../src/reporters/console/width.js';

let dir: string;
let first: CliResult;
let second: CliResult;
let third: CliResult;
let stepSummary: string;

/** Run ids sort by time: the second folder is the run against the baseline. */
const secondRunId = (): string => readdirSync(path.join(dir, 'reports')).filter((d) => /^\d/.test(d)).sort()[1]!;

/** The widest line a reader sees (`::error` workflow commands are read by the Actions runner, not shown). */
const widest = (text: string): string => text.split('\n').filter((l) => !l.startsWith('::')).reduce((a, l) => (displayWidth(l) > displayWidth(a) ? l : a), '');

beforeAll(() => {
  dir = copyExample();
  // Gates the baseline comparison keeps (with --baseline the default every-case-passes rule gives way to the regression rule).
  editFile(path.join(dir, 'llm-eval.yaml'), (t) =>
    t.replace('    dataset: datasets/orders.jsonl\n', '    dataset: datasets/orders.jsonl\n    gate: { minPassRate: 1 }\n').replace('    dataset: datasets/smoke.jsonl\n', '    dataset: datasets/smoke.jsonl\n    gate: { minPassRate: 1 }\n'),
  );
  // A smoke row whose expected text the echo model never says: failing before the baseline and after it.
  editFile(path.join(dir, 'datasets', 'smoke.jsonl'), (t) => t.replace('"expected": "ping"', '"expected": "pong"'));
  first = runCli(['run'], dir, { COLUMNS: '80' });
  expect(runCli(['baseline', 'save'], dir).code).toBe(0);
  // o01 now expects another intent: newly failing in both order-extraction variants.
  editFile(path.join(dir, 'datasets', 'orders.jsonl'), (t) => t.replace('"order_id": "ORD-48200", "intent": "refund"', '"order_id": "ORD-48200", "intent": "cancel"'));
  stepSummary = path.join(dir, 'step-summary.md');
  writeFileSync(stepSummary, '| earlier | table |');
  second = runCli(['run', '--baseline', 'reports/baseline.json'], dir, { COLUMNS: '80', GITHUB_STEP_SUMMARY: stepSummary, GITHUB_ACTIONS: 'true' });
  third = runCli(['run', '--quiet'], dir, { COLUMNS: '80' });
}, 240_000);

describe('the terminal summary through the built CLI', () => {
  it('keeps every line within 80 columns with COLUMNS=80 (not a terminal), the pass rate in the table', () => {
    expect(first.code).toBe(1);
    for (const r of [first, second, third]) expect(displayWidth(widest(r.stdout)), widest(r.stdout)).toBeLessThanOrEqual(80);
    expect(first.stdout).toContain('Pass rate (95% CI)');
    // Five suite × variant rows (ticket-routing v1, v2; order-extraction verbose, concise; smoke).
    expect(first.stdout.split('\n').filter((l) => /^│ (ticket-rout|order-extra|smoke)/.test(l))).toHaveLength(5);
    expect(first.stdout).toMatch(/A case is one dataset row of a suite/);
    expect(first.stdout).toMatch(/✖ FAILED 1 gate failure · 141 records/);
  });

  it('against the baseline: raw and BH-adjusted p, flips, the minimum detectable drop; the baseline\'s own failure marked pre-existing, after the new ones', () => {
    expect(second.code).toBe(1);
    // Lines wrap at 80 columns: read the text as one line.
    const out = second.stdout.replace(/\s+/g, ' ');
    expect(out).toMatch(/order-extraction \/ verbose \(\d+ paired cases\): p = [\d.]+ · BH-adjusted p = [\d.]+ · flips: 1 to fail, 0 to pass · (min\. detectable drop [\d.]+ pp|no drop is detectable)/);
    const fresh = out.indexOf('✖ order-extraction / verbose minPassRate');
    const pre = out.indexOf('Pre-existing (already failing in baseline reports/baseline.json (run ');
    const smoke = out.indexOf('• smoke / echo minPassRate');
    expect(fresh).toBeGreaterThan(0);
    expect(pre).toBeGreaterThan(fresh);
    expect(smoke).toBeGreaterThan(pre);
    // The dataset of order-extraction changed under the same ids: the comparison says so.
    expect(out).toMatch(/Warnings: ! order-extraction\/verbose: 1 case\(s\) changed content/);
  });
});

describe('summary.md through the built CLI', () => {
  it('is appended to a GITHUB_STEP_SUMMARY that ends mid-line on a new line, and matches summary.md', () => {
    const md = readFileSync(path.join(dir, 'reports', secondRunId(), 'summary.md'), 'utf8');
    expect(readFileSync(stepSummary, 'utf8')).toBe(`| earlier | table |\n${md}`);
  });

  it('lists new gate failures, then the pre-existing ones, without the scope repeated in the message', () => {
    const md = readFileSync(path.join(dir, 'reports', secondRunId(), 'summary.md'), 'utf8');
    const fresh = md.indexOf('#### Gate failures');
    const pre = md.indexOf('#### Pre-existing gate failures (already failing in `baseline reports/baseline.json (run ');
    expect(fresh).toBeGreaterThan(0);
    expect(pre).toBeGreaterThan(fresh);
    expect(md.indexOf('- **smoke / echo** `minPassRate`: pass rate 80.0%')).toBeGreaterThan(pre);
    expect(md).toContain('- **order-extraction / verbose** `minPassRate`: pass rate 96.9%');
    expect(md).not.toContain('`minPassRate`: order-extraction/verbose:');
    expect(md).toMatch(/#### Against the baseline\n\n(- .*\n)*- order-extraction \/ verbose \(\d+ paired cases\): p = [\d.]+ · BH-adjusted p = /);
    expect(md).toContain('A case is one dataset row of a suite');
    // The newly failing case, whole, in the regressions table.
    expect(md).toMatch(/\| order-extraction \| verbose \| `o01` \| 1\/1 \| 0\/1 \|/);
  });

  it('without a baseline lists the failing cases with a count, linked to report.html when its URL is known', () => {
    const r = runCli(['run', '--suite', 'smoke'], dir, { LLM_EVAL_REPORT_URL: 'https://ci.example.test/r/report.html' });
    expect(r.code).toBe(1);
    const md = readFileSync(path.join(dir, 'reports', 'latest', 'summary.md'), 'utf8');
    expect(md).toContain('#### Failing cases (1)');
    // The smoke suite alone: its one failing row.
    expect(md).toMatch(/\| smoke \| echo \| \[`(h[0-9a-f]+)`\]\(https:\/\/ci\.example\.test\/r\/report\.html#case=smoke\/\1\) \|/);
  });
});

describe('llm-eval report --history through the built CLI', () => {
  it('charts every suite × variant with one point per run, in history.html and a terminal table within 80 columns', () => {
    const r = runCli(['report', '--history'], dir, { COLUMNS: '80' });
    expect(r.code).toBe(0);
    expect(displayWidth(widest(r.stdout)), widest(r.stdout)).toBeLessThanOrEqual(80);
    // Three full runs (the smoke-only one adds a fourth point to smoke alone).
    expect(r.stdout).toMatch(/^Run history: 4 runs/);
    expect(r.stdout).toMatch(/ticket-routing \/ v1\s+Pass rate\s+\S+\s+[\d.]+%\s+[\d.]+%\s+3/);
    expect(r.stdout).toMatch(/smoke \/ echo\s+Pass rate\s+\S+\s+[\d.]+%\s+[\d.]+%\s+4/);
    const html = readFileSync(path.join(dir, 'reports', 'history.html'), 'utf8');
    for (const metric of ['pass-rate', 'cost', 'latency']) {
      const section = html.slice(html.indexOf(`<section id="${metric}">`), html.indexOf('</section>', html.indexOf(`<section id="${metric}">`)));
      for (const series of ['ticket-routing / v1', 'ticket-routing / v2', 'order-extraction / verbose', 'order-extraction / concise']) {
        expect(section.split(`class="point" data-series="${series}"`).length - 1, `${metric} ${series}`).toBe(3);
      }
    }
    // Pass rate of order-extraction / verbose fell after the dataset edit: the line goes down (SVG y grows downwards).
    const verbose = html.slice(html.indexOf('<section id="pass-rate">')).match(/<polyline class="series" data-series="order-extraction \/ verbose"[^>]* points="([^"]+)"/)![1]!;
    const ys = verbose.split(' ').map((p) => Number(p.split(',')[1]));
    expect(ys[1]).toBeGreaterThan(ys[0]!);
    expect(html).toContain('content="default-src &#39;none&#39;; style-src &#39;sha256-');
    expect(html).not.toMatch(/<script/);
  });
});
