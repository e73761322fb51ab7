import { closeSync, createReadStream, existsSync, openSync, writeSync } from 'node:fs';
import { lstat, mkdir, readFile, readlink, rename, rm, stat, symlink, writeFile, readdir } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { CaseRecord, RunReport, VariantFingerprint } from '../types.js';
import { LlmEvalError, UsageError } from '../errors.js';
import { jsonHoldsSecret, redactDeep } from '../util/secrets.js';
import { caseKey } from '../plan/caseKey.js';
import { ConfigError } from '../errors.js';
import { caseRecordProblem, migrateRecord, namesACase, recordLine, reportProblem, migrateReport } from './recordFormat.js';

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
  /** Per `suite/variant`: prompt, graders, judge models, model and params the run measures with (a resume checks them). */
  fingerprints?: Record<string, VariantFingerprint>;
  /** For runs derived from others (rescore, merge). */
  derivedFrom?: { kind: 'rescore' | 'merge'; runs: string[] };
}

/** Sortable to the millisecond, unique: 20261123-101530-07ba1b2c3 (10:15:30.123 UTC, then 6 random hex digits) */
export function newRunId(now = new Date()): string {
  const iso = now.toISOString(); // 2026-11-23T10:15:30.123Z
  const stamp = iso.slice(0, 10).replace(/-/g, '') + '-' + iso.slice(11, 19).replace(/:/g, '');
  // The milliseconds (3 hex digits) before the random part: runs started within the same second
  // (watch mode, scripted runs) still sort in the order they started, and `latest`'s fallback and
  // `report --history` sort by id.
  const ms = now.getUTCMilliseconds().toString(16).padStart(3, '0');
  return `${stamp}-${ms}${randomBytes(3).toString('hex')}`;
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

/** A run's run.json; a missing or damaged one is a user-facing error naming the file, not a crash. */
export async function readRunMeta(dir: string): Promise<RunMeta> {
  const file = path.join(dir, RUN_META_FILE);
  let meta: unknown;
  try {
    meta = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'it is missing' : `it cannot be read (${(err as Error).message})`;
    throw new UsageError(`${dir} is not a run llm-eval can continue: ${file} ${why}. Start a new run instead.`);
  }
  const m = meta as Partial<RunMeta> | null;
  if (!m || typeof m !== 'object' || typeof m.runId !== 'string' || typeof m.createdAt !== 'string' || !m.options || typeof m.options !== 'object') {
    throw new UsageError(`${dir} is not a run llm-eval can continue: ${file} lacks runId, createdAt or options. Start a new run instead.`);
  }
  return m as RunMeta;
}

export async function readReport(dir: string): Promise<RunReport> {
  const file = path.join(dir, REPORT_FILE);
  if (!existsSync(file)) throw new UsageError(`${dir} has no ${REPORT_FILE}: the run did not finish. Resume it with \`llm-eval run --resume ${path.basename(dir)}\`.`);
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`${file} is not valid JSON (${err instanceof Error ? err.message.replace(/,\s*"[\s\S]*$/, '') : String(err)}): it was edited or cut short; re-create it with \`llm-eval rescore ${path.basename(dir)}\`.`);
  }
  return checkedReport(value, file);
}

/** A parsed report.json checked and migrated to the current format; a clear error naming the file otherwise. */
export function checkedReport(value: unknown, file: string): RunReport {
  const problem = reportProblem(value);
  if (problem) throw new UsageError(`${file} is not an llm-eval report: ${problem} (was it edited?); re-create it with \`llm-eval rescore ${path.basename(path.dirname(file))}\`.`);
  return migrateReport(value as Record<string, unknown>);
}

/**
 * Appends case lines to results.jsonl. Each line is written whole by a synchronous write to a
 * file opened for appending, before `append` returns: a case the runner recorded is on disk
 * even if the process dies in the next instant (kill -9, or the second Ctrl-C's immediate exit),
 * which a stream's user-space queue would not guarantee. One small write per finished case
 * costs microseconds next to a model call. A torn last line (the OS died mid-write, a full disk)
 * is skipped on read and cut by `repairTornTail` before a resume appends again.
 */
