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
import { mkdir, writeFile } from 'node:fs/promises';
import type { CaseRecord } from '../../src/types.js';

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
declare const window: { __pwned?: unknown; getComputedStyle(e: PageElement): { unicodeBidi: string } };
declare const performance: { now(): number; getEntriesByType(type: string): Array<{ name: string; startTime: number }>; getEntriesByName(name: string): Array<{ startTime: number }> };
interface ClickableElement extends PageElement {
  click(): void;
}

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

/**
 * Writes a baseline whose tickets/v2 was measured with prompt classify-ticket@v2#0123456789ab
 * (text `template`) and had `outputs`, and names it in the run's run.json as `--baseline` would.
 */
async function compareWithBaseline(run: StoredRun, baselineFile: string, outputs: Record<string, string>, template: string): Promise<void> {
  const fingerprint = { dataset: null, prompt: 'classify-ticket@v2#0123456789ab', graders: null, judgeModels: null, model: null, params: null };
  await writeFile(
    baselineFile,
    JSON.stringify({
      version: 1,
      createdAt: '2026-01-01T00:00:00.000Z',
      runId: 'base',
      suites: { tickets: { v2: { fingerprint, meanCostUsd: null, latencyMs: { p50: null, p95: null }, cases: {}, outputs } } },
      prompts: { 'classify-ticket@v2#0123456789ab': template },
    }),
  );
  await writeFile(path.join(run.dir, 'run.json'), JSON.stringify({ runId: run.report.runId, createdAt: run.report.createdAt, configFile: 'x', configHash: 'y', options: { baseline: baselineFile }, status: 'completed' }));
}

