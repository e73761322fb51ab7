import { createHash } from 'node:crypto';
import { clientScript } from './client.js';
import { STYLES } from './styles.js';
import { escapeHtml } from './scriptEscape.js';

/** id of the `<script type="application/json">` block the page's script reads. */
export const DATA_ELEMENT_ID = 'llm-eval-data';

function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

export interface PageShell {
  /** Everything up to and including the opening tag of the data block. */
  before: string;
  /** Everything from the closing tag of the data block to the end of the document. */
  after: string;
}

/**
 * The HTML around the embedded data. The Content-Security-Policy allows exactly this page's own
 * script and stylesheet (by hash), images only as data: URLs and no network at all, so even a
 * bug that let data reach the HTML parser could neither run a script nor fetch anything.
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
  const before =
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">\n` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    '<meta name="referrer" content="no-referrer">\n' +
    `<title>${escapeHtml(title)}</title>\n<style>${STYLES}</style>\n</head>\n<body>\n` +
    '<noscript>This report needs JavaScript to display its results (the data is embedded in this file).</noscript>\n' +
    '<div id="app"></div>\n' +
    `<script type="application/json" id="${DATA_ELEMENT_ID}">`;
  const after = `</script>\n<script>${script}</script>\n</body>\n</html>\n`;
  return { before, after };
}
