import path from 'node:path';
import { UsageError } from '../errors.js';
import type { CacheMode, ResolvedConfig, ResolvedSuite, VariantFingerprint } from '../types.js';
import { readDataset } from '../datasets/read.js';
import { caseContentHash, fingerprintChanges, variantFingerprint } from '../results/fingerprint.js';
import { readCaseRecords, type RunMeta } from '../results/store.js';
import { formatShard, type Shard } from '../plan/shard.js';

/**
 * What `--resume` must check before it continues a run, so one run never holds two versions of
 * what it measures: the options given now must not contradict the run's, and the prompts,
 * graders, models and dataset rows its finished cases were measured with must be unchanged.
 * Both throw a UsageError (exit 2) before any call, naming what differs.
 */

/** Per suite × variant (`suite/variant`), what run.json records at the start of a run. */
export type RunFingerprints = Record<string, VariantFingerprint>;

export function runFingerprints(config: Pick<ResolvedConfig, 'models'>, suites: ResolvedSuite[]): RunFingerprints {
  const out: RunFingerprints = {};
  for (const s of suites) for (const v of s.variants) out[`${s.name}/${v.name}`] = variantFingerprint(config, s, v);
  return out;
}

export interface ResumeFlags {
  shard?: Shard;
  repeat?: number;
  cache?: CacheMode;
}

/** Options given with --resume that differ from the ones the run was started with. */
export function checkResumeFlags(meta: RunMeta, given: ResumeFlags): void {
  const stored = meta.options as { shard?: Shard; repeat?: number; cache?: CacheMode };
  const conflicts: string[] = [];
  const shardText = (s?: Shard): string => (s && s.total > 1 ? formatShard(s) : 'none');
  if (given.shard && shardText(given.shard) !== shardText(stored.shard)) conflicts.push(`--shard ${formatShard(given.shard)} (the run has ${shardText(stored.shard)})`);
  if (given.repeat !== undefined && given.repeat !== stored.repeat) conflicts.push(`--repeat ${given.repeat} (the run has ${stored.repeat ?? "the suites' own"})`);
  if (given.cache !== undefined && stored.cache !== undefined && given.cache !== stored.cache) conflicts.push(`--cache ${given.cache} (the run has ${stored.cache})`);
  if (conflicts.length === 0) return;
  throw new UsageError(
    `--resume ${meta.runId} continues the run with its own options, and ${conflicts.join(', ')} conflict${conflicts.length > 1 ? '' : 's'} with them. ` +
      `Drop ${conflicts.length > 1 ? 'these flags' : 'the flag'} to continue the run, or start a new run without --resume.`,
  );
}

const MAX_LISTED = 10;

/**
 * The run's finished cases were measured with what run.json and their case lines record;
 * compares that with the config and datasets as they are now.
 */
export async function checkResumeFingerprint(meta: RunMeta & { fingerprints?: RunFingerprints }, config: Pick<ResolvedConfig, 'models'>, suites: ResolvedSuite[], resultsFile: string): Promise<void> {
  const changed: string[] = [];
  const now = runFingerprints(config, suites);
  for (const [where, before] of Object.entries(meta.fingerprints ?? {})) {
    const after = now[where];
    if (!after) continue;
    for (const c of fingerprintChanges(before, after)) changed.push(`${where}: ${c.field === 'judgeModels' ? 'judge model' : c.field} changed (${c.before} → ${c.after})`);
  }

  // Case lines record the prompt hash and the row's content they were run with.
  const promptOf = new Map<string, ResolvedSuite['variants'][number]['prompt']>(suites.flatMap((s) => s.variants.map((v) => [`${s.name}/${v.name}`, v.prompt] as const)));
  const contentBySuite = new Map<string, Map<string, string> | null>();
  const contentOf = async (suiteName: string): Promise<Map<string, string> | null> => {
    if (contentBySuite.has(suiteName)) return contentBySuite.get(suiteName)!;
    const suite = suites.find((s) => s.name === suiteName);
    let rows: Map<string, string> | null = null;
    if (suite) {
      rows = new Map();
      for await (const row of readDataset(suite.dataset)) rows.set(row.id, caseContentHash(row.vars, row.expected));
    }
    contentBySuite.set(suiteName, rows);
    return rows;
  };
  const promptChanged = new Set<string>();
  const editedRows = new Map<string, Set<string>>();
  const removedRows = new Map<string, Set<string>>();
  for await (const rec of readCaseRecords(resultsFile)) {
    const where = `${rec.suite}/${rec.variant}`;
    const prompt = promptOf.get(where);
    if (prompt && rec.prompt?.hash && rec.prompt.hash !== prompt.hash && !promptChanged.has(where)) {
      promptChanged.add(where);
      if (!changed.some((c) => c.startsWith(`${where}: prompt`))) changed.push(`${where}: prompt changed (${prompt.ref}: ${rec.prompt.hash} → ${prompt.hash})`);
    }
    const rows = await contentOf(rec.suite);
    if (!rows) continue;
    const content = rows.get(rec.caseId);
    const bucket = content === undefined ? removedRows : content !== caseContentHash(rec.vars, rec.expected) ? editedRows : null;
    if (bucket) {
      let ids = bucket.get(rec.suite);
      if (!ids) bucket.set(rec.suite, (ids = new Set()));
      ids.add(rec.caseId);
    }
  }
  const list = (ids: Set<string>): string => [...ids].slice(0, MAX_LISTED).join(', ') + (ids.size > MAX_LISTED ? `, … (${ids.size})` : '');
  for (const [suite, ids] of editedRows) changed.push(`${suite}: dataset row${ids.size > 1 ? 's' : ''} ${list(ids)} changed (vars or expected)`);
  for (const [suite, ids] of removedRows) changed.push(`${suite}: dataset row${ids.size > 1 ? 's' : ''} ${list(ids)} removed`);
  if (changed.length === 0) return;
  throw new UsageError(
    `Cannot resume run ${meta.runId}: what its finished cases were measured with has changed since it started, and one run must not mix two versions:\n` +
      changed.map((c) => `  - ${c}`).join('\n') +
      `\nUndo the change to continue run ${meta.runId}, or start a new run (without --resume). Results so far stay in ${path.dirname(resultsFile)}.`,
  );
}