export class ResultsWriter {
  private fd: number | null;
  constructor(readonly file: string) {
    try {
      this.fd = openSync(file, 'a');
    } catch (err) {
      throw resultsWriteError(file, err);
    }
  }
  /** Writes the record and returns it as stored (a copy with secrets masked, when it held any). */
  append(record: CaseRecord): CaseRecord {
    if (this.fd === null) throw new Error(`ResultsWriter for ${this.file} is closed`);
    // The line is searched for secrets (cheaper than walking the record); one that holds any is
    // masked value by value (redactDeep copies the record) and serialized again.
    let stored = record;
    let line = recordLine(record);
    if (jsonHoldsSecret(line)) line = recordLine((stored = redactDeep(record)));
    const data = Buffer.from(line + '\n', 'utf8');
    try {
      for (let written = 0; written < data.length; ) written += writeSync(this.fd, data, written);
    } catch (err) {
      throw resultsWriteError(this.file, err);
    }
    return stored;
  }
  async close(): Promise<void> {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    closeSync(fd);
  }
}

function resultsWriteError(file: string, err: unknown): LlmEvalError {
  const why = err instanceof Error ? err.message : String(err);
  return new LlmEvalError('RESULTS_WRITE', `Cannot write ${file}: ${why}. Finished cases up to here are kept; free the space or fix the folder, then resume.`, 3);
}

/**
 * Streams the case records of a results.jsonl: the newest record of each case (suite, variant,
 * case id, repeat) only, in file order. A resume appends a case again when it retries it (its
 * earlier record was a transient failure), and every summary, report and comparison must count
 * that case once, as it ended. A line that does not parse (a torn last line after a crash) or
 * names no case (another tool's output) is skipped and counted, never fatal. A line that names a
 * case but is not a whole record of a version this llm-eval reads (results/recordFormat.ts) is a
 * ConfigError naming file and line (exit 2), raised by the first pass, before anything is yielded.
 *
 * Passes over the file (`newestIndex`, unless `index` is given): the first checks every record
 * and keeps a 52-bit hash of each case key (a number, not the key: a million cases fit in tens of
 * MB); only when a hash repeats (a retried case, or a hash collision, about 1 in 10^4 runs of a
 * million cases) does a second pass find the last line of those keys exactly; the last pass
 * yields the records, migrated to the current version in memory.
 */
export async function* readCaseRecords(file: string, onBadLine?: (lineNo: number) => void, index?: NewestIndex): AsyncGenerator<CaseRecord> {
  const { repeated, last } = index ?? (await newestIndex(file));
  for await (const { lineNo, rec } of readCaseLines(file)) {
    if (!rec) {
      onBadLine?.(lineNo);
      continue;
    }
    if (repeated.size === 0) {
      yield migrateRecord(rec);
      continue;
    }
    const key = recordKey(rec);
    if (!repeated.has(keyHash(key)) || last.get(key) === lineNo) yield migrateRecord(rec);
  }
}

/** Which lines of a results.jsonl are the newest record of their case (see readCaseRecords). */
export interface NewestIndex {
  /** Hashes of case keys met more than once. */
  repeated: Set<number>;
  /** For those keys: the line of the newest record. */
  last: Map<string, number>;
}

/**
 * The index of a results.jsonl whose writer appended each case once and wrote every line itself
 * (a fresh run, a rescore): every line is its case's newest, and every record is whole.
 */
export function eachCaseOnce(): NewestIndex {
  return { repeated: new Set(), last: new Map() };
}

/** The first passes of `readCaseRecords`: every record checked, and the newest line of each case written more than once. */
export async function newestIndex(file: string): Promise<NewestIndex> {
  const seen = new Set<number>();
  const repeated = new Set<number>();
  for await (const { lineNo, rec } of readCaseLines(file)) {
    if (!rec) continue;
    const problem = caseRecordProblem(rec);
    if (problem) throw damagedRecord(file, lineNo, problem);
    const h = keyHash(recordKey(rec));
    if (seen.has(h)) repeated.add(h);
    else seen.add(h);
  }
  seen.clear();
  const last = new Map<string, number>();
  if (repeated.size) {
    for await (const { lineNo, rec } of readCaseLines(file)) {
      if (rec && repeated.has(keyHash(recordKey(rec)))) last.set(recordKey(rec), lineNo);
    }
  }
  return { repeated, last };
}

