import { formatMs, formatPercent, formatUsd } from '../format.js';
import type { HistoryPoint } from './collect.js';

/** The three lines drawn per suite × variant, each with its reading and its formatter. */
export interface HistoryMetric {
  id: 'pass-rate' | 'cost' | 'latency';
  title: string;
  value(p: HistoryPoint): number | null;
  format(x: number | null): string;
}

export const HISTORY_METRICS: readonly HistoryMetric[] = [
  { id: 'pass-rate', title: 'Pass rate', value: (p) => p.passRate, format: (x) => formatPercent(x) },
  { id: 'cost', title: 'Cost', value: (p) => p.costUsd, format: (x) => formatUsd(x) },
  { id: 'latency', title: 'Latency p50', value: (p) => p.p50Ms, format: (x) => formatMs(x) },
];
