import path from 'node:path';
import type { RunReport, RunStatus } from '../types.js';
import { acquireRunLock, type RunLock } from '../results/runLock.js';
import {
  REPORT_FILE,
  RESULTS_FILE,
  RUN_META_FILE,
  ResultsWriter,
  checkLatest,
  createRunDir,
  newRunId,
  updateLatest,
  writeJson,
  type RunMeta,
} from '../results/store.js';
import { renderStoredRun } from '../reporters/render.js';
import type { Reporter, ReportFormat } from '../reporters/types.js';

/**
 * The life of one run folder, the same for `run`, `rescore` and `merge` (and any later producer
 * of runs): open (create or continue the folder, optionally lock it, run.json "running", optionally
 * point `latest` at it at once), append case records through one writer, then finish (report.json,
 * run.json with the final status, the rendered reports, `latest`). Nothing here decides a verdict:
 * the caller passes the finished report.
 */

/** run.json without what the folder itself sets (id, creation time, status). */
export type RunFolderMeta = Omit<RunMeta, 'runId' | 'createdAt' | 'status'>;

export interface OpenRunFolderOptions {
  /** The reports folder the run folder lives in. */
  outDir: string;
  meta: RunFolderMeta;
  /** The run's id and creation time; default a new id, now. A resume passes the stored ones. */
  runId?: string;
  createdAt?: string;
  /** An existing run folder to continue (resume); default `outDir/runId`, created. */
  dir?: string;
  /** Take the run folder's lock (one process per folder, refused with exit 2 otherwise). */
  lock?: boolean;
  /**
   * When `latest` names this run: `start` (from the moment it opens, so `--resume latest` after a
   * crash continues it) and again at the finish; `finish` only; `never`. Default `finish`.
   */
  latest?: 'start' | 'finish' | 'never';
}

export interface FinishOptions {
  report: RunReport;
  status: RunStatus;
  /** Report files to render besides report.json; none when omitted. */
  formats?: ReportFormat[];
  /** Reporters whose `onRunEnd` sees the stored run (the terminal, a caller's own). */
  reporters?: Reporter[];
  /** With it, a failing reporter becomes a warning instead of an error. */
  warn?: (message: string) => void;
  /**
   * The caller appended every line of results.jsonl through this folder's writer, each case once
   * (a fresh run, a rescore): the reports read it in one pass, without the newest-record passes.
   */
  eachCaseOnce?: boolean;
}

export interface RunFolder {
  readonly runId: string;
  readonly dir: string;
  readonly createdAt: string;
  readonly resultsFile: string;
  /** The appending writer of results.jsonl (one per folder; `close` it before `finish`). */
  writer(): ResultsWriter;
  /** report.json, run.json with its final status, the rendered reports, then `latest`. */
  finish(opts: FinishOptions): Promise<void>;
  /** Releases the lock, if taken; safe to call more than once, and without a lock. */
  release(): Promise<void>;
}

/**
 * Creates (or continues) a run folder and marks it running. Checks `latest` first, so a copied
 * `latest` folder is refused before anything is written.
 */
export async function openRunFolder(opts: OpenRunFolderOptions): Promise<RunFolder> {
  const runId = opts.runId ?? newRunId();
  const createdAt = opts.createdAt ?? new Date().toISOString();
  const latest = opts.latest ?? 'finish';
  if (latest !== 'never') await checkLatest(opts.outDir);
  const dir = opts.dir ?? (await createRunDir(opts.outDir, runId));
  let lock: RunLock | undefined = opts.lock ? await acquireRunLock(dir) : undefined;
  const release = async (): Promise<void> => {
    const held = lock;
    lock = undefined;
    await held?.release();
  };
  const meta: RunMeta = { runId, createdAt, ...opts.meta, status: 'running' };
  try {
    await writeJson(path.join(dir, RUN_META_FILE), meta);
    if (latest === 'start') await updateLatest(opts.outDir, runId);
  } catch (err) {
    await release();
    throw err;
  }
  const resultsFile = path.join(dir, RESULTS_FILE);
  let writer: ResultsWriter | undefined;
  return {
    runId,
    dir,
    createdAt,
    resultsFile,
    writer: () => (writer ??= new ResultsWriter(resultsFile)),
    async finish(f: FinishOptions): Promise<void> {
      await writeJson(path.join(dir, REPORT_FILE), f.report);
      await writeJson(path.join(dir, RUN_META_FILE), { ...meta, status: f.status });
      if (f.formats?.length || f.reporters?.length) await renderStoredRun(dir, f.report, f.formats ?? [], f.reporters ?? [], f.warn, { eachCaseOnce: f.eachCaseOnce });
      if (latest !== 'never') await updateLatest(opts.outDir, runId);
    },
    release,
  };
}
