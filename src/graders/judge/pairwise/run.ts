import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { isStop } from '../../../errors.js';
import { RESULTS_FILE, readCaseRecords } from '../../../results/store.js';
import { redactDeep } from '../../../util/secrets.js';
import type { CaseRecord, GraderEnv, ResolvedSuite } from '../../../types.js';
import { graderName } from '../../name.js';
import { selfPreferenceWarner } from '../family.js';
import { JudgeError } from '../judgeError.js';
import type { PairwiseOptions } from '../options.js';
import { runGraderConfigs } from '../../suiteGraders.js';
import pairwise from '../../pairwise.js';
import { JudgeSpend } from '../spend.js';
import { createPairComparer, type PairComparer } from './compare.js';
import { addCost, addDecision, addError, emptySummary, finishSummary, type PairwiseSummary } from './tally.js';

export type { PairwiseOptions };

export interface RunPairwiseOptions {
  /** The variants that ran (a `--variant` selection); default all of the suite's. */
  variants?: string[];
  /** Comparisons in flight at once (each is two judge calls). Default 4. */
  concurrency?: number;
  signal?: AbortSignal;
  /**
   * Called with the summaries so far (their spend included) when a budget stop or an interrupt
   * ends the comparisons early; the stop is then thrown.
   */
  onStop?(partial: PairwiseSummary[]): void;
}

/** Per-case pairwise decisions, one JSON line each, beside results.jsonl: what a reviewer reads. */
export const PAIRWISE_FILE = 'pairwise.jsonl';

/** The variant pairs a pairwise grader compares: its `variants`, else every pair in config order. */
export function variantPairs(options: PairwiseOptions, variants: string[]): Array<[string, string]> {
  // The schema holds `variants` to exactly two (minItems, maxItems).
  if (options.variants) return [[options.variants[0]!, options.variants[1]!]];
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < variants.length; i++) for (let j = i + 1; j < variants.length; j++) pairs.push([variants[i]!, variants[j]!]);
  return pairs;
}

interface Job {
  grader: string;
  compare: PairComparer;
  pairs: Array<{ a: string; b: string; summary: PairwiseSummary }>;
}

/**
 * Runs a suite's pairwise graders over a finished run: streams results.jsonl, groups the case
 * records by (case, repeat), and as soon as a group holds every variant it needs, compares its
 * pairs (both orders each) and forgets it. Results are written roughly row-major, so only the
 * groups in flight sit in memory. Each decision is appended to pairwise.jsonl; the returned
 * summaries go into report.json as `suites[i].pairwise`.
 *
 * Judge calls go through `env.models` (the run's caller: cache, retries, budget, judge cost).
 * A case the judge cannot decide is counted as an error of its pair, never as a win.
 */
export async function runPairwise(runDir: string, suite: ResolvedSuite, env: GraderEnv, opts: RunPairwiseOptions = {}): Promise<PairwiseSummary[]> {
  const configs = runGraderConfigs(suite).filter(pairwise.accepts);
  if (configs.length === 0) return [];
  const ran = opts.variants ?? suite.variants.map((v) => v.name);
  const modelOf = new Map(suite.variants.map((v) => [v.name, v.model]));

  const jobs: Job[] = [];
  const summaries: PairwiseSummary[] = [];
  for (const options of configs) {
    const name = graderName(options);
    const { compare, rubricId } = await createPairComparer(options, env, name);
    const warnSelfPreference = selfPreferenceWarner(options.model, name, env.modelConfigs, env.warn);
    const job: Job = { grader: name, compare, pairs: [] };
    for (const [a, b] of variantPairs(options, ran)) {
      const summary = emptySummary(name, options.model, rubricId, a, b);
      summaries.push(summary);
      const absent = [a, b].filter((v) => !ran.includes(v));
      if (absent.length > 0) {
        summary.skipped = `variant ${absent.join(' and ')} did not run`;
        env.warn(`grader ${name}: ${a} vs ${b} not compared: ${summary.skipped}`);
        continue;
      }
      for (const v of [a, b]) warnSelfPreference(modelOf.get(v) ?? v);
      job.pairs.push({ a, b, summary });
    }
    if (job.pairs.length > 0) jobs.push(job);
  }
  const needed = new Set(jobs.flatMap((j) => j.pairs.flatMap((p) => [p.a, p.b])));
  if (needed.size === 0) return summaries.map(finishSummary);

  const log = createWriteStream(path.join(runDir, PAIRWISE_FILE), { flags: 'w' });
  const limit = Math.max(1, opts.concurrency ?? 4);
  const inflight = new Set<Promise<void>>();
  let stopping: unknown;

  const schedule = async (work: () => Promise<void>): Promise<void> => {
    while (inflight.size >= limit) await Promise.race(inflight);
    const p: Promise<void> = work().finally(() => inflight.delete(p));
    inflight.add(p);
  };

  const compareGroup = async (group: Map<string, CaseRecord>): Promise<void> => {
    const any = group.values().next().value as CaseRecord;
    for (const job of jobs) {
      for (const pair of job.pairs) {
        const ra = group.get(pair.a);
        const rb = group.get(pair.b);
        if (typeof ra?.output !== 'string' || typeof rb?.output !== 'string') {
          pair.summary.missing++;
          continue;
        }
        await schedule(async () => {
          if (stopping !== undefined) return;
          const spend = new JudgeSpend();
          const key = `${any.caseId}#${any.repeat}`;
          try {
            const decision = await job.compare(
              { caseId: any.caseId, vars: ra.vars, expected: ra.expected, tags: ra.tags, outputA: ra.output!, outputB: rb.output!, signal: opts.signal },
              spend,
            );
            addDecision(pair.summary, decision, key);
            log.write(`${JSON.stringify(redactDeep({ grader: job.grader, a: pair.a, b: pair.b, caseId: any.caseId, repeat: any.repeat, ...decision, costUsd: spend.costUsd }))}\n`);
          } catch (err) {
            if (isStop(err)) {
              stopping ??= err;
              return;
            }
            const message = err instanceof Error ? err.message : String(err);
            addError(pair.summary, any.caseId, any.repeat, message);
            log.write(`${JSON.stringify(redactDeep({ grader: job.grader, a: pair.a, b: pair.b, caseId: any.caseId, repeat: any.repeat, error: message, costUsd: spend.costUsd }))}\n`);
            if (!(err instanceof JudgeError) && process.env['LLM_EVAL_DEBUG']) console.error(err);
          } finally {
            addCost(pair.summary, spend.costUsd);
          }
        });
      }
    }
  };

  const groups = new Map<string, Map<string, CaseRecord>>();
  try {
    for await (const rec of readCaseRecords(path.join(runDir, RESULTS_FILE))) {
      if (stopping !== undefined) break;
      if (rec.suite !== suite.name || !needed.has(rec.variant)) continue;
      const key = `${rec.caseId}\u0000${rec.repeat}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = new Map()));
      if (!group.has(rec.variant)) group.set(rec.variant, rec);
      if (group.size === needed.size) {
        groups.delete(key);
        await compareGroup(group);
      }
    }
    // Groups still open lack a variant (a case not run for it, e.g. an interrupted run).
    for (const group of groups.values()) {
      if (stopping !== undefined) break;
      await compareGroup(group);
    }
    await Promise.all(inflight);
  } finally {
    await new Promise<void>((resolve) => log.end(resolve));
  }
  if (stopping !== undefined) {
    opts.onStop?.(summaries.map(finishSummary));
    throw stopping;
  }
  return summaries.map(finishSummary);
}
