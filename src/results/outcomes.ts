import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CaseRecord, SuiteSummary, VariantFingerprint } from '../types.js';
import { RESULTS_FILE, REPORT_FILE, RUN_META_FILE, readCaseRecords, readReport, type RunMeta } from './store.js';
import type { Shard } from '../plan/shard.js';
import { LatencyList, percentile } from './summary.js';
import { EMPTY_FINGERPRINT, caseContentHash, datasetHashOf, mergeFingerprints } from './fingerprint.js';
import { repeatStats, type CasePassCount } from '../stats/repeats.js';
import { casePassRateInterval } from '../stats/intervals.js';
import { CaseOutcomeTable } from './caseOutcomeTable.js';

/**
 * Per-case outcomes: what the paired statistics need of a run, boiled down from results.jsonl
 * to one small entry per suite × variant × case id (repeats pooled). Memory grows with the
 * number of cases, never with the outputs.
 */

export interface CaseOutcome {
  /** Samples that passed, out of `n` (repeats pooled). */
  passes: number;
  n: number;
  /** Sum of the samples' scores (mean = scoreSum / n). */
  scoreSum: number;
  /** Samples that errored (counted as not passing). */
  errors: number;
  /** Hash of the case's vars and expected; null when the source did not record it. */
  content: string | null;
}

export interface VariantOutcomes {
  suite: string;
  variant: string;
  /** `provider:model` as recorded in the case lines. */
  model: string | null;
  fingerprint: VariantFingerprint;
  cases: ReadonlyMap<string, CaseOutcome>;
  /** Mean candidate cost per sample, USD; null when unpriced. */
  meanCostUsd: number | null;
  /** Latency of uncached samples, ms. */
  latencyMs: { p50: number | null; p95: number | null };
}

/** One side of a comparison: a run, or a baseline file. */
export interface OutcomeSet {
  /** How messages name this side: a run id or a baseline file. */
  label: string;
  source: 'run' | 'baseline';
  runId: string | null;
  /** The shard the run covered, when it was sharded. */
  shard: Shard | null;
  variants: VariantOutcomes[];
  /** Lines of results.jsonl passed over while reading; absent for a baseline or a side built in memory. */
  skippedLines?: SkippedLines;
}

/** What reading a results.jsonl passed over: data, worded by comparison/readWarnings.ts. */
export interface SkippedLines {
  /** The results.jsonl read. */
  file: string;
  /** Lines that did not parse or named no case (a torn tail). */
  unreadable: number;
  /** Second lines for the same suite/variant/case/repeat, ignored. */
  duplicate: number;
}

export function caseMeanScore(c: CaseOutcome): number {
  return c.n > 0 ? c.scoreSum / c.n : 0;
}

export function findVariant(set: OutcomeSet, suite: string, variant: string): VariantOutcomes | undefined {
  return set.variants.find((v) => v.suite === suite && v.variant === variant);
}

/**
 * The repeat indices seen of one case, to tell a second line for the same repeat (a duplicate):
 * a bit mask (a small integer, no allocation) for repeats 0..30, a Set only beyond.
 */
type RepeatsSeen = number | Set<number>;

/** The mask of a case seen at repeat 0 only: implied by the case having an outcome and no repeatsSeen entry. */
const REPEAT_0_ONLY = 1;

/** Adds `repeat` to `seen`; undefined when it was already there. */
function markSeen(seen: RepeatsSeen, repeat: number): RepeatsSeen | undefined {
  if (typeof seen === 'number' && Number.isInteger(repeat) && repeat >= 0 && repeat < 31) {
    const bit = 1 << repeat;
    return seen & bit ? undefined : seen | bit;
  }
  let set = seen;
  if (typeof set === 'number') {
    const mask = set;
    set = new Set();
    for (let i = 0; i < 31; i++) if (mask & (1 << i)) set.add(i);
  }
  if (set.has(repeat)) return undefined;
  set.add(repeat);
  return set;
}

interface VariantAcc {
  suite: string;
  variant: string;
  models: Set<string>;
  prompts: Set<string>;
  cases: CaseOutcomeTable;
  /**
   * Repeat indices seen per case (see markSeen), for the cases that need an entry: a case whose
   * only record so far is repeat 0 has none (a run without repeats keeps this map empty, not a
   * second map of a million keys).
   */
  repeatsSeen: Map<string, RepeatsSeen>;
  costSum: number;
  costKnown: number;
  unpriced: number;
  latencies: LatencyList;
}

