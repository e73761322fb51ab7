import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { STYLES } from './styles.js';
import { escapeHtml } from './scriptEscape.js';
import { HEAD_ELEMENT_ID, ROWS_ELEMENT_ID } from './elementIds.js';


/**
 * The page's script, bundled from client/*.ts by scripts/build-client.mjs (`npm run build`).
 * This module sits three folders below the package root both as src/reporters/html/page.ts and
 * as dist/reporters/html/page.js, so one relative path finds the bundle from either.
 */
const CLIENT_BUNDLE = new URL('../../../dist/report-client.js', import.meta.url);

let cachedScript: string | null = null;

/** The complete inline script of report.html. */
export function clientScript(): string {
  if (cachedScript !== null) return cachedScript;
  try {
    cachedScript = readFileSync(CLIENT_BUNDLE, 'utf8');
  } catch {
    throw new Error(`report.html: the page's script ${fileURLToPath(CLIENT_BUNDLE)} is missing; run \`npm run build\` to bundle it.`);
  }
  return cachedScript;
}

function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

export interface PageShell {
  /** Everything up to and including the opening tag of the head data block. */
  start: string;
  /** From the end of the head block to the opening tag of the rows block (the page's script sits between). */
  middle: string;
  /** Everything from the closing tag of the rows block to the end of the document. */
  end: string;
}

/**
 * The HTML around the embedded data. The Content-Security-Policy allows exactly this page's own
 * script and stylesheet (by hash), images only as data: URLs and no network at all, so even a
 * bug that let data reach the HTML parser could neither run a script nor fetch anything.
 *
 * Order: the small head block, then the script (it draws the verdict and the tables at once),
 * then the large rows block, which the script reads once the parser has reached the end.
 */
export function pageShell(title: string): PageShell {
  const script = clientScript();
  if (/<\/script|<!--/i.test(script) || /<\/style/i.test(STYLES)) {
    throw new Error('report.html: the inline script or stylesheet contains a sequence that would end its element');
  }
  const csp = [
    "default-src 'none'",
    `script-src ${cspHash(script)}`,
    `style-src ${cspHash(STYLES)}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const start =
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">\n` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    '<meta name="referrer" content="no-referrer">\n' +
    `<title>${escapeHtml(title)}</title>\n<style>${STYLES}</style>\n</head>\n<body>\n` +
    '<noscript>This report needs JavaScript to display its results (the data is embedded in this file).</noscript>\n' +
    '<div id="app"></div>\n' +
    `<script type="application/json" id="${HEAD_ELEMENT_ID}">`;
  const middle = `</script>\n<script>${script}</script>\n<script type="application/json" id="${ROWS_ELEMENT_ID}">`;
  const end = '</script>\n</body>\n</html>\n';
  return { start, middle, end };
}
