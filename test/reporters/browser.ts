import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium (apt-get install chromium); playwright never downloads a browser here. */
export const CHROMIUM = process.env.LLM_EVAL_CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** What a page did while it loaded: console errors, uncaught exceptions, and every request URL. */
export interface PageLog {
  errors: string[];
  requests: string[];
}

/** Opens a report from disk (at `url` when given, e.g. with a `#case=` fragment) and waits until its script has built the page. */
export async function openReport(browser: Browser, file: string, url = pathToFileURL(file).href, initScript?: string): Promise<{ page: Page; log: PageLog; loadMs: number }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  // Runs in the page before any of its own scripts.
  if (initScript) await page.addInitScript(initScript);
  const log: PageLog = { errors: [], requests: [] };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') log.errors.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => log.errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => log.requests.push(r.url()));
  const start = Date.now();
  await page.goto(url);
  await page.waitForSelector('html[data-ready="1"]', { timeout: 15_000 });
  return { page, log, loadMs: Date.now() - start };
}
