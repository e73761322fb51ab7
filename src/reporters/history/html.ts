import { createHash } from 'node:crypto';
import { escapeHtml } from '../html/scriptEscape.js';
import { formatCount } from '../format.js';
import { escapeControlChars } from '../../util/controlChars.js';
import type { HistorySeries, RunHistory } from './collect.js';
import { HISTORY_METRICS, type HistoryMetric } from './metrics.js';

export const HISTORY_REPORT_FILE = 'history.html';

/** Distinct on white, and for the common colour blindnesses (Okabe–Ito). */
const PALETTE = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000', '#f0e442'];

const W = 640;
const H = 220;
const PAD = { left: 64, right: 16, top: 12, bottom: 28 };

const STYLES = `
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,sans-serif;margin:0;padding:16px;color:#1b1f24;background:#fff;max-width:960px}
h1{font-size:1.3em;margin:0 0 4px}
h2{font-size:1.1em;margin:20px 0 6px}
p{margin:4px 0}
.muted{color:#57606a}
svg.chart{width:100%;height:auto;display:block;border:1px solid #d0d7de;border-radius:6px;background:#fff}
svg.chart text{font-size:11px;fill:#57606a}
ul.legend{list-style:none;padding:0;margin:6px 0;display:flex;flex-wrap:wrap;gap:4px 16px}
ul.legend li{display:flex;align-items:center;gap:6px;overflow-wrap:anywhere}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;font-size:13px}
th,td{border-bottom:1px solid #d0d7de;padding:4px 8px;text-align:left;white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
`;

const text = (s: string): string => escapeHtml(escapeControlChars(s));
const round = (x: number): string => String(Math.round(x * 10) / 10);

/** One metric's chart: a polyline per suite × variant over the runs (x = run, oldest left), a dot per point with its reading as a tooltip. */
function chart(metric: HistoryMetric, history: RunHistory): string {
  const runIndex = new Map(history.runs.map((r, i) => [r.runId, i]));
  const values = history.series.flatMap((s) => s.points.map((p) => metric.value(p))).filter((v): v is number => v !== null);
  let lo = values.length ? values.reduce((a, b) => Math.min(a, b)) : 0;
  let hi = values.length ? values.reduce((a, b) => Math.max(a, b)) : 1;
  if (metric.id === 'pass-rate') {
    lo = Math.min(lo, 0);
    hi = Math.max(hi, 1);
  }
  if (hi === lo) hi = lo + 1;
  const lastRun = Math.max(1, history.runs.length - 1);
  const x = (i: number): number => PAD.left + (history.runs.length === 1 ? (W - PAD.left - PAD.right) / 2 : (i / lastRun) * (W - PAD.left - PAD.right));
  const y = (v: number): number => PAD.top + (1 - (v - lo) / (hi - lo)) * (H - PAD.top - PAD.bottom);
  const parts: string[] = [];
  parts.push(`<line x1="${PAD.left}" y1="${H - PAD.bottom}" x2="${W - PAD.right}" y2="${H - PAD.bottom}" stroke="#d0d7de"/>`);
  parts.push(`<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${H - PAD.bottom}" stroke="#d0d7de"/>`);
  parts.push(`<text x="${PAD.left - 6}" y="${round(y(hi) + 4)}" text-anchor="end">${text(metric.format(hi))}</text>`);
  parts.push(`<text x="${PAD.left - 6}" y="${round(y(lo) + 4)}" text-anchor="end">${text(metric.format(lo))}</text>`);
  parts.push(`<text x="${PAD.left}" y="${H - 8}">run 1</text>`);
  if (history.runs.length > 1) parts.push(`<text x="${W - PAD.right}" y="${H - 8}" text-anchor="end">run ${history.runs.length}</text>`);
  history.series.forEach((s, k) => {
    const colour = PALETTE[k % PALETTE.length]!;
    const pts = s.points.map((p) => ({ p, i: runIndex.get(p.runId) ?? 0, v: metric.value(p) })).filter((q): q is { p: (typeof s.points)[number]; i: number; v: number } => q.v !== null);
    const label = `${s.suite} / ${s.variant}`;
    if (pts.length > 1) parts.push(`<polyline class="series" data-series="${text(label)}" fill="none" stroke="${colour}" stroke-width="2" points="${pts.map((q) => `${round(x(q.i))},${round(y(q.v))}`).join(' ')}"/>`);
    for (const q of pts) {
      parts.push(`<circle class="point" data-series="${text(label)}" cx="${round(x(q.i))}" cy="${round(y(q.v))}" r="3.5" fill="${colour}"><title>${text(`${label} · ${q.p.runId}: ${metric.format(q.v)}`)}</title></circle>`);
    }
  });
  return `<section id="${metric.id}"><h2>${text(metric.title)}</h2><svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${text(`${metric.title} per suite and variant across runs`)}">${parts.join('')}</svg></section>`;
}

function legend(series: HistorySeries[]): string {
  const items = series.map((s, k) => `<li><svg width="14" height="14" aria-hidden="true"><rect width="14" height="14" rx="3" fill="${PALETTE[k % PALETTE.length]!}"/></svg>${text(`${s.suite} / ${s.variant}`)}</li>`);
  return `<ul class="legend">${items.join('')}</ul>`;
}

function table(history: RunHistory): string {
  const head = ['Run', 'Created', 'Suite / variant', 'Records', ...HISTORY_METRICS.map((m) => m.title)];
  const rows: string[] = [];
  for (const s of history.series) {
    for (const p of s.points) {
      const cells = [text(p.runId), text(p.createdAt), text(`${s.suite} / ${s.variant}`)].map((c) => `<td>${c}</td>`);
      cells.push(`<td class="num">${text(formatCount(p.records))}</td>`);
      for (const m of HISTORY_METRICS) cells.push(`<td class="num">${text(m.format(m.value(p)))}</td>`);
      rows.push(`<tr>${cells.join('')}</tr>`);
    }
  }
  return `<div class="scroll"><table id="history-table"><thead><tr>${head.map((h, i) => `<th${i >= 3 ? ' class="num"' : ''}>${text(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

/**
 * history.html: the charts drawn here as inline SVG (no script at all), with a strict
 * Content-Security-Policy that allows only its own stylesheet (by hash) and no network.
 */
export function renderHistoryHtml(history: RunHistory): string {
  const csp = ["default-src 'none'", `style-src 'sha256-${createHash('sha256').update(STYLES, 'utf8').digest('base64')}'`, "base-uri 'none'", "form-action 'none'"].join('; ');
  const n = history.runs.length;
  const body = n
    ? [
        `<p class="muted">${formatCount(n)} run${n === 1 ? '' : 's'}, oldest first (${text(history.runs[0]!.runId)} … ${text(history.runs.at(-1)!.runId)}). One line per suite × variant; hover a dot for its run and value. Pass rate counts records (a case run once under one variant and repeat); cost is the candidates' spend.</p>`,
        legend(history.series),
        ...HISTORY_METRICS.map((m) => chart(m, history)),
        '<h2>Runs</h2>',
        table(history),
      ].join('\n')
    : '<p>No finished runs with report.json in this folder.</p>';
  return (
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">\n` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="referrer" content="no-referrer">\n' +
    `<title>llm-eval run history</title>\n<style>${STYLES}</style>\n</head>\n<body>\n<h1>llm-eval run history</h1>\n${body}\n</body>\n</html>\n`
  );
}
