import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { VariantFingerprint } from '../types.js';
import { UsageError } from '../errors.js';
import { RESULTS_FILE, RUN_META_FILE, readCaseRecords, readRunMeta, writeFileAtomic, type RunMeta } from './store.js';
import { cutText, readPromptTexts, type PromptTexts } from './promptTexts.js';
import { formatShard, type Shard } from '../plan/shard.js';
import { EMPTY_FINGERPRINT, mergeFingerprints } from './fingerprint.js';
import { caseMeanScore, readRunOutcomes, type CaseOutcome, type OutcomeSet, type SkippedLines, type VariantOutcomes } from './outcomes.js';
import { formatStableJson } from './stableJson.js';
import { redactDeep } from '../util/secrets.js';

/**
 * reports/baseline.json: each case's outcome per suite × variant, plus what it takes to know
 * whether a later run is comparable. Small and in a stable order, because users commit it and
 * review its diffs.
 */

export const BASELINE_VERSION = 1;
export const BASELINE_FILE = 'baseline.json';

/** A case's outcome: [passes, samples, mean score, content hash of vars + expected]. */
export type BaselineCase = [passes: number, n: number, meanScore: number, content: string | null];

export interface BaselineVariant {
  fingerprint: VariantFingerprint;
  /** Mean candidate cost per sample, USD (null: unpriced). */
  meanCostUsd: number | null;
  latencyMs: { p50: number | null; p95: number | null };
  cases: Record<string, BaselineCase>;
  /** Each case's output at its first repeat, cut at MAX_BASELINE_OUTPUT, so a report can show what changed. */
  outputs?: Record<string, string>;
}

export interface BaselineFile {
  version: typeof BASELINE_VERSION;
  createdAt: string;
  /** The run it was saved from. */
  runId: string | null;
  suites: Record<string, Record<string, BaselineVariant>>;
  /** Prompt template texts by `name@version#hash`, once per hash (from the run's prompts.json). */
  prompts?: PromptTexts;
}

/** A stored output is cut here: enough to see a regression, small enough to commit. */
export const MAX_BASELINE_OUTPUT = 4 * 1024;
/** All stored outputs together stay under this; past it the rest are left out (with a warning). */
export const MAX_BASELINE_OUTPUTS_TOTAL = 16 * 1024 * 1024;

/** What a baseline keeps beside the outcomes to explain a later regression. */
export interface BaselineExtras {
  /** `suite \0 variant` → case id → output. */
  outputs?: Map<string, Record<string, string>>;
  prompts?: PromptTexts;
}

const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;
const roundOrNull = (x: number | null, digits: number): number | null => (x === null ? null : round(x, digits));

export function baselineFromOutcomes(set: OutcomeSet, createdAt = new Date().toISOString(), extras: BaselineExtras = {}): BaselineFile {
  const suites: BaselineFile['suites'] = {};
  const usedPrompts: PromptTexts = {};
  for (const v of set.variants) {
    const cases: Record<string, BaselineCase> = {};
    for (const [id, c] of v.cases) cases[id] = [c.passes, c.n, round(caseMeanScore(c), 4), c.content];
    (suites[v.suite] ??= {})[v.variant] = {
      fingerprint: v.fingerprint,
      meanCostUsd: roundOrNull(v.meanCostUsd, 9),
      latencyMs: { p50: roundOrNull(v.latencyMs.p50, 1), p95: roundOrNull(v.latencyMs.p95, 1) },
      cases,
    };
    const outputs = extras.outputs?.get(`${v.suite}\u0000${v.variant}`);
    if (outputs && Object.keys(outputs).length) suites[v.suite]![v.variant]!.outputs = outputs;
    const prompt = v.fingerprint.prompt;
    if (prompt && extras.prompts?.[prompt] !== undefined) usedPrompts[prompt] = extras.prompts[prompt]!;
  }
  const file: BaselineFile = { version: BASELINE_VERSION, createdAt, runId: set.runId, suites };
  if (Object.keys(usedPrompts).length) file.prompts = usedPrompts;
  return file;
}

