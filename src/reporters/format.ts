import type { TokenUsage } from '../types.js';

/**
 * Number formatting shared by the terminal and Markdown reporters, so a pass rate or a cost reads
 * the same everywhere. Missing values print as `n/a`, never as a misleading 0.
 */

const NA = 'n/a';

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** 0.9123 → `91.2%` */
export function formatPercent(x: number | null | undefined, digits = 1): string {
  if (x == null || !Number.isFinite(x)) return NA;
  return `${(x * 100).toFixed(digits)}%`;
}

/** A p-value as the gate's messages print it: `0.012`, `0.0034`, `2.1e-5`. */
export function formatPValue(p: number | null | undefined): string {
  if (p == null || !Number.isFinite(p)) return NA;
  return p < 0.0001 ? p.toExponential(1) : p < 0.01 ? p.toFixed(4) : p.toFixed(3);
}

/** [0.881, 0.953] → `88.1–95.3%` */
export function formatInterval(ci: readonly [number, number] | null | undefined, digits = 1): string {
  if (!ci) return NA;
  return `${(ci[0] * 100).toFixed(digits)}–${(ci[1] * 100).toFixed(digits)}%`;
}

/** Pass rate with its interval: `91.2% (88.1–95.3%)` */
export function formatRateWithInterval(rate: number, ci: readonly [number, number] | null | undefined): string {
  return `${formatPercent(rate)} (${formatInterval(ci)})`;
}

/** A signed change in percentage points: `+3.1 pp`, `−12.0 pp`. */
export function formatPointsDelta(diff: number | null | undefined): string {
  if (diff == null || !Number.isFinite(diff)) return NA;
  const pts = diff * 100;
  const sign = pts > 0.05 ? '+' : pts < -0.05 ? '−' : '±';
  return `${sign}${Math.abs(pts).toFixed(1)} pp`;
}

/** An unsigned size in percentage points: `4.5 pp`. */
export function formatPoints(x: number | null | undefined): string {
  if (x == null || !Number.isFinite(x)) return NA;
  return `${(Math.abs(x) * 100).toFixed(1)} pp`;
}

/** USD with enough digits to tell small per-case costs apart: `$0.0012`, `$1.23`. */
export function formatUsd(x: number | null | undefined): string {
  if (x == null || !Number.isFinite(x)) return NA;
  if (x === 0) return '$0.00';
  if (Math.abs(x) < 0.0001) return '<$0.0001';
  if (Math.abs(x) < 1) return `$${x.toFixed(4)}`;
  return `$${x.toFixed(2)}`;
}

/** 340 → `340 ms`, 1234 → `1.23 s`, 95000 → `1m35s` */
export function formatMs(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return NA;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  return formatDuration(ms);
}

/** A human duration for an ETA: `45s`, `3m05s`, `1h02m`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return NA;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/**
 * Token counts as `in 1.2k / out 340`; the parts of them priced at their own rates are shown
 * only when there are some: `in 2.0k (400 cached, 1.5k cache write) / out 900 (896 reasoning)`.
 */
export function formatTokens(t: TokenUsage | null | undefined): string {
  if (!t) return NA;
  const inParts: string[] = [];
  if (t.cachedInput > 0) inParts.push(`${compact(t.cachedInput)} cached`);
  if ((t.cacheWrite ?? 0) > 0) inParts.push(`${compact(t.cacheWrite!)} cache write`);
  const inDetail = inParts.length > 0 ? ` (${inParts.join(', ')})` : '';
  const outDetail = (t.reasoning ?? 0) > 0 ? ` (${compact(t.reasoning!)} reasoning)` : '';
  return `in ${compact(t.input)}${inDetail} / out ${compact(t.output)}${outDetail}`;
}

/** 1234 → `1.2k`, 2_500_000 → `2.5M` */
export function compact(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(n < 10_000_000 ? 1 : 0)}M`;
}

export function formatScore(x: number | null | undefined): string {
  if (x == null || !Number.isFinite(x)) return NA;
  return x.toFixed(2);
}
