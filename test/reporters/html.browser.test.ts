import { stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { writeHtmlReport } from '../../src/reporters/html/index.js';
import type { StoredRun } from '../../src/reporters/types.js';
import { fixtureRun, makeRecord, storedRunOf, tempDir, HOSTILE_CASE_ID, HOSTILE_OUTPUTS } from './fixtures.js';
import { pathToFileURL } from 'node:url';
import { caseUrl } from '../../src/reporters/caseLink.js';
import { CHROMIUM, hasChromium, launchChromium, openReport, type PageLog } from './browser.js';

// The callbacks given to page.evaluate / $$eval / waitForFunction run in Chromium. The project is
// typechecked without the DOM library (it would leak browser globals into Node code), so the little
// of the page they touch is declared here, for this module only.
interface PageElement {
  readonly attributes: ArrayLike<{ name: string }> & Iterable<{ name: string }>;
  readonly dataset: Record<string, string | undefined>;
  readonly textContent: string | null;
  querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>;
  querySelector(selector: string): PageElement | null;
}
declare const document: {
  readonly scripts: ArrayLike<unknown>;
  readonly images: ArrayLike<unknown>;
  readonly body: { readonly innerText: string };
  querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>;
  querySelector(selector: string): PageElement | null;
};
declare const window: { __pwned?: unknown };
declare const performance: { getEntriesByType(type: string): Array<{ name: string; startTime: number }> };

if (!hasChromium) console.warn(`Skipping the report.html browser tests: ${CHROMIUM} is absent (install Debian's chromium: apt-get install -y chromium).`);

/** Renders a fixture run's report.html and returns its path. */
async function render(run: StoredRun): Promise<string> {
  const file = path.join(run.dir, 'report.html');
  await writeHtmlReport(run, run.report.gate, file);
  return file;
}

function expectQuietLoad(log: PageLog): void {
  expect(log.errors).toEqual([]);
  const offDisk = log.requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'));
  expect(offDisk).toEqual([]);
}

const caseIds = (page: Page): Promise<string[]> => page.$$eval('#cases-body tr.case', (rows) => rows.map((r) => (r as PageElement).dataset.case ?? ''));

describe.skipIf(!hasChromium)('report.html in headless Chromium', () => {
  let browser: Browser;
  let work: { dir: string; cleanup(): Promise<void> };
  let run: StoredRun;
  let file: string;

  beforeAll(async () => {
    work = await tempDir('llm-eval-html-browser-');
    browser = await launchChromium();
    run = await fixtureRun(work.dir, 'main', { cases: 120, repeats: 2, hostile: true });
    file = await render(run);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await work?.cleanup();
  });

  it('hostile outputs, vars, ids, tags and reasons execute nothing and show as text', async () => {
    const { page, log } = await openReport(browser, file);
    try {
      expectQuietLoad(log);
      expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
      // Nothing from the data became markup: the page's two scripts, no image, no link, no handler attribute.
      const dom = await page.evaluate(() => ({
        scripts: document.scripts.length,
        images: document.images.length,
        links: document.querySelectorAll('a, [href], [src]').length,
        handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
        iframes: document.querySelectorAll('iframe, object, embed').length,
      }));
      expect(dom).toEqual({ scripts: 2, images: 0, links: 0, handlers: 0, iframes: 0 });

      await page.fill('#f-search', 'window.__pwned');
      await page.waitForFunction(() => document.querySelectorAll('#cases-body tr.case').length < 50);
      const outputs = await page.$$eval('pre.out', (els) => els.map((e) => e.textContent ?? ''));
      for (const hostile of HOSTILE_OUTPUTS) expect(outputs).toContain(hostile);
      const ids = await page.$$eval('.cid', (els) => els.map((e) => e.textContent));
      expect(ids).toContain(HOSTILE_CASE_ID);
      const body = await page.evaluate(() => document.body.innerText);
      expect(body).toContain('<img src=x onerror="window.__pwned=1">');
      expect(body).toContain('Judge model is the same as a candidate: <script>window.__pwned=1</script>');
      expect(body).toContain('Reply quotes');
      const tagOptions = await page.$$eval('#f-tag option', (os) => os.map((o) => o.textContent));
      expect(tagOptions).toContain('<b onmouseover="window.__pwned=1">tag</b>');
      // Hovering and clicking what is on screen runs nothing either.
      await page.hover('.cid');
      await page.click('pre.out');
      expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
      expect(log.errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('shows the verdict with its failures, a variant × metric matrix per suite, a confusion matrix and the charts', async () => {
    const { page, log } = await openReport(browser, file);
    try {
      expectQuietLoad(log);
      const verdict = await page.textContent('#verdict');
      expect(verdict).toContain('FAILED');
      expect(verdict).toContain('minPassRate');
      // The real gate's sentences (fixtureRun builds the verdict with gate/decide.ts).
      expect(verdict).toMatch(/tickets: cost \$\d+\.\d{4} \(candidates and judges\) is above maxCostUsd \$\d/);
      // The hostile case id (it never passes) is in the passAllRepeats message as text, not markup.
      expect(verdict).toContain(`passAllRepeats`);
      expect(verdict).toContain(HOSTILE_CASE_ID);
      const headers = await page.$$eval('table.matrix th', (ths) => ths.map((t) => t.textContent));
      expect(headers).toEqual(expect.arrayContaining(['Pass rate', '95% CI', 'Mean score', 'Cost', 'Tokens', 'p50 latency', 'p95 latency', 'Errors', 'vs baseline']));
      const v2 = run.report.suites[0]!.variants.find((v) => v.name === 'v2')!;
      const v2Row = await page.$$eval('table.matrix tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)).find((cells) => cells[0] === 'v2'));
      expect(v2Row).toContain(`${(v2.passRate * 100).toFixed(1)}%`);
      expect(v2Row).toContain(`${(v2.passRateCI95[0] * 100).toFixed(1)}–${(v2.passRateCI95[1] * 100).toFixed(1)}%`);
      expect(await page.$$eval('table.cm', (t) => t.length)).toBe(2);
      expect(await page.$$eval('.charts svg rect', (r) => r.length)).toBeGreaterThanOrEqual(4);
      expect(await page.textContent('#comparison')).toContain('reports/baseline.json');
      // A failing case named by the gate is one click away.
      const named = run.report.gate.failures.find((f) => f.rule === 'passAllRepeats')!.cases![3]!;
      await page.click(`#verdict button.chip:text-is("${named}")`);
      await page.waitForFunction((id) => document.querySelectorAll('#cases-body tr.case').length === 1 && document.querySelector('#cases-body tr.case')?.dataset.case === id, named);
      expect(log.errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('filters: failing only hides passing rows, search narrows, tags select, changed-vs-baseline shows the changes first', async () => {
    const { page, log } = await openReport(browser, file);
    try {
      expectQuietLoad(log);
      const changes = run.report.comparison!.changes;
      const firstFailing = changes.find((c) => c.change === 'newly-failing')!;
      // With a baseline, newly failing cases stand first, then newly passing.
      const initial = await caseIds(page);
      expect(initial).toHaveLength(50);
      expect(initial[0]).toBe(firstFailing.caseId);
      const newlyFailing = [...new Set(changes.filter((c) => c.change === 'newly-failing').map((c) => c.caseId))];
      expect(initial.slice(0, newlyFailing.length)).toEqual(newlyFailing);

      const passingBefore = await page.$$eval('#cases-body tr.case:not(.failing)', (r) => r.length);
      expect(passingBefore).toBeGreaterThan(0);
      await page.check('#f-failing');
      await page.waitForFunction(() => document.querySelectorAll('#cases-body tr.case:not(.failing)').length === 0);
      const failingRows = await page.$$eval('#cases-body tr.case', (rows) => rows.map((r) => r.querySelectorAll('.rec.fail, .rec.error').length));
      expect(failingRows.length).toBeGreaterThan(0);
      expect(failingRows.every((n) => n > 0)).toBe(true);
      await page.uncheck('#f-failing');

      await page.fill('#f-search', 'tickets-000042');
      await page.waitForFunction(() => document.querySelectorAll('#cases-body tr.case').length === 1);
      expect(await caseIds(page)).toEqual(['tickets-000042']);
      expect(await page.textContent('#count')).toContain('of 1 cases');
      await page.fill('#f-search', 'no such text anywhere 9f8e7d');
      await page.waitForFunction(() => document.querySelectorAll('#cases-body tr.case').length === 0);
      expect(await page.textContent('#count')).toContain('No case matches');
      await page.fill('#f-search', '');
      await page.waitForFunction(() => document.querySelectorAll('#cases-body tr.case').length === 50);

      await page.selectOption('#f-tag', 'urgent');
      await page.waitForFunction(() => document.querySelectorAll('#cases-body tr.case').length === 40);
      const chips = await page.$$eval('#cases-body tr.case', (rows) => rows.map((r) => [...r.querySelectorAll('.chip')].map((c) => c.textContent)));
      expect(chips.every((c) => c.includes('urgent'))).toBe(true);
      await page.selectOption('#f-tag', '');

      await page.check('#f-changed');
      const changedIds = [...new Set(changes.map((c) => c.caseId))];
      await page.waitForFunction((n) => document.querySelectorAll('#cases-body tr.case').length === n, changedIds.length);
      expect((await caseIds(page)).sort()).toEqual(changedIds.sort());
      const badges = await page.$$eval('#cases-body tr.case', (rows) => rows.map((r) => r.querySelector('.case .chg')?.textContent ?? ''));
      expect(badges.every((b) => /^v2: newly-(failing|passing)/.test(b))).toBe(true);
      expect(log.errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('a #case=<suite>/<id> link, as summary.md writes it, opens on exactly that case, hostile id included', async () => {
    const { page, log } = await openReport(browser, file, caseUrl(pathToFileURL(file).href, 'tickets', HOSTILE_CASE_ID));
    try {
      expectQuietLoad(log);
      expect(await caseIds(page)).toEqual([HOSTILE_CASE_ID]);
      expect(await page.inputValue('#f-search')).toBe(HOSTILE_CASE_ID);
      expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
      // Following another link on the open page moves to that case.
      await page.evaluate((hash) => { (globalThis as unknown as { location: { hash: string } }).location.hash = hash; }, '#case=tickets/tickets-000012');
      await page.waitForFunction(() => document.querySelector('#cases-body tr.case')?.dataset.case === 'tickets-000012');
      expect(await caseIds(page)).toEqual(['tickets-000012']);
      expect(log.errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('the variant diff shows the words that differ between the two chosen variants', async () => {
    const { page } = await openReport(browser, file);
    try {
      await page.fill('#f-search', 'tickets-000012');
      await page.waitForFunction(() => document.querySelectorAll('#cases-body tr.case').length === 1);
      // v1: "Category: <label>. <text>"; v2: "Category: <label>. Summary: <6 words> <text>"
      const added = await page.$$eval('tr.diffrow .diff ins', (els) => els.map((e) => e.textContent ?? ''));
      expect(added.join(' ')).toContain('Summary');
      expect(await page.$$eval('tr.diffrow .diff del', (els) => els.length)).toBe(0);
      const kept = await page.$$eval('tr.diffrow .diff > span:not(.muted)', (els) => els.map((e) => e.textContent ?? '').join(''));
      expect(kept).toContain('Category');

      await page.selectOption('#diff-a', 'v2');
      await page.selectOption('#diff-b', 'v1');
      const removed = await page.$$eval('tr.diffrow .diff del', (els) => els.map((e) => e.textContent ?? ''));
      expect(removed.join(' ')).toContain('Summary');
      expect(await page.$$eval('tr.diffrow .diff ins', (els) => els.length)).toBe(0);

      await page.selectOption('#diff-b', '');
      expect(await page.$$eval('tr.diffrow', (els) => els.length)).toBe(0);
    } finally {
      await page.close();
    }
  });

  it('a run without a baseline, and a run with no finished case, still render without errors', async () => {
    const plain = await fixtureRun(work.dir, 'no-baseline', { cases: 8, baseline: false, gatePassed: true, suites: ['summaries'] });
    const { page, log } = await openReport(browser, await render(plain));
    try {
      expectQuietLoad(log);
      expect(await page.textContent('#verdict')).toContain('PASSED');
      expect(await page.isDisabled('#f-changed')).toBe(true);
      expect(await page.$$eval('#comparison', (e) => e.length)).toBe(0);
      expect(await page.$$eval('table.cm', (e) => e.length)).toBe(0);
      expect(await caseIds(page)).toHaveLength(8);
    } finally {
      await page.close();
    }
    const empty: StoredRun = { ...plain, dir: path.join(work.dir, 'empty'), async *cases() {} };
    const emptyFile = path.join(work.dir, 'empty.html');
    await writeHtmlReport(empty, { passed: false, failures: [{ rule: 'run-incomplete', message: 'the run did not finish' }] }, emptyFile);
    const opened = await openReport(browser, emptyFile);
    try {
      expectQuietLoad(opened.log);
      expect(await opened.page.textContent('#count')).toBe('No case matches the filters (0 in the run).');
      expect(await opened.page.textContent('#verdict')).toContain('run-incomplete');
    } finally {
      await opened.page.close();
    }
  });

  it("a case's tool calls show under its text as name(args) lines, markup in arguments inert", async () => {
    const hostile = '{"note":"<img src=x onerror=window.__pwned=1>"}';
    const records = [
      makeRecord({ caseId: 'calls', output: '', pass: false, score: 0, toolCalls: [{ id: 'c1', name: 'refund', rawArguments: '{"order_id":"A-17","amount":500}', arguments: { order_id: 'A-17', amount: 500 } }, { id: 'c2', name: 'note', rawArguments: hostile }] }),
      makeRecord({ caseId: 'text', output: 'billing' }),
    ];
    const toolRun = storedRunOf(records, path.join(work.dir, 'tools'));
    const { page, log } = await openReport(browser, await render(toolRun));
    try {
      expectQuietLoad(log);
      await page.fill('#f-search', 'refund');
      await page.waitForFunction(() => document.querySelector('#cases-body tr.case')?.dataset.case === 'calls' && document.querySelectorAll('#cases-body tr.case').length === 1);
      const lines = await page.$$eval('#cases-body ul.tools li', (els) => els.map((e) => e.textContent ?? ''));
      expect(lines).toEqual(['→ refund({"order_id":"A-17","amount":500})', `→ note(${hostile})`]);
      // A tool-only answer shows its calls, not "no output".
      expect(await page.$$eval('#cases-body .rec .muted', (els) => els.map((e) => e.textContent ?? '').filter((t) => t === 'no output'))).toEqual([]);
      expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
      await page.fill('#f-search', 'text');
      await page.waitForFunction(() => document.querySelector('#cases-body tr.case')?.dataset.case === 'text');
      expect(await page.$$eval('#cases-body ul.tools', (els) => els.length)).toBe(0);
    } finally {
      await page.close();
    }
  });

  it('a 10,000-case report opens quickly and pages through its cases', async () => {
    const big = await fixtureRun(work.dir, 'big', { cases: 10_000, repeats: 1 });
    const started = Date.now();
    const bigFile = await render(big);
    const renderMs = Date.now() - started;
    const { page, log, loadMs } = await openReport(browser, bigFile);
    try {
      expectQuietLoad(log);
      const paint = await page.evaluate(() => performance.getEntriesByType('paint').map((p) => [p.name, Math.round(p.startTime)] as const));
      const html = (await stat(bigFile)).size;
      const jsonl = (await stat(path.join(big.dir, 'results.jsonl'))).size;
      console.log(
        `10,000 cases × 2 variants: report.html ${(html / 1e6).toFixed(1)} MB (${(html / jsonl).toFixed(2)}× results.jsonl), rendered in ${renderMs} ms; ` +
          `page ready in ${loadMs} ms, ${paint.map(([n, t]) => `${n} ${t} ms`).join(', ')}`,
      );
      expect(loadMs).toBeLessThan(10_000);
      expect(await page.$$eval('#cases-body tr.case', (r) => r.length)).toBe(50);
      const first = await caseIds(page);
      const t0 = Date.now();
      await page.click('#cases-body .pager .next');
      await page.waitForFunction((id) => (document.querySelector('#cases-body tr.case') as PageElement | null)?.dataset.case !== id, first[0]);
      const second = await caseIds(page);
      expect(second).toHaveLength(50);
      expect(second.some((id) => first.includes(id))).toBe(false);
      expect(await page.textContent('.pageno')).toBe('page 2 of 200');
      // Filtering all 10,000 cases stays interactive.
      await page.fill('#f-search', 'tickets-009999');
      await page.waitForFunction(() => document.querySelectorAll('#cases-body tr.case').length === 1);
      console.log(`paging and a search over 10,000 cases took ${Date.now() - t0} ms (including the 120 ms search debounce)`);
    } finally {
      await page.close();
    }
  }, 120_000);
});
