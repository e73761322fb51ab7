import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markdownReporter, mdText, renderMarkdownSummary, writeMarkdownSummary } from '../../src/reporters/markdown.js';
import { escapeWorkflowData, escapeWorkflowProperty, gateFailureAnnotations } from '../../src/reporters/githubActions.js';
import type { GateVerdict } from '../../src/types.js';
import { CapturedStream, fixtureRun, makeRecord, storedRunOf, tempDir } from './fixtures.js';

let work: { dir: string; cleanup(): Promise<void> };
beforeAll(async () => {
  work = await tempDir('llm-eval-md-');
});
afterAll(() => work.cleanup());

describe('summary.md', () => {
  it('has one separator cell per header cell without a baseline too', async () => {
    const run = await fixtureRun(work.dir, 'nobase', { cases: 4, suites: ['tickets'] });
    const report = { ...run.report, comparison: undefined };
    const lines = renderMarkdownSummary(report, report.gate).split('\n');
    const at = lines.findIndex((l) => l.startsWith('| Suite'));
    expect(lines[at + 1]!.split('|').length).toBe(lines[at]!.split('|').length);
  });

  it('opens with the verdict, then a row per suite × variant with pass rate ± CI, cost and p95 latency', async () => {
    const run = await fixtureRun(work.dir, 'table', { cases: 40, suites: ['tickets', 'summaries'] });
    const md = renderMarkdownSummary(run.report, run.report.gate);
    const lines = md.split('\n');
    expect(lines[0]).toMatch(/^### ❌ llm-eval FAILED: 2 gate failures · 160 cases · \d+\.\d% pass · \$\d/);
    const header = lines.find((l) => l.startsWith('| Suite'))!;
    expect(header).toBe('| Suite | Variant | Model | Pass rate (95% CI) | Mean score | Cost | p95 latency | Errors | vs baseline |');
    const separator = lines[lines.indexOf(header) + 1]!;
    // GitHub renders a table only when the separator has exactly one cell per header cell.
    expect(separator.split('|').length).toBe(header.split('|').length);
    const tableStart = lines.indexOf(header) + 2;
    const rows = lines.slice(tableStart, lines.indexOf('', tableStart));
    expect(rows.map((r) => r.split(' | ').slice(0, 2).join(' | '))).toEqual(['| tickets | v1', '| tickets | v2', '| summaries | v1', '| summaries | v2']);
    const v2 = run.report.suites[0]!.variants[1]!;
    const v2Row = rows.find((r) => r.startsWith('| tickets | v2 |'))!;
    expect(v2Row).toContain(`${(v2.passRate * 100).toFixed(1)}% (${(v2.passRateCI95[0] * 100).toFixed(1)}–${(v2.passRateCI95[1] * 100).toFixed(1)}%)`);
    expect(v2Row).toContain('−4.0 pp ⚠️ significant');
    expect(md).toContain('#### Gate failures');
    expect(md).toMatch(/- \*\*tickets \/ v2\*\* `minPassRate`: pass rate .* \(cases: `tickets-\d+`/);
  });

  it('lists the top newly failing cases and counts the rest', async () => {
    const run = await fixtureRun(work.dir, 'changes', { cases: 400 });
    const failing = run.report.comparison!.changes.filter((c) => c.change === 'newly-failing');
    expect(failing.length).toBeGreaterThan(10);
    const md = renderMarkdownSummary(run.report, run.report.gate);
    expect(md).toContain(`#### Newly failing cases (${failing.length})`);
    for (const c of failing.slice(0, 10)) expect(md).toContain(`| tickets | v2 | \`${c.caseId}\` | 1/1 | 0/1 |`);
    expect(md).not.toContain(`\`${failing[10]!.caseId}\``);
    expect(md).toContain(`…and ${failing.length - 10} more: see report.html.`);
  });

  it('a passing run says so in one line, with no failure section', async () => {
    const run = await fixtureRun(work.dir, 'green', { cases: 10, gatePassed: true, baseline: false });
    const md = renderMarkdownSummary(run.report, run.report.gate);
    expect(md.split('\n')[0]).toMatch(/^### ✅ llm-eval PASSED: all gates passed · 20 cases/);
    expect(md).not.toContain('Gate failures');
    expect(md).not.toContain('vs baseline');
  });

  it('keeps ids, names and messages from data as text: no HTML, links or broken table cells', () => {
    expect(mdText('<img src=x onerror=alert(1)> [x](javascript:alert(1)) a|b *c* `d`\nnext')).toBe(
      '&lt;img src=x onerror=alert(1)&gt; \\[x\\](javascript:alert(1)) a\\|b \\*c\\* \\`d\\` next',
    );
    const verdict: GateVerdict = { passed: false, failures: [{ suite: 'a|b', variant: '<v>', rule: 'minPassRate', message: 'rate | low <script>', cases: ['id`with`ticks|pipe'] }] };
    const md = renderMarkdownSummary(storedRunOf([makeRecord({ suite: 'a|b', variant: '<v>' })], work.dir).report, verdict);
    expect(md).not.toMatch(/<script|<v>/);
    expect(md).toContain("`id'with'ticks\\|pipe`");
    const row = md.split('\n').find((l) => l.startsWith('| a'))!;
    expect(row.split(/(?<!\\)\|/).length - 2).toBe(8);
  });

  it('is appended to $GITHUB_STEP_SUMMARY, and under GitHub Actions prints an ::error annotation per gate failure', async () => {
    const run = await fixtureRun(work.dir, 'gha', { cases: 20 });
    const summaryFile = path.join(work.dir, 'step-summary.md');
    await writeFile(summaryFile, '# earlier step\n');
    const stdout = new CapturedStream();
    const env = { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summaryFile };
    const md = await writeMarkdownSummary(run, run.report.gate, { env, stdout });
    expect(await readFile(path.join(run.dir, 'summary.md'), 'utf8')).toBe(md);
    expect(await readFile(summaryFile, 'utf8')).toBe(`# earlier step\n${md}`);
    const lines = stdout.text.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^::error title=llm-eval gate failed%3A tickets \/ v2 \(minPassRate\)::pass rate \d+\.\d%25 is below the minimum 90\.0%25 Cases: tickets-\d+, /);
    expect(lines[1]).toBe('::error title=llm-eval gate failed%3A tickets (maxCostUsd)::cost $6.20 is above the limit $5.00 <for "tickets", 50%25 over>');
  });

  it('prints no annotation outside GitHub Actions and touches no step summary when none is set', async () => {
    const run = await fixtureRun(work.dir, 'local', { cases: 5 });
    const stdout = new CapturedStream();
    await markdownReporter({ env: {}, stdout }).onRunEnd!(run, run.report.gate);
    expect(stdout.text).toBe('');
    expect(await readFile(path.join(run.dir, 'summary.md'), 'utf8')).toContain('llm-eval FAILED');
  });
});

describe('GitHub workflow commands', () => {
  it('escape %, CR and LF in messages, and also : and , in properties', () => {
    expect(escapeWorkflowData('50% done\r\nnext: a, b')).toBe('50%25 done%0D%0Anext: a, b');
    expect(escapeWorkflowProperty('50% done\nnext: a, b')).toBe('50%25 done%0Anext%3A a%2C b');
  });

  it('cap annotations at ten, the last one counting the rest', () => {
    const failures = Array.from({ length: 14 }, (_, i) => ({ suite: `s${i}`, rule: 'minPassRate', message: `m${i}` }));
    const lines = gateFailureAnnotations(failures);
    expect(lines).toHaveLength(10);
    expect(lines[9]).toBe('::error title=llm-eval gate failed::5 more gate failures: see summary.md or report.html.');
    expect(lines.every((l) => !l.includes('\n'))).toBe(true);
  });
});
