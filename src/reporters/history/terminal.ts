import { formatCount } from '../format.js';
import { escapeControlChars as safe } from '../../util/controlChars.js';
import { maxOf } from '../../util/arrays.js';
import { cutToWidth, displayWidth } from '../console/width.js';
import type { RunHistory } from './collect.js';
import { HISTORY_METRICS } from './metrics.js';

const BARS = '▁▂▃▄▅▆▇█';
/** The trend shows the newest runs only: one character each. */
const TREND_POINTS = 16;

/** One bar per value from ▁ (the smallest shown) to █ (the largest); a missing value is a space. */
export function sparkline(values: ReadonlyArray<number | null>): string {
  const known = values.filter((v): v is number => v !== null);
  const lo = known.length ? known.reduce((a, b) => Math.min(a, b)) : 0;
  const hi = known.length ? known.reduce((a, b) => Math.max(a, b)) : 0;
  return values
    .map((v) => {
      if (v === null) return ' ';
      if (hi === lo) return BARS[3]!;
      return BARS[Math.round(((v - lo) / (hi - lo)) * (BARS.length - 1))]!;
    })
    .join('');
}

const pad = (text: string, width: number): string => text + ' '.repeat(Math.max(0, width - displayWidth(text)));

/**
 * The history as a terminal table, one block per suite × variant and a line per metric: the trend
 * over the newest runs, the first and the last value. At most `width` columns: names are cut.
 */
export function renderHistoryTable(history: RunHistory, width: number): string {
  const lines: string[] = [];
  lines.push(`Run history: ${formatCount(history.runs.length)} run${history.runs.length === 1 ? '' : 's'}${history.runs.length ? ` (${safe(history.runs[0]!.runId)} … ${safe(history.runs.at(-1)!.runId)})` : ''}`);
  if (!history.series.length) return [...lines, 'No finished runs with report.json in this folder.'].join('\n');
  const rows: string[][] = [];
  for (const s of history.series) {
    const name = safe(`${s.suite} / ${s.variant}`);
    for (const [i, m] of HISTORY_METRICS.entries()) {
      const values = s.points.map((p) => m.value(p));
      rows.push([i === 0 ? name : '', m.title, sparkline(values.slice(-TREND_POINTS)), m.format(values[0] ?? null), m.format(values.at(-1) ?? null), i === 0 ? formatCount(s.points.length) : '']);
    }
  }
  const head = ['Suite / variant', 'Metric', 'Trend', 'First', 'Last', 'Runs'];
  const widths = head.map((h, c) => maxOf([displayWidth(h), ...rows.map((r) => displayWidth(r[c]!))], 0));
  const gap = 2;
  const others = widths.slice(1).reduce((a, b) => a + b + gap, 0);
  widths[0] = Math.max(8, Math.min(widths[0]!, width - others));
  const line = (cells: string[]): string => cells.map((cell, c) => (c === 0 ? pad(cutToWidth(cell, widths[0]!), widths[0]!) : pad(cell, widths[c]!))).join(' '.repeat(gap)).trimEnd();
  lines.push(line(head));
  for (const r of rows) lines.push(line(r));
  return lines.map((l) => (displayWidth(l) > width ? cutToWidth(l, width) : l)).join('\n');
}
