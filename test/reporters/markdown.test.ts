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
    expect(lines[0]).toMatch(/^### ❌ llm-eval FAILED: 2 gate failures · 160 records · \d+\.\d% pass · \$\d/);
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
    // The real gate's sentence, its scope shown once. By hand: tickets/v1 misses every 5th of 40
    // cases, 32/40 = 80.0%; Wilson 95% for 32/40 = 65.2%–89.5%.
    expect(md).toContain('- **tickets / v1** `minPassRate`: pass rate 80.0% (95% CI 65.2%–89.5%) is below minPassRate 85.0%');
    expect(md).toMatch(/- \*\*tickets\*\* `maxCostUsd`: cost \$\d+\.\d{4} \(candidates and judges\) is above maxCostUsd \$\d/);
  });

  it('lists the top newly failing cases and counts the rest', async () => {
    const run = await fixtureRun(work.dir, 'changes', { cases: 400 });
    const failing = run.report.comparison!.changes.filter((c) => c.change === 'newly-failing');
    expect(failing.length).toBeGreaterThan(10);
    const md = renderMarkdownSummary(run.report, run.report.gate);
    expect(md).toContain(`#### Regressions: ${failing.length} newly failing cases`);
    for (const c of failing.slice(0, 10)) expect(md).toContain(`| tickets | v2 | \`${c.caseId}\` | 1/1 | 0/1 |`);
    expect(md).not.toContain(`\`${failing[10]!.caseId}\``);
    expect(md).toContain(`…and ${failing.length - 10} more: see report.html.`);
  });

  it('a passing run says so in one line, with no failure section', async () => {
    const run = await fixtureRun(work.dir, 'green', { cases: 10, gatePassed: true, baseline: false });
    const md = renderMarkdownSummary(run.report, run.report.gate);
    expect(md.split('\n')[0]).toMatch(/^### ✅ llm-eval PASSED: all gates passed · 20 records/);
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
    // "%" is escaped as %25 in annotation data. By hand: 16/20 = 80.0%, Wilson 95% 58.4%–91.9%.
    expect(lines[0]).toBe('::error title=llm-eval gate failed%3A tickets / v1 (minPassRate)::tickets/v1: pass rate 80.0%25 (95%25 CI 58.4%25–91.9%25) is below minPassRate 85.0%25');
    expect(lines[1]).toMatch(/^::error title=llm-eval gate failed%3A tickets \(maxCostUsd\)::tickets: cost \$\d+\.\d{4} \(candidates and judges\) is above maxCostUsd \$\d/);
  });

  it('prints no annotation outside GitHub Actions and touches no step summary when none is set', async () => {
    const run = await fixtureRun(work.dir, 'local', { cases: 5 });
    const stdout = new CapturedStream();
    await markdownReporter({ env: {}, stdout }).onRunEnd!(run, run.report.gate);
    expect(stdout.text).toBe('');
    expect(await readFile(path.join(run.dir, 'summary.md'), 'utf8')).toContain('llm-eval FAILED');
  });
});