/**
 * Each case's output at its lowest repeat (the newest line when a resume wrote it again), cut at
 * MAX_BASELINE_OUTPUT; stops collecting past MAX_BASELINE_OUTPUTS_TOTAL and counts the outputs it left out.
 */
export async function collectBaselineOutputs(runDir: string, maxTotal = MAX_BASELINE_OUTPUTS_TOTAL): Promise<{ outputs: Map<string, Record<string, string>>; leftOut: number }> {
  const best = new Map<string, Map<string, { repeat: number; output: string }>>();
  let total = 0;
  let skipped = 0;
  for await (const rec of readCaseRecords(path.join(runDir, RESULTS_FILE))) {
    if (rec.output == null) continue;
    const key = `${rec.suite}\u0000${rec.variant}`;
    let cases = best.get(key);
    if (!cases) best.set(key, (cases = new Map()));
    const known = cases.get(rec.caseId);
    if (known && known.repeat < rec.repeat) continue;
    const output = cutText(rec.output, MAX_BASELINE_OUTPUT);
    if (!known && total + output.length > maxTotal) {
      skipped++;
      continue;
    }
    total += output.length - (known?.output.length ?? 0);
    cases.set(rec.caseId, { repeat: rec.repeat, output });
  }
  const outputs = new Map<string, Record<string, string>>();
  for (const [key, cases] of best) {
    const record: Record<string, string> = {};
    for (const id of [...cases.keys()].sort()) record[id] = cases.get(id)!.output;
    outputs.set(key, record);
  }
  return { outputs, leftOut: skipped };
}

export function serializeBaseline(b: BaselineFile): string {
  return formatStableJson(redactDeep(b)) + '\n';
}

/** The outcomes a baseline holds, as one side of a comparison. */
export function baselineOutcomes(b: BaselineFile, label: string): OutcomeSet {
  const variants: VariantOutcomes[] = [];
  for (const suite of Object.keys(b.suites).sort()) {
    for (const variant of Object.keys(b.suites[suite]!).sort()) {
      const bv = b.suites[suite]![variant]!;
      const cases = new Map<string, CaseOutcome>();
      for (const [id, [passes, n, meanScore, content]] of Object.entries(bv.cases)) {
        cases.set(id, { passes, n, scoreSum: meanScore * n, errors: 0, content: content ?? null });
      }
      const fingerprint = mergeFingerprints(bv.fingerprint, EMPTY_FINGERPRINT);
      variants.push({ suite, variant, model: fingerprint.model, fingerprint, cases, meanCostUsd: bv.meanCostUsd ?? null, latencyMs: bv.latencyMs ?? { p50: null, p95: null } });
    }
  }
  return { label: `baseline ${label}${b.runId ? ` (run ${b.runId})` : ''}`, source: 'baseline', runId: b.runId, shard: null, variants };
}

/** Reads and checks a baseline file; a missing or malformed one is a usage error saying how to make one. */
export async function readBaseline(file: string): Promise<BaselineFile> {
  if (!existsSync(file)) throw new UsageError(`Baseline ${file} not found. Create it from a good run with \`llm-eval baseline save [RUN]\`.`);
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`Baseline ${file} is not valid JSON (${(err as Error).message}). Recreate it with \`llm-eval baseline save\`.`);
  }
  const problem = baselineShapeProblem(data);
  if (problem) throw new UsageError(`${file} is not an llm-eval baseline: ${problem}. Recreate it with \`llm-eval baseline save\`.`);
  return data as BaselineFile;
}