/**
 * Folds case records into outcomes as they arrive (the runner can feed it live; readers feed it
 * a results.jsonl). A second record for the same suite/variant/case/repeat is ignored and
 * counted, so resumed or merged files never double-count.
 */
export class OutcomeAccumulator {
  private variants = new Map<string, VariantAcc>();
  duplicates = 0;

  add(rec: CaseRecord): boolean {
    const vkey = `${rec.suite}\u0000${rec.variant}`;
    let acc = this.variants.get(vkey);
    if (!acc) {
      acc = { suite: rec.suite, variant: rec.variant, models: new Set(), prompts: new Set(), cases: new CaseOutcomeTable(), repeatsSeen: new Map(), costSum: 0, costKnown: 0, unpriced: 0, latencies: new LatencyList() };
      this.variants.set(vkey, acc);
    }
    const known = acc.cases.has(rec.caseId);
    const seen = markSeen(acc.repeatsSeen.get(rec.caseId) ?? (known ? REPEAT_0_ONLY : 0), rec.repeat);
    if (seen === undefined) {
      this.duplicates++;
      return false;
    }
    if (seen !== REPEAT_0_ONLY) acc.repeatsSeen.set(rec.caseId, seen);
    if (rec.model) acc.models.add(rec.model);
    if (rec.prompt?.hash) acc.prompts.add(`${rec.prompt.name}@${rec.prompt.version}#${rec.prompt.hash}`);
    acc.cases.addSample(rec.caseId, known ? null : caseContentHash(rec.vars ?? {}, rec.expected), {
      pass: rec.pass && !rec.error,
      error: Boolean(rec.error),
      score: Number.isFinite(rec.score) ? rec.score : 0,
    });
    if (rec.costUsd != null) {
      acc.costSum += rec.costUsd;
      acc.costKnown++;
    } else if (rec.output != null) acc.unpriced++;
    if (rec.latencyMs != null && !rec.cached) acc.latencies.push(rec.latencyMs);
    return true;
  }

  /** The outcomes so far, in first-seen order of suite × variant. */
  variantsOutcomes(): VariantOutcomes[] {
    return [...this.variants.values()].map((acc) => {
      const sorted = acc.latencies.sorted();
      const fingerprint: VariantFingerprint = {
        ...EMPTY_FINGERPRINT,
        dataset: datasetHashOf(acc.cases),
        prompt: acc.prompts.size ? [...acc.prompts].sort().join(' + ') : null,
        model: acc.models.size ? [...acc.models].sort().join(' + ') : null,
      };
      return {
        suite: acc.suite,
        variant: acc.variant,
        model: fingerprint.model,
        fingerprint,
        cases: acc.cases,
        meanCostUsd: acc.costKnown > 0 && acc.unpriced === 0 ? acc.costSum / acc.costKnown : acc.costKnown === 0 && acc.unpriced === 0 && acc.cases.size > 0 ? 0 : null,
        latencyMs: { p50: percentile(sorted, 50), p95: percentile(sorted, 95) },
      };
    });
  }
}

/**
 * Reads a run folder's outcomes: results.jsonl streamed, fingerprints completed from
 * report.json (graders, judge models and params are known only to the runner), the shard from
 * run.json.
 */
export async function readRunOutcomes(runDir: string): Promise<OutcomeSet> {
  const acc = new OutcomeAccumulator();
  const file = path.join(runDir, RESULTS_FILE);
  let bad = 0;
  for await (const rec of readCaseRecords(file, () => bad++)) acc.add(rec);

  let runId = path.basename(runDir);
  let shard: Shard | null = null;
  const metaFile = path.join(runDir, RUN_META_FILE);
  if (existsSync(metaFile)) {
    const meta = JSON.parse(await readFile(metaFile, 'utf8')) as RunMeta;
    runId = meta.runId ?? runId;
    const s = (meta.options as { shard?: Shard } | undefined)?.shard;
    if (s && Number.isInteger(s.index) && Number.isInteger(s.total) && s.total > 1) shard = { index: s.index, total: s.total };
  }
  const set = runOutcomeSet(acc, { runId, shard, file, unreadable: bad });
  const reportFile = path.join(runDir, REPORT_FILE);
  if (existsSync(reportFile)) {
    const report = await readReport(runDir);
    for (const v of set.variants) {
      const summary = report.suites?.find((s) => s.name === v.suite)?.variants.find((x) => x.name === v.variant);
      // The case lines are the truth for what ran (dataset, prompt, model); the runner adds the rest.
      if (summary?.fingerprint) v.fingerprint = mergeFingerprints(v.fingerprint, mergeFingerprints(summary.fingerprint, EMPTY_FINGERPRINT));
    }
  }
  return set;
}

