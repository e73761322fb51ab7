import path from 'node:path';
import { buildRunReport } from '../results/report.js';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { GateFailure, ResolvedSuite, RunReport, RunStatus, VariantFingerprint } from '../types.js';
import { UsageError } from '../errors.js';
import { REPORT_FILE, RESULTS_FILE, RUN_META_FILE, readCaseRecords, readRunMeta, type RunMeta } from '../results/store.js';
import { SummaryBuilder } from '../results/summary.js';
import { OutcomeAccumulator, annotateSummaries, type OutcomeSet } from '../results/outcomes.js';
import { fingerprintChanges } from '../results/fingerprint.js';
import { baselineOutcomes, readBaseline } from '../results/baseline.js';
import { compareOutcomes, compareSettingsFromConfig, type Comparison } from '../comparison/compare.js';
import type { ReportFormat } from '../reporters/types.js';
import { openRunFolder } from './runFolder.js';
import { formatShard, type Shard } from '../plan/shard.js';
import { decideVerdict, shardsIncomplete, shardsMissing } from '../gate/decide.js';
import { exitCodeOf } from '../gate/unmeasured.js';
import { pushAll } from '../util/arrays.js';

/**
 * `llm-eval merge DIR...`: joins shard runs (`run --shard I/N` on several CI machines) into one
 * new run folder — results.jsonl concatenated with duplicates dropped, report.json rebuilt from
 * the joined case lines — and one gate verdict over all of it. The shard folders are not touched.
 */

export interface MergeOptions {
  /** Shard run folders (already resolved). */
  dirs: string[];
  /** Reports folder for the merged run. */
  outDir: string;
  /** The config's suites, for their gates; without a config every suite gets the default rule (every case passes). */
  suites?: ResolvedSuite[];
  configHash?: string;
  configFile?: string;
  /** Baseline file: adds the regression gate, as `run --baseline`. */
  baseline?: string;
  /** Point reports/latest at the merged run (default true). */
  updateLatest?: boolean;
  /** Merge even when shards are missing (default: an incomplete merge exits 3). */
  allowPartial?: boolean;
  /** Report files to render besides report.json (default: none). */
  formats?: ReportFormat[];
}

export interface MergeResult {
  runId: string;
  dir: string;
  report: RunReport;
  comparison: Comparison | null;
  /** Case lines written and duplicate lines dropped. */
  records: number;
  duplicates: number;
  warnings: string[];
  exitCode: 0 | 1 | 3;
}

const STATUS_RANK: Record<RunStatus, number> = { completed: 0, interrupted: 1, 'budget-exceeded': 2, 'provider-down': 3, 'batch-pending': 4 };

async function readJsonIfExists<T>(file: string): Promise<T | null> {
  return existsSync(file) ? (JSON.parse(await readFile(file, 'utf8')) as T) : null;
}

export interface ShardCoverage {
  warnings: string[];
  /** Shards (`I/N`) no folder covers: the merged run lacks their cases. */
  missing: string[];
}

/**
 * Which shards the folders cover, and what is missing or doubled. A shard is its `I/N` (1/2
 * and 1/3 are different shards); each warning names the shards and folders concerned.
 */
export function checkShardCoverage(shards: Array<{ dir: string; shard: Shard | null }>): ShardCoverage {
  const warnings: string[] = [];
  const sharded = shards.filter((s): s is { dir: string; shard: Shard } => s.shard !== null);
  if (sharded.length === 0) return { warnings, missing: [] };
  const unsharded = shards.filter((s) => !s.shard);
  if (unsharded.length) warnings.push(`${unsharded.map((s) => s.dir).join(', ')} ran every case (no --shard) and is merged with shards: cases are doubled`);
  const totals = [...new Set(sharded.map((s) => s.shard.total))].sort((a, b) => a - b);
  if (totals.length > 1) {
    const byTotal = totals.map((t) => `${sharded.filter((s) => s.shard.total === t).map((s) => formatShard(s.shard)).join(', ')}`);
    warnings.push(`the runs were split into different shard counts (${byTotal.join(' and ')}): cases may be missing or doubled`);
  }
  const seen = new Map<string, string>();
  for (const s of sharded) {
    const name = formatShard(s.shard);
    const prev = seen.get(name);
    if (prev) warnings.push(`shard ${name} appears twice (${prev} and ${s.dir}); duplicate cases are kept once`);
    else seen.set(name, s.dir);
  }
  const missing: string[] = [];
  for (const total of totals) for (let i = 1; i <= total; i++) if (!seen.has(`${i}/${total}`)) missing.push(`${i}/${total}`);
  if (missing.length) warnings.push(`shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} missing: the merged run covers only part of the cases`);
  return { warnings, missing };
}

