import { readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { RunReport } from '../../types.js';
import { LATEST_LINK, readReport, REPORT_FILE } from '../../results/store.js';

/**
 * The run history of a reports folder: every finished run's report.json, oldest first, as one
 * series of points per suite × variant (pass rate, candidate cost, p50 latency), so a drift
 * across runs shows as a line.
 */

export interface HistoryPoint {
  runId: string;
  createdAt: string;
  /** Records of this suite × variant in the run. */
  records: number;
  passRate: number | null;
  costUsd: number | null;
  p50Ms: number | null;
}

export interface HistorySeries {
  suite: string;
  variant: string;
  /** One per run that had this suite × variant, oldest first. */
  points: HistoryPoint[];
}

export interface RunHistory {
  /** Run ids, oldest first. */
  runs: Array<{ runId: string; createdAt: string }>;
  series: HistorySeries[];
  /** Folders that look like runs but whose report.json could not be read. */
  skipped: Array<{ dir: string; reason: string }>;
}

/** Builds the history from reports already read. */
export function historyOf(reports: readonly RunReport[]): Omit<RunHistory, 'skipped'> {
  const sorted = [...reports].sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.runId < b.runId ? -1 : 1));
  const byKey = new Map<string, HistorySeries>();
  for (const r of sorted) {
    for (const s of r.suites) {
      for (const v of s.variants) {
        const key = `${s.name}\u0000${v.name}`;
        let series = byKey.get(key);
        if (!series) byKey.set(key, (series = { suite: s.name, variant: v.name, points: [] }));
        series.points.push({
          runId: r.runId,
          createdAt: r.createdAt,
          records: v.cases,
          passRate: v.cases > 0 ? v.passRate : null,
          costUsd: v.costUsd ?? null,
          p50Ms: v.latencyMs?.p50 ?? null,
        });
      }
    }
  }
  return { runs: sorted.map((r) => ({ runId: r.runId, createdAt: r.createdAt })), series: [...byKey.values()] };
}

/** Reads every run folder of `outDir` that has a report.json (the `latest` link is the newest run again: skipped). */
export async function collectHistory(outDir: string): Promise<RunHistory> {
  const names = (await readdir(outDir, { withFileTypes: true }).catch(() => [])).filter((d) => d.isDirectory() && d.name !== LATEST_LINK).map((d) => d.name);
  const reports: RunReport[] = [];
  const skipped: RunHistory['skipped'] = [];
  const seen = new Set<string>();
  for (const name of names.sort()) {
    const dir = path.join(outDir, name);
    if (!existsSync(path.join(dir, REPORT_FILE))) continue;
    try {
      const report = await readReport(dir);
      if (seen.has(report.runId)) continue;
      seen.add(report.runId);
      reports.push(report);
    } catch (err) {
      skipped.push({ dir, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  return { ...historyOf(reports), skipped };
}