/**
 * A run's outcomes from an accumulator fed with its newest case records: the same set
 * `readRunOutcomes` reads back from the folder, for a runner that fed it as it wrote them (no
 * second pass over results.jsonl).
 */
export function runOutcomeSet(acc: OutcomeAccumulator, run: { runId: string; shard?: Shard | null; file: string; unreadable: number }): OutcomeSet {
  const shard = run.shard && run.shard.total > 1 ? { index: run.shard.index, total: run.shard.total } : null;
  return {
    label: `run ${run.runId}`,
    source: 'run',
    runId: run.runId,
    shard,
    variants: acc.variantsOutcomes(),
    skippedLines: { file: run.file, unreadable: run.unreadable, duplicate: acc.duplicates },
  };
}

/** Cases a runner gathers outcomes for as it writes them; beyond this, the statistics read results.jsonl back. */
export const LIVE_OUTCOMES_MAX = 100_000;

/**
 * The outcomes a runner gathers while it writes results.jsonl, so a run of up to `max` records
 * needs no second pass over the file at its end. Beyond `max` the gathered outcomes are dropped
 * and `set()` says to read the file instead: a million per-case entries held through a run made
 * V8 grow the heap by about 380 MB when each was an object (bench/RESULTS.md); they are columns
 * now (caseOutcomeTable.ts), and the bound keeps a huge run's heap flat all the same.
 */
export class LiveOutcomes {
  private acc: OutcomeAccumulator | undefined = new OutcomeAccumulator();
  private records = 0;
  /** Second records for the same case seen while gathering. */
  duplicates = 0;

  constructor(private readonly max = LIVE_OUTCOMES_MAX) {}

  add(rec: CaseRecord): void {
    if (this.acc === undefined) return;
    if (++this.records > this.max) {
      this.acc = undefined;
      return;
    }
    if (!this.acc.add(rec)) this.duplicates++;
  }

  /** The outcome set (see `runOutcomeSet`), or undefined when the run outgrew `max`: read results.jsonl then. */
  set(run: { runId: string; shard?: Shard | null; file: string; unreadable: number }): OutcomeSet | undefined {
    const acc = this.acc;
    this.acc = undefined;
    return acc && runOutcomeSet(acc, run);
  }
}

/**
 * Adds `repeats` (pass probability, pass@k, pass^k, flaky cases) and `fingerprint` to report.json's
 * variant summaries, and completes the outcomes' fingerprints with the config-side fields
 * (graders, judge models, params) so a comparison made from them checks those too. The case
 * lines stay the truth for dataset, prompt and model; `configFingerprints` gives the rest (the
 * runner computes it with `variantFingerprint`).
 */
export function annotateSummaries(suites: SuiteSummary[], outcomes: VariantOutcomes[], configFingerprints?: (suite: string, variant: string) => VariantFingerprint | undefined): void {
  for (const o of outcomes) {
    const fromConfig = configFingerprints?.(o.suite, o.variant);
    // Case lines win for what they record; the config wins for the rest (a stale report.json must not).
    if (fromConfig) o.fingerprint = mergeFingerprints({ dataset: o.fingerprint.dataset, prompt: o.fingerprint.prompt, model: o.fingerprint.model }, fromConfig);
  }
  for (const s of suites) {
    for (const v of s.variants) {
      const o = outcomes.find((x) => x.suite === s.name && x.variant === v.name);
      if (o) {
        v.repeats = repeatStats(passCounts(o.cases));
        // With repeats, samples of a case are not independent: the interval counts cases, not samples.
        const interval = casePassRateInterval(o.cases.values());
        if (interval.cases > 0) {
          v.passRateCI95 = interval.ci95;
          v.passRateInterval = { method: interval.method, cases: interval.cases, samples: interval.samples };
        }
        v.fingerprint = o.fingerprint;
      } else {
        const fromConfig = configFingerprints?.(s.name, v.name);
        if (fromConfig) v.fingerprint = fromConfig;
      }
    }
  }
}

/** The cases' pass counts as a re-iterable view (repeatStats reads it twice), without copying them. */
function passCounts(cases: ReadonlyMap<string, CaseOutcome>): Iterable<CasePassCount> {
  return {
    *[Symbol.iterator]() {
      for (const [caseId, c] of cases) yield { caseId, passes: c.passes, n: c.n };
    },
  };
}
