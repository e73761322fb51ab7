import type { CaseRecord, RunReport } from '../types.js';

/**
 * The versions of the two files a run leaves for later readers (docs/architecture.md, "Record
 * formats"), their shape checks and their migrations. A reader checks every record it reads here,
 * so a damaged or foreign file is one clear error naming file and line, not a crash deep in a
 * reporter.
 *
 * - results.jsonl: each line carries `"v": RECORD_VERSION` (one short key: a run may write a
 *   million lines). A line without `v` was written by llm-eval 0.1.0: version 0.
 * - report.json: `schemaVersion: REPORT_VERSION` (every report.json has carried it).
 *
 * A version above the current one was written by a newer llm-eval and is refused; an older one
 * is migrated in memory, one version at a time (`migrateRecord`). Version 0 records have the
 * version 1 fields, so their migration is the identity.
 */
export const RECORD_VERSION = 1;
export const REPORT_VERSION = 1;

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumberOrNull = (v: unknown): boolean => v === null || typeof v === 'number';
const isOptionalNumberOrNull = (v: unknown): boolean => v === undefined || v === null || typeof v === 'number';

/**
 * Whether a parsed line is a case record at all: it names its case (suite, variant, case id,
 * repeat). A line that does not (another tool's output, a hand-written note) is skipped like a
 * torn line; a line that does is a case record and must be whole (`caseRecordProblem`).
 */
export function namesACase(v: unknown): v is Pick<CaseRecord, 'suite' | 'variant' | 'caseId' | 'repeat'> {
  if (!isObject(v)) return false;
  return typeof v['suite'] === 'string' && typeof v['variant'] === 'string' && typeof v['caseId'] === 'string' && Number.isInteger(v['repeat']);
}

/** The record's format version: 0 when it has none (llm-eval 0.1.0 wrote none). */
export function recordVersion(v: Obj): unknown {
  return v['v'] === undefined ? 0 : v['v'];
}

/**
 * What is wrong with a line that names a case, or undefined when it is a whole case record of a
 * version this llm-eval reads. Hand-written (no schema library): it runs once per line of a
 * results.jsonl that may hold a million of them.
 */
export function caseRecordProblem(r: Obj): string | undefined {
  const version = recordVersion(r);
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) return `\`v\` is ${JSON.stringify(version)}, not a record format version`;
  if (version > RECORD_VERSION) return `it was written by a newer llm-eval (record format ${version}; this llm-eval reads up to ${RECORD_VERSION}): upgrade llm-eval to read it`;
  if (!isObject(r['vars'])) return '`vars` is not an object';
  const prompt = r['prompt'];
  if (!isObject(prompt) || typeof prompt['name'] !== 'string' || typeof prompt['version'] !== 'string' || typeof prompt['hash'] !== 'string') return '`prompt` is not { name, version, hash }';
  if (typeof r['model'] !== 'string') return '`model` is not a string';
  if (r['output'] !== null && typeof r['output'] !== 'string') return '`output` is not a string or null';
  if (typeof r['pass'] !== 'boolean') return '`pass` is not true or false';
  if (typeof r['score'] !== 'number') return '`score` is not a number';
  const grades = r['grades'];
  if (!Array.isArray(grades)) return '`grades` is not a list';
  for (let i = 0; i < grades.length; i++) {
    const g: unknown = grades[i];
    if (!isObject(g) || typeof g['grader'] !== 'string' || typeof g['pass'] !== 'boolean' || typeof g['score'] !== 'number' || typeof g['reason'] !== 'string') {
      return `\`grades[${i}]\` is not { grader, pass, score, reason }`;
    }
  }
  const tokens = r['tokens'];
  if (tokens !== null && (!isObject(tokens) || typeof tokens['input'] !== 'number' || typeof tokens['output'] !== 'number' || typeof tokens['cachedInput'] !== 'number')) {
    return '`tokens` is not null or { input, output, cachedInput }';
  }
  if (!isNumberOrNull(r['costUsd'])) return '`costUsd` is not a number or null';
  if (!isOptionalNumberOrNull(r['judgeCostUsd'])) return '`judgeCostUsd` is not a number or null';
  if (!isNumberOrNull(r['latencyMs'])) return '`latencyMs` is not a number or null';
  if (!isOptionalNumberOrNull(r['ttftMs'])) return '`ttftMs` is not a number or null';
  if (typeof r['cached'] !== 'boolean') return '`cached` is not true or false';
  const error = r['error'];
  if (error !== null && (!isObject(error) || typeof error['kind'] !== 'string' || typeof error['message'] !== 'string')) return '`error` is not null or { kind, message }';
  const tags = r['tags'];
  if (tags !== undefined && (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string'))) return '`tags` is not a list of strings';
  return undefined;
}

/**
 * A checked record of an older version brought to the current one, in memory (the file is
 * never rewritten). Version 0 (0.1.0) already has every version 1 field.
 */
export function migrateRecord(r: Obj): CaseRecord {
  return r as unknown as CaseRecord;
}

/**
 * The line results.jsonl stores for a record: its JSON with `"v":RECORD_VERSION` first. A record
 * read back from a file of this version already carries `v` (rescore and merge copy records).
 */
export function recordLine(record: CaseRecord): string {
  const json = JSON.stringify(record);
  return 'v' in record ? json : `{"v":${RECORD_VERSION},${json.slice(1)}`;
}

/** What report.json lacks of the shape the reporters read, or undefined when it has it. */
export function reportProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'it is not a JSON object';
  const version = value['schemaVersion'] === undefined ? 0 : value['schemaVersion'];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) return `\`schemaVersion\` is ${JSON.stringify(version)}, not a report format version`;
  if (version > REPORT_VERSION) return `it was written by a newer llm-eval (report format ${version}; this llm-eval reads up to ${REPORT_VERSION}): upgrade llm-eval to read it`;
  if (typeof value['runId'] !== 'string') return '`runId` is not a string';
  if (typeof value['status'] !== 'string') return '`status` is not a string';
  const gate = value['gate'];
  if (!isObject(gate) || typeof gate['passed'] !== 'boolean' || !Array.isArray(gate['failures'])) return '`gate` is not { passed, failures }';
  if (!Array.isArray(value['suites'])) return '`suites` is not a list';
  for (const [i, s] of (value['suites'] as unknown[]).entries()) {
    if (!isObject(s) || typeof s['name'] !== 'string' || !Array.isArray(s['variants'])) return `\`suites[${i}]\` is not { name, variants }`;
    for (const [j, v] of (s['variants'] as unknown[]).entries()) if (!isObject(v) || typeof v['name'] !== 'string') return `\`suites[${i}].variants[${j}]\` has no name`;
  }
  if (!isObject(value['totals'])) return '`totals` is missing';
  if (value['warnings'] !== undefined && !Array.isArray(value['warnings'])) return '`warnings` is not a list';
  return undefined;
}

/** A checked report.json of an older version brought to the current one, in memory. */
export function migrateReport(value: Obj): RunReport {
  if (value['schemaVersion'] === undefined) value['schemaVersion'] = REPORT_VERSION;
  if (value['warnings'] === undefined) value['warnings'] = [];
  return value as unknown as RunReport;
}
