import { createReadStream, createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { mkdir, readFile, readlink, rename, rm, stat, symlink, writeFile, readdir } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { CaseRecord, RunReport } from '../types.js';
import { UsageError } from '../errors.js';
import { redactDeep } from '../util/secrets.js';

/**
 * The run folder: reports/<run-id>/ holding
 *   run.json       what was asked for (written at start, updated at the end)
 *   results.jsonl  one line per finished case, appended as it finishes (the source of truth)
 *   report.json    the summary and gate verdict (written at the end)
 * plus the rendered reports. `reports/latest` points at the newest run.
 */

export const RESULTS_FILE = 'results.jsonl';
export const REPORT_FILE = 'report.json';
export const RUN_META_FILE = 'run.json';
export const LATEST_LINK = 'latest';

export interface RunMeta {
  runId: string;
  createdAt: string;
  configFile: string;
  configHash: string;
  /** What the run was asked to do, so --resume repeats it exactly. */
  options: Record<string, unknown>;
  status: 'running' | RunReport['status'];
  /** For runs derived from others (rescore, merge). */
  derivedFrom?: { kind: 'rescore' | 'merge'; runs: string[] };
}

/** Sortable, unique: 20261123-101530-a1b2c3 */
export function newRunId(now = new Date()): string {
  const iso = now.toISOString(); // 2026-11-23T10:15:30.123Z
  const stamp = iso.slice(0, 10).replace(/-/g, '') + '-' + iso.slice(11, 19).replace(/:/g, '');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

export async function createRunDir(outDir: string, runId: string): Promise<string> {
  const dir = path.join(outDir, runId);
  await mkdir(dir, { recursive: true });
  return dir;
}

/** Writes a file atomically: a reader sees the old or the new content, never half. */
export async function writeFileAtomic(file: string, data: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}

export async function writeJson(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(redactDeep(value), null, 2) + '\n');
}

export async function readRunMeta(dir: string): Promise<RunMeta> {
  return JSON.parse(await readFile(path.join(dir, RUN_META_FILE), 'utf8')) as RunMeta;
}

export async function readReport(dir: string): Promise<RunReport> {
  const file = path.join(dir, REPORT_FILE);
  if (!existsSync(file)) throw new UsageError(`${dir} has no ${REPORT_FILE}: the run did not finish. Resume it with \`llm-eval run --resume ${path.basename(dir)}\`.`);
  return JSON.parse(await readFile(file, 'utf8')) as RunReport;
}

/**
 * Appends case lines to results.jsonl. Each line is one write of a whole line; the stream hands
 * it to the OS at once (no user-space batching beyond what is already queued), so a crash loses
 * at most the lines still queued, and a torn last line is skipped on read.
 */
export class ResultsWriter {
  private stream: WriteStream;
  private failed: Error | null = null;
  constructor(readonly file: string) {
    this.stream = createWriteStream(file, { flags: 'a' });
    this.stream.on('error', (err) => {
      this.failed = err;
    });
  }
  append(record: CaseRecord): void {
    if (this.failed) throw this.failed;
    this.stream.write(JSON.stringify(redactDeep(record)) + '\n');
  }
  async close(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.stream.end((err?: Error | null) => (err ? reject(err) : resolve()));
    });
    if (this.failed) throw this.failed;
  }
}

/**
 * Streams the case records of a results.jsonl. A line that does not parse (a torn last line
 * after a crash) is skipped and counted, never fatal.
 */
export async function* readCaseRecords(file: string, onBadLine?: (lineNo: number) => void): AsyncGenerator<CaseRecord> {
  if (!existsSync(file)) return;
  const rl = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of rl) {
    lineNo++;
    if (line.trim() === '') continue;
    let rec: CaseRecord;
    try {
      rec = JSON.parse(line) as CaseRecord;
    } catch {
      onBadLine?.(lineNo);
      continue;
    }
    yield rec;
  }
}

/**
 * Makes the file end on a line boundary before appending to it again (after a crash tore the
 * last line): cuts the torn tail.
 */
export async function repairTornTail(file: string): Promise<void> {
  if (!existsSync(file)) return;
  const buf = await readFile(file);
  if (buf.length === 0 || buf[buf.length - 1] === 0x0a) return;
  const lastNl = buf.lastIndexOf(0x0a);
  await writeFile(file, buf.subarray(0, lastNl + 1));
}

/** Points reports/latest at the run (a relative symlink; a text file where links are not allowed). */
export async function updateLatest(outDir: string, runId: string): Promise<void> {
  const link = path.join(outDir, LATEST_LINK);
  const tmp = `${link}.${process.pid}.tmp`;
  await rm(tmp, { force: true });
  try {
    await symlink(runId, tmp, 'dir');
  } catch {
    await writeFile(tmp, runId + '\n');
  }
  await rename(tmp, link);
}

/**
 * Finds a run folder from a run id, a folder path, or `latest`, looking in `outDir`.
 */
export async function resolveRunDir(ref: string, outDir: string): Promise<string> {
  const candidates: string[] = [];
  if (ref === 'latest') {
    const link = path.join(outDir, LATEST_LINK);
    try {
      const st = await stat(link).catch(() => null);
      if (st?.isDirectory()) candidates.push(path.join(outDir, await readlink(link).catch(async () => path.basename(link))));
      else if (st?.isFile()) candidates.push(path.join(outDir, (await readFile(link, 'utf8')).trim()));
    } catch {
      /* fall through to the newest folder */
    }
    if (candidates.length === 0) {
      const ids = (await readdir(outDir).catch(() => [] as string[])).filter((d) => existsSync(path.join(outDir, d, RUN_META_FILE))).sort();
      if (ids.length) candidates.push(path.join(outDir, ids[ids.length - 1]!));
    }
  } else {
    candidates.push(path.resolve(ref), path.join(outDir, ref));
  }
  for (const dir of candidates) {
    if (existsSync(path.join(dir, RUN_META_FILE)) || existsSync(path.join(dir, RESULTS_FILE))) return dir;
  }
  throw new UsageError(`No run found for "${ref}" (looked in ${outDir}). Pass a run id, a run folder, or \`latest\`.`);
}