export async function mergeRuns(opts: MergeOptions): Promise<MergeResult> {
  if (opts.dirs.length === 0) throw new UsageError('merge needs at least one run folder: `llm-eval merge DIR...`');
  const warnings: string[] = [];
  const metas: Array<{ dir: string; meta: RunMeta | null; report: RunReport | null; shard: Shard | null }> = [];
  for (const dir of opts.dirs) {
    if (!existsSync(path.join(dir, RESULTS_FILE))) throw new UsageError(`${dir} has no ${RESULTS_FILE}: not a run folder`);
    const meta = existsSync(path.join(dir, RUN_META_FILE)) ? await readRunMeta(dir) : null;
    const report = await readJsonIfExists<RunReport>(path.join(dir, REPORT_FILE));
    const s = (meta?.options as { shard?: Shard } | undefined)?.shard;
    const shard = s && s.total > 1 ? { index: s.index, total: s.total } : null;
    metas.push({ dir, meta, report, shard });
    if (!report) warnings.push(`${shard ? `shard ${formatShard(shard)} (${dir})` : dir} did not finish (no ${REPORT_FILE}): resume it, then merge again`);
  }
  const coverage = checkShardCoverage(metas);
  pushAll(warnings, coverage.warnings);
  const configHashes = new Set(metas.map((m) => m.meta?.configHash).filter((h): h is string => Boolean(h)));
  if (configHashes.size > 1) warnings.push(`the shards ran with different llm-eval.yaml versions (${[...configHashes].join(', ')}): results may not be comparable`);

  const sourceIds = metas.map((m) => m.meta?.runId ?? path.basename(m.dir));
  const configFile = opts.configFile ?? metas.find((m) => m.meta)?.meta?.configFile ?? '';
  const configHash = opts.configHash ?? [...configHashes][0] ?? '';
  const folder = await openRunFolder({
    outDir: opts.outDir,
    latest: opts.updateLatest === false ? 'never' : 'finish',
    meta: {
      configFile,
      configHash,
      options: { mergedShards: metas.map((m) => (m.shard ? formatShard(m.shard) : null)), ...(coverage.missing.length ? { missingShards: coverage.missing } : {}) },
      derivedFrom: { kind: 'merge', runs: sourceIds },
    },
  });
  const { runId, dir, createdAt } = folder;

  // Join the case lines: first occurrence of a suite/variant/case/repeat wins.
  const writer = folder.writer();
  const summary = new SummaryBuilder();
  const outcomes = new OutcomeAccumulator();
  let records = 0;
  let bad = 0;
  try {
    for (const m of metas) {
      for await (const rec of readCaseRecords(path.join(m.dir, RESULTS_FILE), () => bad++)) {
        if (!outcomes.add(rec)) continue;
        writer.append(rec);
        summary.add(rec);
        records++;
      }
    }
  } finally {
    await writer.close();
  }
  if (bad) warnings.push(`${bad} unreadable line(s) skipped`);
  const duplicates = outcomes.duplicates;
  if (duplicates) warnings.push(`${duplicates} duplicate case line(s) dropped (the same suite/variant/case/repeat in more than one folder)`);

  // Config-side fingerprints come from the shards' reports; they must agree.
  const fingerprints = new Map<string, VariantFingerprint>();
  for (const m of metas) {
    for (const s of m.report?.suites ?? []) {
      for (const v of s.variants) {
        if (!v.fingerprint) continue;
        const key = `${s.name}\u0000${v.name}`;
        const prev = fingerprints.get(key);
        if (!prev) fingerprints.set(key, v.fingerprint);
        else for (const c of fingerprintChanges(prev, v.fingerprint)) warnings.push(`${s.name}/${v.name}: shards differ in ${c.field} (${c.before} vs ${c.after})`);
      }
    }
  }
  const suites = summary.suites();
  const variantOutcomes = outcomes.variantsOutcomes();
  // The joined case lines are the truth for dataset, prompt and model; the shards' reports add the rest.
  annotateSummaries(suites, variantOutcomes, (s, v) => fingerprints.get(`${s}\u0000${v}`));

  let comparison: Comparison | null = null;
  if (opts.baseline) {
    const file = path.resolve(opts.baseline);
    const after: OutcomeSet = { label: `run ${runId}`, source: 'run', runId, shard: null, variants: variantOutcomes };
    comparison = compareOutcomes(baselineOutcomes(await readBaseline(file), path.relative(process.cwd(), file) || file), after, {
      suites: compareSettingsFromConfig(opts.suites ?? []),
    });
    pushAll(warnings, comparison.warnings);
  }

  const statuses = metas.map((m) => m.report?.status ?? 'interrupted');
  const status = statuses.reduce<RunStatus>((w, s) => (STATUS_RANK[s] > STATUS_RANK[w] ? s : w), 'completed');
  const incomplete: GateFailure[] = [];
  if (status !== 'completed') {
    const unfinished = metas.filter((m) => (m.report?.status ?? 'interrupted') !== 'completed').map((m) => (m.shard ? `shard ${formatShard(m.shard)}` : m.dir));
    incomplete.push(shardsIncomplete(unfinished, status));
  }
  // Missing shards: the gate would judge part of the cases as if it were all of them (exit 3).
  if (coverage.missing.length > 0 && !opts.allowPartial) incomplete.push(shardsMissing(coverage.missing));
  // One verdict: threshold rules, passAllRepeats, and regression when a baseline is given.
  const decided = decideVerdict({ suites: opts.suites, summaries: suites, outcomes: variantOutcomes, comparison, incomplete });
  pushAll(warnings, decided.warnings);
  const report = buildRunReport({
    runId,
    createdAt,
    status,
    config: { hash: configHash, file: configFile },
    gate: decided.verdict,
    suites,
    warnings,
    comparison,
    extra: { mergedFrom: sourceIds },
  });
  await folder.finish({ report, status, formats: opts.formats });
  const exitCode = exitCodeOf(status, report.gate);
  return { runId, dir, report, comparison, records, duplicates, warnings, exitCode };
}