const caseIds = (page: Page): Promise<string[]> => page.$$eval('#cases-body li.case', (rows) => rows.map((r) => (r as PageElement).dataset.case ?? ''));
const waitCases = (page: Page, n: number): Promise<unknown> => page.waitForFunction((k) => document.querySelectorAll('#cases-body li.case').length === k, n);

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
      // Three scripts: the head data block, the page's script, the rows data block.
      expect(dom).toEqual({ scripts: 3, images: 0, links: 0, handlers: 0, iframes: 0 });

      await page.fill('#f-search', 'window.__pwned');
      await page.waitForFunction(() => document.querySelectorAll('#cases-body li.case').length < 50);
      // Open every listed case: the outputs show in its details.
      await page.click('#cases-body .pager .open-all');
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
      await page.waitForFunction((id) => document.querySelectorAll('#cases-body li.case').length === 1 && document.querySelector('#cases-body li.case')?.dataset.case === id, named);
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

      const passingBefore = await page.$$eval('#cases-body li.case:not(.failing)', (r) => r.length);
      expect(passingBefore).toBeGreaterThan(0);
      await page.check('#f-failing');
      await page.waitForFunction(() => document.querySelectorAll('#cases-body li.case:not(.failing)').length === 0);
      const failingRows = await page.$$eval('#cases-body li.case', (rows) => rows.map((r) => r.querySelectorAll('.pill.fail, .pill.error').length));
      expect(failingRows.length).toBeGreaterThan(0);
      expect(failingRows.every((n) => n > 0)).toBe(true);
      await page.uncheck('#f-failing');

      await page.fill('#f-search', 'tickets-000042');
      await waitCases(page, 1);
      expect(await caseIds(page)).toEqual(['tickets-000042']);
      expect(await page.textContent('#count')).toContain('of 1 cases');
      await page.fill('#f-search', 'no such text anywhere 9f8e7d');
      await waitCases(page, 0);
      expect(await page.textContent('#count')).toContain('No case matches');
      await page.fill('#f-search', '');
      await waitCases(page, 50);

      await page.selectOption('#f-tag', 'urgent');
      await waitCases(page, 40);
      const chips = await page.$$eval('#cases-body li.case', (rows) => rows.map((r) => [...r.querySelectorAll('.chip')].map((c) => c.textContent)));
      expect(chips.every((c) => c.includes('urgent'))).toBe(true);
      await page.selectOption('#f-tag', '');

      await page.selectOption('#f-change', 'changed');
      const changedIds = [...new Set(changes.map((c) => c.caseId))];
      await page.waitForFunction((n) => document.querySelectorAll('#cases-body li.case').length === n, changedIds.length);
      expect((await caseIds(page)).sort()).toEqual(changedIds.sort());
      const badges = await page.$$eval('#cases-body li.case', (rows) => rows.map((r) => [...r.querySelectorAll('.pill.newly-failing, .pill.newly-passing')].map((p) => p.dataset.variant)));
      expect(badges.every((b) => b.length === 1 && b[0] === 'v2')).toBe(true);
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
      await page.waitForFunction(() => document.querySelector('#cases-body li.case')?.dataset.case === 'tickets-000012');
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
      await waitCases(page, 1);
      // v1: "Category: <label>. <text>"; v2: "Category: <label>. Summary: <6 words> <text>"
      const added = await page.$$eval('li.case.open .variant-diff .diff ins', (els) => els.map((e) => e.textContent ?? ''));
      expect(added.join(' ')).toContain('Summary');
      expect(await page.$$eval('li.case.open .variant-diff .diff del', (els) => els.length)).toBe(0);
      const kept = await page.$$eval('li.case.open .variant-diff .diff > span:not(.muted)', (els) => els.map((e) => e.textContent ?? '').join(''));
      expect(kept).toContain('Category');

      await page.selectOption('#diff-a', 'v2');
      await page.selectOption('#diff-b', 'v1');
      const removed = await page.$$eval('li.case.open .variant-diff .diff del', (els) => els.map((e) => e.textContent ?? ''));
      expect(removed.join(' ')).toContain('Summary');
      expect(await page.$$eval('li.case.open .variant-diff .diff ins', (els) => els.length)).toBe(0);

      await page.selectOption('#diff-b', '');
      expect(await page.$$eval('.variant-diff', (els) => els.length)).toBe(0);
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
      expect(await page.isDisabled('#f-change')).toBe(true);
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
      await page.waitForFunction(() => document.querySelector('#cases-body li.case.open')?.dataset.case === 'calls' && document.querySelectorAll('#cases-body li.case').length === 1);
      const lines = await page.$$eval('#cases-body li.case.open ul.tools li', (els) => els.map((e) => e.textContent ?? ''));
      expect(lines).toEqual(['→ refund({"order_id":"A-17","amount":500})', `→ note(${hostile})`]);
      // A tool-only answer shows its calls, not "no output".
      expect(await page.$$eval('#cases-body .rec .muted', (els) => els.map((e) => e.textContent ?? '').filter((t) => t === 'no output'))).toEqual([]);
      expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
      await page.fill('#f-search', 'text');
      await page.waitForFunction(() => document.querySelector('#cases-body li.case.open')?.dataset.case === 'text');
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
      expect(await page.$$eval('#cases-body li.case', (r) => r.length)).toBe(50);
      const first = await caseIds(page);
      const t0 = Date.now();
      await page.click('#cases-body .pager .next');
      await page.waitForFunction((id) => (document.querySelector('#cases-body li.case') as PageElement | null)?.dataset.case !== id, first[0]);
      const second = await caseIds(page);
      expect(second).toHaveLength(50);
      expect(second.some((id) => first.includes(id))).toBe(false);
      expect(await page.textContent('.pageno')).toBe('page 2 of 200');
      // Filtering all 10,000 cases stays interactive.
      await page.fill('#f-search', 'tickets-009999');
      await waitCases(page, 1);
      console.log(`paging and a search over 10,000 cases took ${Date.now() - t0} ms (including the 120 ms search debounce)`);
    } finally {
      await page.close();
    }
  }, 120_000);

  it('states what a case is, and shows the notes, BH-adjusted p, flips, minimum detectable drop, repeats, pairwise results and TTFT', async () => {
    const { page, log } = await openReport(browser, file);
    try {
      expectQuietLoad(log);
      expect(await page.textContent('#cases-meaning')).toContain('A case is one dataset row of a suite');
      expect(await page.textContent('#notes')).toContain('tickets/v2: prompt changed classify-ticket@v1 → classify-ticket@v2');
      const cmp = run.report.comparison!;
      const v2Row = await page.$$eval('#comparison tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')).find((c) => c[1] === 'v2')!);
      // The fixture: p 0.012, BH-adjusted 0.024, MDE 0.083 (8.3 points), flips = its newly failing / newly passing counts.
      const failing = cmp.changes.filter((c) => c.change === 'newly-failing').length;
      const passing = cmp.changes.filter((c) => c.change === 'newly-passing').length;
      expect(v2Row).toEqual(expect.arrayContaining(['0.012', '0.024', `${failing} / ${passing}`, '8.3 pts']));
      expect(await page.textContent('#comparison')).toContain('to detect a 2-point drop you need about 1,900 cases');
      // 120 cases × 2 repeats = 240 pairs judged: 96 wins (40%), 48 ties (20%), 96 losses, 24 order disagreements (10%).
      const pairwise = await page.$$eval('.pairwise tbody td', (tds) => tds.map((t) => t.textContent));
      expect(pairwise).toEqual(expect.arrayContaining(['240', '96 (40.0%)', '48 (20.0%)', '96 (40.0%)', '24 (10.0%)', '7 of 12']));
      // Repeats: v2's flaky cases are every 11th (its odd repeat fails) unless it always fails there.
      const v2Repeats = run.report.suites[0]!.variants.find((v) => v.name === 'v2')!.repeats!;
      expect(v2Repeats.flakyCases).toContain('tickets-000011');
      const repeatRow = await page.$$eval('.repeats tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')).find((c) => c[0] === 'v2')!);
      expect(repeatRow[3]).toBe(`${(v2Repeats.passAtK * 100).toFixed(1)}%`);
      expect(repeatRow[4]).toBe(`${(v2Repeats.passHatK * 100).toFixed(1)}%`);
      await page.click('.repeats button.chip:text-is("tickets-000011")');
      await page.waitForFunction(() => document.querySelector('#cases-body li.case')?.dataset.case === 'tickets-000011');
      // TTFT p50 by nearest rank over v1's records (the fixture's TTFT is latency / 4, rounded).
      const ttfts: number[] = [];
      for await (const r of run.cases()) if (r.variant === 'v1' && r.ttftMs != null) ttfts.push(r.ttftMs);
      ttfts.sort((a, b) => a - b);
      const p50 = ttfts[Math.ceil(0.5 * ttfts.length) - 1]!;
      const v1Ttft = await page.$eval('td.ttft[data-variant="v1"][data-q="p50"]', (td) => td.textContent);
      expect(v1Ttft).toBe(`${p50} ms`);
      expect(log.errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('isolates bidi controls: a U+202E in a note cannot reorder the text around it', async () => {
    const { page } = await openReport(browser, file);
    try {
      const isolated = await page.$$eval('#notes li', (lis) =>
        lis
          .filter((li) => (li.textContent ?? '').includes('\u202E'))
          .map((li) => {
            const b = li.querySelector('bdi');
            return { inBdi: !!b && (b.textContent ?? '').includes('\u202E'), bidi: b ? window.getComputedStyle(b).unicodeBidi : '' };
          }),
      );
      expect(isolated).toEqual([{ inBdi: true, bidi: 'isolate' }]);
    } finally {
      await page.close();
    }
  });

  it('navigates: "… N more" lists the gate’s cases, sorting, errored and failing-in filters, newly failing, jump to page, highlighted hits', async () => {
    const { page, log } = await openReport(browser, file);
    try {
      // The real gate's passAllRepeats failure for v1 names its cases: every 5th case (24 of 120)
      // plus the hostile cases 1–8 that are not multiples of 5 (7) = 31.
      const named = run.report.gate.failures.find((f) => f.rule === 'passAllRepeats' && f.variant === 'v1')!.cases!;
      expect(named.length).toBe(31);
      await page.click('#verdict li:has(code:text-is("passAllRepeats")):has-text("tickets / v1") button.more');
      await waitCases(page, 31);
      expect((await caseIds(page)).sort()).toEqual([...named].sort());

      await page.click('#show-newly-failing');
      const newlyFailing = [...new Set(run.report.comparison!.changes.filter((c) => c.change === 'newly-failing').map((c) => c.caseId))];
      await waitCases(page, newlyFailing.length);
      expect((await caseIds(page)).sort()).toEqual(newlyFailing.sort());
      await page.selectOption('#f-change', '');

      // Errored: v2 errors on every 97th case; of 120 that is case 97 alone.
      await page.check('#f-errored');
      await waitCases(page, 1);
      expect(await caseIds(page)).toEqual(['tickets-000097']);
      await page.uncheck('#f-errored');

      // Failing in v1: every 5th case (24 of 120) plus the hostile cases 1–8 that are not multiples of 5 (7) = 31.
      await page.selectOption('#f-failin', 'v1');
      await page.waitForFunction(() => (document.querySelector('#count')?.textContent ?? '').includes('of 31 cases'));
      await page.selectOption('#f-failin', '');

      // Sorting by cost: the first case is the one whose records cost the most in all.
      const cost = new Map<string, number>();
      for await (const r of run.cases()) cost.set(r.caseId, (cost.get(r.caseId) ?? 0) + (r.costUsd ?? 0));
      const dearest = [...cost].sort((a, b) => b[1] - a[1])[0]![0];
      await page.selectOption('#f-sort', 'cost');
      await page.waitForFunction((id) => document.querySelector('#cases-body li.case')?.dataset.case === id, dearest);

      // 120 cases, 50 a page: 3 pages.
      await page.fill('#cases-body .pager input.jump >> nth=0', '3');
      await page.press('#cases-body .pager input.jump >> nth=0', 'Enter');
      await page.waitForFunction(() => document.querySelector('.pageno')?.textContent === 'page 3 of 3');
      expect(await caseIds(page)).toHaveLength(20);

      await page.fill('#f-search', 'invoice');
      await page.waitForFunction(() => document.querySelectorAll('#cases-body mark').length > 0);
      const marks = await page.$$eval('#cases-body mark', (ms) => [...new Set(ms.map((m) => (m.textContent ?? '').toLowerCase()))]);
      expect(marks).toEqual(['invoice']);
      expect(log.errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('renders Markdown safely on request: a javascript: link shows as text and navigates nowhere', async () => {
    // HOSTILE_OUTPUTS[3] is case 4's v2 output: [x](javascript:window.__pwned=1)
    const { page, log } = await openReport(browser, file, caseUrl(pathToFileURL(file).href, 'tickets', 'tickets-000004'));
    try {
      await page.check('#f-markdown');
      await page.waitForSelector('.md .mdlink');
      expect(await page.$$eval('.md .mdlink', (ls) => ls.map((l) => l.textContent))).toContain('x (javascript:window.__pwned=1)');
      expect(await page.$$eval('a, [href]', (as) => as.length)).toBe(0);
      await page.click('.md .mdlink');
      expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
      expect(log.errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('is usable 390 px wide: no sideways page scroll, with a case open', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await page.goto(caseUrl(pathToFileURL(file).href, 'tickets', 'tickets-000012'));
      await page.waitForSelector('html[data-ready="1"]');
      await page.waitForSelector('li.case.open .details');
      const widths = await page.evaluate(() => {
        const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
        return { scroll: d.scrollWidth, client: d.clientWidth };
      });
      expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    } finally {
      await page.close();
    }
  });

  it('explains a change against the baseline: the baseline output beside this run’s with a word diff, and the prompt template diff', async () => {
    const ex = await fixtureRun(work.dir, 'explain', { cases: 30 });
    const changed = ex.report.comparison!.changes.filter((c) => c.change === 'newly-failing')[0]!;
    const outputs: Record<string, string> = {};
    for (const c of ex.report.comparison!.changes) outputs[c.caseId] = 'Category: billing. Zebra quokka narwhal';
    await compareWithBaseline(ex, path.join(work.dir, 'explain-baseline.json'), outputs, 'Classify the ticket: {{ ticket }}');
    await writeFile(path.join(ex.dir, 'prompts.json'), JSON.stringify({ 'classify-ticket@v2#f6e5d4c3b2a1': 'Classify the ticket and summarise it: {{ ticket }}' }));
    const exFile = await render(ex);
    const { page, log } = await openReport(browser, exFile, caseUrl(pathToFileURL(exFile).href, 'tickets', changed.caseId));
    try {
      expectQuietLoad(log);
      const col = `li.case.open .col[data-variant="v2"] .explain`;
      expect(await page.textContent(`${col} .baseline-out`)).toBe('Category: billing. Zebra quokka narwhal');
      const diffs = await page.$$eval(`${col} .diff`, (ds) => ds.map((d) => ({ del: [...d.querySelectorAll('del')].map((x) => x.textContent).join(' '), ins: [...d.querySelectorAll('ins')].map((x) => x.textContent).join(' ') })));
      let current: CaseRecord | undefined;
      for await (const r of ex.cases()) if (r.caseId === changed.caseId && r.variant === 'v2') current = r;
      // Output diff: the baseline's words that are gone, the current output's that are new.
      expect(diffs[0]!.del).toContain('Zebra quokka narwhal');
      expect(diffs[0]!.ins).toContain(current!.output!.split(' ').slice(-1)[0]);
      // Template diff: "and summarise it" was added.
      expect(diffs[1]!.ins.replace(/\s+/g, ' ')).toContain('and summarise it');
      expect(diffs[1]!.del).toBe('');
      expect(await page.textContent(`${col}`)).toContain('Prompt changed: classify-ticket@v2#0123456789ab → classify-ticket@v2#f6e5d4c3b2a1');
    } finally {
      await page.close();
    }
  });

  it('shows the messages sent for a changed case, and the baseline’s under its own template when the prompt changed', async () => {
    const ex = await fixtureRun(work.dir, 'messages', { cases: 30 });
    const changed = ex.report.comparison!.changes.filter((c) => c.change === 'newly-failing')[0]!;
    await compareWithBaseline(ex, path.join(work.dir, 'messages-baseline.json'), {}, 'Classify the ticket: {{ ticket | upcase }}');
    // This run's v2 template is YAML with a system message; v1's text was not stored.
    const yaml = 'messages:\n  - role: system\n    content: You route support tickets <b>bold</b>.\n  - role: user\n    content: "Ticket: {{ ticket }}"\n';
    await writeFile(path.join(ex.dir, 'prompts.json'), JSON.stringify({ 'classify-ticket@v2#f6e5d4c3b2a1': yaml }));
    const exFile = await render(ex);
    let ticket = '';
    let v1Failing: string | undefined;
    for await (const r of ex.cases()) {
      if (r.caseId === changed.caseId) ticket = String(r.vars.ticket);
      if (r.variant === 'v1' && !r.pass && !r.error && v1Failing === undefined) v1Failing = r.caseId;
    }
    const { page, log } = await openReport(browser, exFile, caseUrl(pathToFileURL(exFile).href, 'tickets', changed.caseId));
    try {
      expectQuietLoad(log);
      const col = `li.case.open .col[data-variant="v2"]`;
      const messages = (sel: string) => page.$$eval(`${sel} .msg`, (ms) => ms.map((m) => [(m as PageElement).dataset.role ?? '', m.querySelector('pre')?.textContent ?? '']));
      // By hand: the YAML's two messages with {{ ticket }} replaced by the case's ticket; markup stays text.
      expect(await messages(`${col} .sent-messages`)).toEqual([
        ['system', 'You route support tickets <b>bold</b>.'],
        ['user', `Ticket: ${ticket}`],
      ]);
      expect(await page.textContent(`${col} .sent-messages summary`)).toBe('Messages sent (classify-ticket@v2#f6e5d4c3b2a1)');
      // The baseline's template (a Markdown one: one user message) with the same vars, `upcase` applied.
      expect(await messages(`${col} .baseline-messages`)).toEqual([['user', `Classify the ticket: ${ticket.toUpperCase()}`]]);
      expect(await page.$$('li.case.open b')).toEqual([]);
    } finally {
      await page.close();
    }
    // A failing v1 case: its template's text is not stored, and the page says so instead of breaking.
    const failing = await openReport(browser, exFile, caseUrl(pathToFileURL(exFile).href, 'tickets', v1Failing!));
    try {
      expectQuietLoad(failing.log);
      expect(await failing.page.textContent('li.case.open .col[data-variant="v1"] .sent-messages')).toContain('the text of classify-ticket@v1#a1b2c3d4e5f6 is not stored');
    } finally {
      await failing.page.close();
    }
  });

  it('a conversation case shows its transcript in the case detail, not a rendered prompt', async () => {
    const transcript = [
      { role: 'system' as const, content: 'You are a support agent.' },
      { role: 'user' as const, content: 'Where is order A1?' },
      { role: 'assistant' as const, content: '', toolCalls: [{ id: 'c1', name: 'lookup_order', arguments: { id: 'A1' }, rawArguments: '{"id":"A1"}' }] },
      { role: 'tool' as const, content: 'shipped <i>today</i>', toolCallId: 'c1', toolName: 'lookup_order' },
      { role: 'assistant' as const, content: 'It shipped today.' },
    ];
    const convo = storedRunOf([makeRecord({ caseId: 'order-a1', pass: false, score: 0, output: 'It shipped today.', transcript })], path.join(work.dir, 'convo'));
    await mkdir(convo.dir, { recursive: true });
    await writeFile(path.join(convo.dir, 'prompts.json'), JSON.stringify({ 'classify-ticket@v1#a1b2c3d4e5f6': 'Ticket: {{ ticket }}' }));
    const convoFile = await render(convo);
    const { page, log } = await openReport(browser, convoFile, caseUrl(pathToFileURL(convoFile).href, 'tickets', 'order-a1'));
    try {
      expectQuietLoad(log);
      // By hand (util/transcript.ts's layout): no system turn, one paragraph per turn, the tool call as name(args).
      expect(await page.textContent('li.case.open details.transcript pre')).toBe(
        'user: Where is order A1?\n\nassistant → lookup_order({"id":"A1"})\n\ntool lookup_order: shipped <i>today</i>\n\nassistant: It shipped today.',
      );
      expect(await page.textContent('li.case.open details.transcript summary')).toMatch(/^Transcript · /);
      expect(await page.$$('li.case.open .sent-messages')).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('lists new gate failures first and marks those the baseline already had as pre-existing', async () => {
    const records = [makeRecord({ caseId: 'a', pass: false, score: 0 }), makeRecord({ caseId: 'b' }), makeRecord({ caseId: 'c', variant: 'v2', pass: false, score: 0 })];
    const comparison = {
      against: 'reports/baseline.json',
      variants: ['v1', 'v2'].map((variant) => ({ suite: 'tickets', variant, pairedCases: 2, passRateBefore: 0.5, passRateAfter: 0.5, diff: 0, diffCI95: [0, 0] as [number, number], pValue: 1, significant: false })),
      // v2's case c newly fails; v1 failed case a in the baseline too.
      changes: [{ suite: 'tickets', variant: 'v2', caseId: 'c', change: 'newly-failing' as const }],
      warnings: [],
    };
    // v1's minPassRate failure is listed first in the verdict, yet nothing about v1 moved: the baseline failed it too.
    const gate = {
      passed: false,
      failures: [
        { suite: 'tickets', variant: 'v1', rule: 'minPassRate', message: 'pass rate 50.0% is below 90.0%', cases: ['a'] },
        { suite: 'tickets', variant: 'v2', rule: 'minPassRate', message: 'pass rate 0.0% is below 90.0%', cases: ['c'] },
      ],
    };
    const pre = storedRunOf(records, path.join(work.dir, 'pre-existing'), { comparison, gate });
    await mkdir(pre.dir, { recursive: true });
    const preFile = await render(pre);
    const { page, log } = await openReport(browser, preFile);
    try {
      expectQuietLoad(log);
      const fresh = await page.$$eval('#verdict #gate-failures li', (ls) => ls.map((l) => l.textContent ?? ''));
      const carried = await page.$$eval('#verdict #pre-existing-failures li', (ls) => ls.map((l) => l.textContent ?? ''));
      expect(fresh).toHaveLength(1);
      expect(fresh[0]).toContain('tickets / v2');
      expect(fresh[0]).not.toContain('pre-existing');
      expect(carried).toHaveLength(1);
      expect(carried[0]).toMatch(/^pre-existing tickets \/ v1 minPassRate/);
      expect(await page.textContent('#pre-existing-head')).toBe('Pre-existing (already failing in reports/baseline.json):');
      // New failures come before the pre-existing ones on the page.
      const order = await page.$$eval('#verdict li', (ls) => ls.map((l) => (l.textContent ?? '').includes('tickets / v1')));
      expect(order).toEqual([false, true]);
    } finally {
      await page.close();
    }
  });

  it('a 20,000-record report with 1–2 KB outputs shows its verdict and tables before the rows, turns pages fast, and stays ≤ 0.6× results.jsonl', async () => {
    // ~250 words of ~6 characters: 1.2–2 KB per output.
    const big = await fixtureRun(work.dir, 'big20k', { cases: 10_000, repeats: 1, outputWords: 250 });
    const bigFile = await render(big);
    const html = (await stat(bigFile)).size;
    const jsonl = (await stat(path.join(big.dir, 'results.jsonl'))).size;
    // What the case list shows at the moment the verdict and tables are drawn (the page's `llm-eval:head` mark).
    const atHead = `{ const mark = performance.mark.bind(performance); performance.mark = (name, ...rest) => { if (name === 'llm-eval:head') window.__casesAtHead = document.getElementById('cases-body')?.textContent; return mark(name, ...rest); }; }`;
    const { page, log } = await openReport(browser, bigFile, pathToFileURL(bigFile).href, atHead);
    try {
      expectQuietLoad(log);
      expect(await page.evaluate(() => (window as unknown as { __casesAtHead?: string }).__casesAtHead)).toBe('Loading the cases…');
      const marks = await page.evaluate(() => ({ head: performance.getEntriesByName('llm-eval:head')[0]!.startTime, ready: performance.getEntriesByName('llm-eval:ready')[0]!.startTime }));
      // Measured in the browser: a click on "Next" re-renders the page synchronously.
      const turnMs = await page.evaluate(() => {
        const t0 = performance.now();
        (document.querySelector('#cases-body .pager .next') as ClickableElement).click();
        return performance.now() - t0;
      });
      console.log(`20,000 records: report.html ${(html / 1e6).toFixed(1)} MB (${(html / jsonl).toFixed(2)}× results.jsonl); verdict and tables at ${Math.round(marks.head)} ms, rows ready at ${Math.round(marks.ready)} ms; page turn ${turnMs.toFixed(1)} ms`);
      expect(html / jsonl).toBeLessThanOrEqual(0.6);
      // Targets: 1 s and 100 ms; asserted at 3× on a shared, loaded machine (bench/RESULTS.md has the measured figures).
      expect(marks.head).toBeLessThan(3_000);
      expect(marks.head).toBeLessThan(marks.ready);
      expect(turnMs).toBeLessThan(300);
      expect(await page.textContent('.pageno')).toBe('page 2 of 200');
    } finally {
      await page.close();
    }
  }, 180_000);
});
