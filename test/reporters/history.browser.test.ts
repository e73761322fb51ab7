import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { historyOf, renderHistoryHtml, renderHistoryTable, sparkline } from '../../src/reporters/history/index.js';
import { displayWidth } from '../../src/reporters/console/width.js';
import type { RunReport } from '../../src/types.js';
import { CHROMIUM, hasChromium, launchChromium, type PageLog } from './browser.js';
import { makeRecord, storedRunOf, tempDir } from './fixtures.js';

// Callbacks given to page.evaluate run in Chromium; the project is typechecked without the DOM library.
interface PageElement {
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
}
declare const document: {
  readonly documentElement: { readonly scrollWidth: number; readonly clientWidth: number };
  readonly scripts: ArrayLike<unknown>;
  readonly images: ArrayLike<unknown>;
  querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>;
};

if (!hasChromium) console.warn(`Skipping the history.html browser tests: ${CHROMIUM} is absent (apt-get install -y chromium).`);

const HOSTILE = '<img src=x onerror="window.__pwned=1">';

/** Three runs of two variants; v2's pass rate drifts down 90% → 80% → 70%. */
function reports(): RunReport[] {
  const runs: RunReport[] = [];
  for (let i = 0; i < 3; i++) {
    const records = [
      ...Array.from({ length: 10 }, (_, k) => makeRecord({ variant: 'v1', caseId: `c${k}`, pass: k !== 0 })),
      ...Array.from({ length: 10 }, (_, k) => makeRecord({ variant: `v2 ${HOSTILE} with a rather long variant name to wrap`, caseId: `c${k}`, pass: k >= i + 1 })),
    ];
    const report = storedRunOf(records, '/tmp/none', { runId: `2026010${i + 1}-120000-aaaaaa`, createdAt: `2026-01-0${i + 1}T12:00:00.000Z` }).report;
    runs.push(report);
  }
  // Given newest first: the history sorts by time.
  return runs.reverse();
}

describe('run history: series and terminal table', () => {
  it('orders runs by time and gives each suite × variant one point per run', () => {
    const h = historyOf(reports());
    expect(h.runs.map((r) => r.runId)).toEqual(['20260101-120000-aaaaaa', '20260102-120000-aaaaaa', '20260103-120000-aaaaaa']);
    expect(h.series.map((s) => s.points.length)).toEqual([3, 3]);
    // v2 passes k ≥ i+1 of 10: 9, 8, 7.
    expect(h.series[1]!.points.map((p) => p.passRate)).toEqual([0.9, 0.8, 0.7]);
  });

  it('draws a sparkline from the lowest (▁) to the highest (█) value, a gap for a missing one', () => {
    expect(sparkline([0.7, 0.8, 0.9])).toBe('▁▅█');
    expect(sparkline([1, null, 1])).toBe('▄ ▄');
  });

  it('fits the terminal table to the width, cutting names, never the numbers', () => {
    const table = renderHistoryTable({ ...historyOf(reports()), skipped: [] }, 80);
    for (const l of table.split('\n')) expect(displayWidth(l), l).toBeLessThanOrEqual(80);
    expect(table).toMatch(/Pass rate\s+█▅▁\s+90\.0%\s+70\.0%\s+3/);
  });
});

describe.skipIf(!hasChromium)('history.html in headless Chromium', () => {
  let browser: Browser;
  let work: { dir: string; cleanup(): Promise<void> };
  let file: string;
  beforeAll(async () => {
    browser = await launchChromium();
    work = await tempDir('llm-eval-history-');
    file = path.join(work.dir, 'history.html');
    await writeFile(file, renderHistoryHtml({ ...historyOf(reports()), skipped: [] }));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await work?.cleanup();
  });

  async function open(width: number): Promise<{ page: Page; log: PageLog }> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const log: PageLog = { errors: [], requests: [] };
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') log.errors.push(`console.${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => log.errors.push(`pageerror: ${e.message}`));
    page.on('request', (r) => log.requests.push(r.url()));
    await page.goto(pathToFileURL(file).href);
    return { page, log };
  }

  it('shows a line of three points per suite × variant in each chart, with no console error and no request but the file', async () => {
    const { page, log } = await open(1400);
    const counts = await page.evaluate(() =>
      ['pass-rate', 'cost', 'latency'].map((id) => ({
        lines: document.querySelectorAll(`#${id} polyline.series`).length,
        points: [...document.querySelectorAll(`#${id} circle.point`)].length,
      })),
    );
    expect(counts).toEqual([
      { lines: 2, points: 6 },
      { lines: 2, points: 6 },
      { lines: 2, points: 6 },
    ]);
    // The hostile variant name is text: no image, no script ran, the CSP blocked nothing because nothing was there to block.
    const dom = await page.evaluate(() => ({ scripts: document.scripts.length, images: document.images.length }));
    expect(dom).toEqual({ scripts: 0, images: 0 });
    expect(await page.evaluate(() => [...document.querySelectorAll('ul.legend li')].map((li) => li.textContent))).toContain(`tickets / v2 ${HOSTILE} with a rather long variant name to wrap`);
    // The drift shows: v2's pass-rate line goes down run after run (SVG y grows downwards).
    const ys = await page.evaluate(() => [...document.querySelectorAll('#pass-rate polyline.series')].map((p) => p.getAttribute('points')));
    const v2 = ys[1]!.split(' ').map((pt) => Number(pt.split(',')[1]));
    expect(v2[0]!).toBeLessThan(v2[1]!);
    expect(v2[1]!).toBeLessThan(v2[2]!);
    expect(log.errors).toEqual([]);
    expect(log.requests).toEqual([pathToFileURL(file).href]);
    await page.close();
  });

  it('at 390 px wide the page never scrolls sideways', async () => {
    const { page, log } = await open(390);
    const { scrollWidth, clientWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
    expect(log.errors).toEqual([]);
    await page.close();
  });
});
