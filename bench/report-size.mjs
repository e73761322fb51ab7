#!/usr/bin/env node
// Report size and speed at scale: generates runs of 10,000 and 100,000 cases (two variants each),
// renders report.html, junit.xml and report.json from them as the runner does, and prints the
// time, file sizes, the report.html / results.jsonl ratio and, when Debian's chromium is present,
// the time to first paint of report.html opened from disk.
//
//   npm run build && node bench/report-size.mjs [cases...]      (default: 10000 100000)
//   LLM_EVAL_DIST=/tmp/dist node bench/report-size.mjs 10000      (a build elsewhere)
//   OUTPUT_WORDS=250 node bench/report-size.mjs 10000              (1–2 KB outputs; default 40 words)
//
// In the browser it reads the page's own marks: `llm-eval:head` (verdict, baseline table and
// matrices drawn, before the rows are parsed) and `llm-eval:ready` (case list usable), and times
// a page turn (a click on "Next", rendered synchronously) with performance.now().
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { writeFixtureRun } from '../test/reporters/fixtureRun.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(process.env.LLM_EVAL_DIST ?? path.join(here, '..', 'dist'));
if (!existsSync(path.join(dist, 'reporters', 'index.js'))) {
  console.error(`No build at ${dist}: run \`npm run build\` first (or set LLM_EVAL_DIST).`);
  process.exit(2);
}
const { createFileReporters, openStoredRun } = await import(pathToFileURL(path.join(dist, 'reporters', 'index.js')).href);
const { decideVerdict } = await import(pathToFileURL(path.join(dist, 'gate', 'decide.js')).href);

const CHROMIUM = process.env.LLM_EVAL_CHROMIUM ?? '/usr/bin/chromium';
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const caseCounts = sizes.length ? sizes : [10_000, 100_000];

const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
const ms = (t) => `${Math.round(t)} ms`;

async function firstPaint(file) {
  if (!existsSync(CHROMIUM)) return `skipped (${CHROMIUM} absent)`;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const start = performance.now();
    await page.goto(pathToFileURL(file).href, { timeout: 120_000 });
    await page.waitForSelector('html[data-ready="1"]', { timeout: 120_000 });
    const ready = performance.now() - start;
    const paint = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType('paint').map((p) => [p.name, Math.round(p.startTime)])));
    const marks = await page.evaluate(() => ({ head: performance.getEntriesByName('llm-eval:head')[0]?.startTime, ready: performance.getEntriesByName('llm-eval:ready')[0]?.startTime }));
    const turn = await page.evaluate(() => {
      const t0 = performance.now();
      document.querySelector('#cases-body .pager .next').click();
      return performance.now() - t0;
    });
    const t0 = performance.now();
    await page.fill('#f-search', 'tickets-000777');
    await page.waitForFunction(() => document.querySelectorAll('#cases-body li.case').length === 1, null, { timeout: 60_000 });
    const search = performance.now() - t0;
    return (
      `first contentful paint ${paint['first-contentful-paint'] ?? '?'} ms, verdict and tables drawn at ${ms(marks.head)}, case list ready at ${ms(marks.ready)} ` +
      `(page ready ${ms(ready)} as seen from Node), page turn ${turn.toFixed(1)} ms, a search over all cases ${ms(search)} (incl. 120 ms debounce)`
    );
  } finally {
    await browser.close();
  }
}

const root = await mkdtemp(path.join(tmpdir(), 'llm-eval-bench-report-'));
try {
  for (const cases of caseCounts) {
    const dir = path.join(root, `run-${cases}`);
    let t = performance.now();
    const outputWords = Number(process.env.OUTPUT_WORDS ?? 40);
    const { records } = await writeFixtureRun(dir, { cases, repeats: 1, runId: `bench-${cases}`, outputWords, decideVerdict });
    const generated = performance.now() - t;
    const run = await openStoredRun(dir);
    const timings = {};
    for (const format of ['json', 'junit', 'html']) {
      const [reporter] = createFileReporters([format]);
      t = performance.now();
      await reporter.onRunEnd(run, run.report.gate);
      timings[format] = performance.now() - t;
    }
    const size = async (f) => (await stat(path.join(dir, f))).size;
    const jsonl = await size('results.jsonl');
    const html = await size('report.html');
    console.log(`\n${cases.toLocaleString('en-US')} cases × 2 variants = ${records.toLocaleString('en-US')} case records, ${outputWords}-word outputs (generated in ${ms(generated)})`);
    console.log(`  results.jsonl ${mb(jsonl)}`);
    console.log(`  report.html   ${mb(html)}  rendered in ${ms(timings.html)}  ratio to results.jsonl ${(html / jsonl).toFixed(2)}×`);
    console.log(`  junit.xml     ${mb(await size('junit.xml'))}  rendered in ${ms(timings.junit)}`);
    console.log(`  report.json   ${mb(await size('report.json'))}  rendered in ${ms(timings.json)}`);
    console.log(`  browser: ${await firstPaint(path.join(dir, 'report.html'))}`);
    await rm(dir, { recursive: true, force: true });
  }
  console.log(`\npeak RSS of this process: ${mb(process.resourceUsage().maxRSS * 1024)}`);
} finally {
  await rm(root, { recursive: true, force: true });
}