describe('summary.md as a pull request comment', () => {
  const REPORT_URL = 'https://ci.example.test/runs/42/report.html';

  it('starts with the verdict, links the regressed cases to report.html and shows the cost delta vs the baseline', async () => {
    const run = await fixtureRun(work.dir, 'pr-comment', { cases: 100 });
    // Costs as results/compare.ts stores them: mean candidate cost per sample on each side.
    const variants = run.report.comparison!.variants.map((v) =>
      v.variant === 'v2' ? { ...v, cost: { before: 0.002, after: 0.003, ratio: 1.5 }, after: { n: 100 } } : { ...v, cost: { before: 0.002, after: 0.002, ratio: 1 }, after: { n: 100 } },
    );
    const report = { ...run.report, comparison: { ...run.report.comparison!, variants } };
    const md = renderMarkdownSummary(report, report.gate, { reportUrl: REPORT_URL });
    const lines = md.split('\n');
    expect(lines[0]).toMatch(/^### ❌ llm-eval FAILED: 2 gate failures · /);
    const failing = report.comparison.changes.filter((c) => c.change === 'newly-failing');
    expect(md).toContain(`#### Regressions: ${failing.length} newly failing cases`);
    const first = failing[0]!;
    expect(md).toContain(`| tickets | v2 | [\`${first.caseId}\`](${REPORT_URL}#case=tickets/${first.caseId}) | 1/1 | 0/1 |`);
    // By hand: v1 100 × $0.002 = $0.20 before and after; v2 100 × $0.002 = $0.20 → 100 × $0.003 = $0.30.
    // Total $0.40 → $0.50 = +25%; v2 +50%, v1 unchanged.
    expect(md).toContain('#### Cost vs baseline: $0.4000 → $0.5000 (+25.0%)');
    // Per 1,000 samples: $0.002 × 1000 = $2.00, $0.003 × 1000 = $3.00.
    expect(md).toContain('| tickets | v2 | $2.00 → $3.00 | +50.0% |');
    expect(md).toContain('| tickets | v1 | $2.00 → $2.00 | ±0.0% |');
    // Regressions come before the cost, the cost before the gate failures.
    expect(md.indexOf('#### Regressions')).toBeLessThan(md.indexOf('#### Cost vs baseline'));
    expect(md.indexOf('#### Cost vs baseline')).toBeLessThan(md.indexOf('#### Gate failures'));
    expect(lines.filter((l) => l !== '').at(-1)).toBe('<!-- llm-eval-report -->');
  });

  it('takes the link base from $LLM_EVAL_REPORT_URL and leaves plain ids without one', async () => {
    const run = await fixtureRun(work.dir, 'pr-env', { cases: 30 });
    const id = run.report.comparison!.changes.find((c) => c.change === 'newly-failing')!.caseId;
    const linked = await writeMarkdownSummary(run, run.report.gate, { env: { LLM_EVAL_REPORT_URL: `${REPORT_URL}#old` }, stdout: new CapturedStream() });
    expect(linked).toContain(`[\`${id}\`](${REPORT_URL}#case=tickets/${id})`);
    expect(linked).toContain(`[full report](${REPORT_URL})`);
    const plain = renderMarkdownSummary(run.report, run.report.gate);
    expect(plain).toContain(`| \`${id}\` |`);
    expect(plain).not.toContain('](');
  });

  it('encodes a suite or id so the link stays one Markdown link and one hash', () => {
    const verdict: GateVerdict = { passed: true, failures: [] };
    const report = storedRunOf([makeRecord({ caseId: 'a/b (c)', pass: false })], work.dir).report;
    const md = renderMarkdownSummary(report, verdict, { reportUrl: 'https://x.test/r (1).html', failing: { cases: [{ suite: 'tickets', variant: 'v1', caseId: 'a/b (c)' }], total: 1 } });
    // encodeURIComponent('a/b (c)') = 'a%2Fb%20(c)', and ( ) as %28 %29.
    expect(md).toContain("[`a/b (c)`](https://x.test/r%20%281%29.html#case=tickets/a%2Fb%20%28c%29)");
  });

  it('lists the failing cases without a baseline, ten of them and a count of the rest', async () => {
    const records = [
      ...Array.from({ length: 13 }, (_, i) => makeRecord({ caseId: `f-${i + 1}`, pass: false, score: 0 })),
      // A second failing repeat of f-1 is still one failing case; passing cases are not listed.
      makeRecord({ caseId: 'f-1', repeat: 1, pass: false, score: 0 }),
      makeRecord({ caseId: 'ok-1', pass: true }),
      makeRecord({ caseId: 'ok-2', pass: true }),
    ];
    const run = storedRunOf(records, path.join(work.dir, 'nobase-failing'));
    const md = await writeMarkdownSummary(run, { passed: false, failures: [] }, { env: {}, stdout: new CapturedStream() });
    expect(md).toContain('#### Failing cases (13)');
    for (let i = 1; i <= 10; i++) expect(md).toContain(`| tickets | v1 | \`f-${i}\` |`);
    expect(md).not.toContain('`f-11`');
    expect(md).toContain('…and 3 more: see report.html.');
    expect(md).not.toContain('ok-1');
  });

  it('never cuts an id in half, in a cell or in a long message', () => {
    const longId = `case-${'x'.repeat(120)}-end`;
    const message = `${'word '.repeat(55)}look first at ${longId}`;
    const verdict: GateVerdict = { passed: false, failures: [{ suite: 'tickets', variant: 'v1', rule: 'minPassRate', message, cases: [longId] }] };
    const md = renderMarkdownSummary(storedRunOf([makeRecord()], work.dir).report, verdict);
    const line = md.split('\n').find((l) => l.startsWith('- **tickets / v1**'))!;
    expect(line).toContain(`(cases: \`${longId}\`)`);
    // 55 × "word " + "look first at " is 289 characters; the id would end at 420 > 300: the text stops before it, whole words only.
    expect(line).toContain('look first at …');
    expect(line).not.toMatch(/case-x+…/);
    expect(mdText('alpha beta gamma', 12)).toBe('alpha beta …');
  });

  it('does not repeat the scope and rule the message starts with', () => {
    const verdict: GateVerdict = {
      passed: false,
      failures: [
        { suite: 'suite', variant: 'v2', rule: 'regression', message: 'suite/v2: regression: pass rate fell 12 points' },
        { suite: 'suite', rule: 'maxCostUsd', message: 'suite: cost $6.20 is above maxCostUsd $5' },
      ],
    };
    const md = renderMarkdownSummary(storedRunOf([makeRecord({ suite: 'suite', variant: 'v2' })], work.dir).report, verdict);
    expect(md).toContain('- **suite / v2** `regression`: pass rate fell 12 points');
    expect(md).toContain('- **suite** `maxCostUsd`: cost $6.20 is above maxCostUsd $5');
  });

  it('starts on a new line when the step summary it is appended to ends mid-line', async () => {
    const run = await fixtureRun(work.dir, 'gha-midline', { cases: 5 });
    const summaryFile = path.join(work.dir, 'step-summary-midline.md');
    await writeFile(summaryFile, 'tests: 12 passed');
    const md = await writeMarkdownSummary(run, run.report.gate, { env: { GITHUB_STEP_SUMMARY: summaryFile }, stdout: new CapturedStream() });
    expect(await readFile(summaryFile, 'utf8')).toBe(`tests: 12 passed\n${md}`);
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
