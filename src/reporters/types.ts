import type { CaseRecord, EvalCase, GateVerdict, RunReport } from '../types.js';

/** What a reporter learns when a run starts. */
export interface RunStartInfo {
  runId: string;
  runDir: string;
  /** Total case records planned (rows × variants × repeats, after filters and shards). */
  totalCases: number;
  /** Cases already finished in a resumed run. */
  resumedCases: number;
  suites: Array<{ name: string; variants: string[]; rows: number; repeat: number }>;
}

/** A finished run as stored on disk: the summary, and the case lines streamed from results.jsonl. */
export interface StoredRun {
  dir: string;
  report: RunReport;
  /** Streams results.jsonl (never holds all cases in memory). */
  cases(): AsyncIterable<CaseRecord>;
}

/**
 * A reporter: optional lifecycle hooks, as in Vitest. Hooks may be async; one that throws or
 * rejects becomes a run warning and never stops the run (reporters/hub.ts). Live reporters (console) use the
 * per-case hooks; file reporters (json, html, junit, markdown) render a StoredRun at the end,
 * so `llm-eval report RUN` re-renders with the same code.
 */
export interface Reporter {
  name: string;
  onRunStart?(info: RunStartInfo): void | Promise<void>;
  onCaseStart?(c: EvalCase): void | Promise<void>;
  onCaseResult?(record: CaseRecord): void | Promise<void>;
  onWarning?(message: string): void | Promise<void>;
  onRunEnd?(run: StoredRun, verdict: GateVerdict): void | Promise<void>;
}

/** File formats `--format` accepts. */
export const REPORT_FORMATS = ['html', 'json', 'junit', 'md'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