function baselineShapeProblem(data: unknown): string | null {
  if (!data || typeof data !== 'object') return 'expected an object';
  const d = data as Record<string, unknown>;
  if (d['version'] !== BASELINE_VERSION) return `unsupported version ${JSON.stringify(d['version'])} (this llm-eval reads version ${BASELINE_VERSION})`;
  if (!d['suites'] || typeof d['suites'] !== 'object') return 'no `suites`';
  for (const [suite, variants] of Object.entries(d['suites'] as Record<string, unknown>)) {
    if (!variants || typeof variants !== 'object') return `suite ${suite} is not an object`;
    for (const [variant, v] of Object.entries(variants as Record<string, unknown>)) {
      const cases = (v as Record<string, unknown> | null)?.['cases'];
      if (!cases || typeof cases !== 'object') return `${suite}/${variant} has no cases`;
      for (const [id, c] of Object.entries(cases as Record<string, unknown>)) {
        if (!Array.isArray(c) || c.length < 3 || !Number.isInteger(c[0]) || !Number.isInteger(c[1]) || (c[0] as number) > (c[1] as number) || typeof c[2] !== 'number') {
          return `${suite}/${variant} case ${id} is not [passes, n, meanScore, content]`;
        }
      }
    }
  }
  return null;
}

export interface SavedBaseline {
  file: string;
  baseline: BaselineFile;
  /** Why the run is not whole (saved with allowPartial); empty for a complete run. */
  incomplete: string[];
  /** Lines of the run's results.jsonl passed over while reading it. */
  skippedLines?: SkippedLines;
  /** Case outputs not kept because the stored outputs reached MAX_BASELINE_OUTPUTS_TOTAL. */
  outputsLeftOut: number;
}

/**
 * Why a run is not a whole run: it did not finish (interrupted, budget, provider down, a crash),
 * it ran one shard, or it is a merge that lacks shards. A baseline saved from it would leave
 * the missing cases ungated.
 */
export async function incompleteRunReasons(runDir: string): Promise<string[]> {
  const reasons: string[] = [];
  let meta: RunMeta;
  try {
    meta = await readRunMeta(runDir);
  } catch {
    return [`${runDir} has no readable ${RUN_META_FILE}, so it cannot be shown to have finished`];
  }
  if (meta.status !== 'completed') reasons.push(`run ${meta.runId} did not finish (${meta.status}); resume it with \`llm-eval run --resume ${meta.runId}\``);
  const shard = (meta.options as { shard?: Shard }).shard;
  if (shard && shard.total > 1) reasons.push(`run ${meta.runId} covered shard ${formatShard(shard)} only; merge the shards first (\`llm-eval merge\`)`);
  const missing = (meta.options as { missingShards?: unknown }).missingShards;
  if (Array.isArray(missing) && missing.length) reasons.push(`run ${meta.runId} is a merge without shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  return reasons;
}

/**
 * Writes the baseline of a run folder to `outFile` (atomically). An incomplete run is refused
 * (a usage error, exit 2) unless `allowPartial`, when its reasons become warnings.
 */
export async function saveBaseline(runDir: string, outFile: string, createdAt?: string, opts: { allowPartial?: boolean } = {}): Promise<SavedBaseline> {
  const incomplete = await incompleteRunReasons(runDir);
  if (incomplete.length && !opts.allowPartial) {
    throw new UsageError(
      `Not saving a baseline from an incomplete run: ${incomplete.join('; ')}. A baseline missing cases would leave them ungated. ` +
        `Save from a complete run, or pass --allow-partial to save the cases it has.`,
    );
  }
  const set = await readRunOutcomes(runDir);
  if (set.variants.length === 0) throw new UsageError(`${runDir} has no finished cases: nothing to save as a baseline.`);
  const { outputs, leftOut } = await collectBaselineOutputs(runDir);
  const baseline = baselineFromOutcomes(set, createdAt, { outputs, prompts: await readPromptTexts(runDir) });
  await mkdir(path.dirname(outFile), { recursive: true });
  await writeFileAtomic(outFile, serializeBaseline(baseline));
  return { file: outFile, baseline, incomplete, outputsLeftOut: leftOut, ...(set.skippedLines ? { skippedLines: set.skippedLines } : {}) };
}