/**
 * `readCaseRecords` for a file read several times (each report writer streams it): the newest-
 * record passes run once, on the first read, and every later read is a single pass.
 */
export function caseRecordsReader(file: string, onBadLine?: (lineNo: number) => void, known?: NewestIndex): () => AsyncGenerator<CaseRecord> {
  let index: Promise<NewestIndex> | undefined = known && Promise.resolve(known);
  return async function* cases() {
    index ??= newestIndex(file);
    yield* readCaseRecords(file, onBadLine, await index);
  };
}

function damagedRecord(file: string, lineNo: number, problem: string): ConfigError {
  const fix = problem.includes('newer llm-eval') ? '' : '; restore the line, or delete it (a resume then runs that case again)';
  return ConfigError.at(file, lineNo, `not a case record llm-eval can read: ${problem}${fix}`);
}

/** 52 bits of two FNV-1a hashes of a case key, as one exact JS number. */
function keyHash(key: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ key.length;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0) * 0x100000 + ((b >>> 0) & 0xfffff);
}

function recordKey(r: Pick<CaseRecord, 'suite' | 'variant' | 'caseId' | 'repeat'>): string {
  return caseKey(r.suite, r.variant, r.caseId, r.repeat);
}

type NamedLine = Pick<CaseRecord, 'suite' | 'variant' | 'caseId' | 'repeat'> & Record<string, unknown>;

/** Every line of a results.jsonl with its number; `rec` is null for a line that is not a case. */
async function* readCaseLines(file: string): AsyncGenerator<{ lineNo: number; rec: NamedLine | null }> {
  if (!existsSync(file)) return;
  const rl = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of rl) {
    lineNo++;
    if (line.trim() === '') continue;
    let rec: unknown;
    try {
      rec = JSON.parse(line);
    } catch {
      yield { lineNo, rec: null };
      continue;
    }
    // A line that parses but names no case (another tool's output) is skipped too.
    yield { lineNo, rec: namesACase(rec) ? (rec as NamedLine) : null };
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
  await checkLatest(outDir);
  const tmp = `${link}.${process.pid}.tmp`;
  await rm(tmp, { force: true });
  try {
    try {
      await symlink(runId, tmp, 'dir');
    } catch {
      await writeFile(tmp, runId + '\n');
    }
    await rename(tmp, link);
  } finally {
    await rm(tmp, { force: true });
  }
}

/**
 * `latest` that is a real folder, not the link: a CI artifact round trip copies the run it
 * pointed at. When that copy's run folder is not beside it, the copy becomes that folder (nothing
 * lost, and `latest` can be a link again); otherwise it is not ours to delete: exit 2. Called
 * before a run folder is made too, so that a run refused here leaves nothing behind.
 */
export async function checkLatest(outDir: string): Promise<void> {
  const link = path.join(outDir, LATEST_LINK);
  const st = await lstat(link).catch(() => null);
  if (!st?.isDirectory()) return;
  const copied = await readFile(path.join(link, RUN_META_FILE), 'utf8')
    .then((text) => (JSON.parse(text) as Partial<RunMeta>).runId)
    .catch(() => undefined);
  if (typeof copied === 'string' && /^[\w.-]+$/.test(copied) && copied !== LATEST_LINK && !existsSync(path.join(outDir, copied))) {
    await rename(link, path.join(outDir, copied));
    return;
  }
  throw new UsageError(
    `${link} is a folder, not the link to the newest run that llm-eval keeps (copied by a CI artifact?)${typeof copied === 'string' ? `, and ${path.join(outDir, copied)} exists too` : ''}: move or delete it, then run again.`,
  );
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
