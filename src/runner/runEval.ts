import path from 'node:path';
import { retirementWarnings } from '../cost/retirements.js';
import { buildRunReport } from '../results/report.js';
import { createGraderEnv } from '../graders/env.js';
import { setMaxListeners } from 'node:events';
import { access, constants, mkdir, stat } from 'node:fs/promises';
import { UsageError, RunAbortedError, LlmEvalError, isStop } from '../errors.js';
import type {
  CacheMode,
  CaseRecord,
  EvalCase,
  GateVerdict,
  Grader,
  ResolvedConfig,
  ResolvedModel,
  RunReport,
  RunStatus,
} from '../types.js';
import { PromptRenderer } from '../prompts/render.js';
import { createModelCaller } from '../execute/caller.js';
import { assertBudgetEnforceable } from '../execute/budget.js';
import { createSuiteGraders } from '../graders/suiteGraders.js';
import { attachPairwise, pairwiseForRun } from '../graders/judge/pairwise/forRun.js';
import { caseKey } from '../plan/caseKey.js';
import { isTransientFailure } from '../results/transient.js';
import type { Shard } from '../plan/shard.js';
import { expandCases } from '../plan/expand.js';
import { prepareSuites, type PreparedSuite } from './prepare.js';
import { openRunFolder, type RunFolder } from './runFolder.js';
import { writePromptTexts } from '../results/promptTexts.js';
import { checkResumeFingerprint, checkResumeFlags, runFingerprints } from './resumeCheck.js';
import { preflightModels } from './preflight.js';
import { runPool } from './pool.js';
import { BUDGET_STOP_KIND, runCase, type CaseRunContext } from './runCase.js';
import { SummaryBuilder } from '../results/summary.js';
import { LiveOutcomes } from '../results/outcomes.js';
import { RESULTS_FILE, newRunId, readCaseRecords, readRunMeta, repairTornTail, resolveRunDir, type RunMeta } from '../results/store.js';
import { runIncomplete } from '../gate/decide.js';
import { decideGate } from './decideGate.js';
import { UnmeasuredCases, exitCodeOf } from '../gate/unmeasured.js';
import type { Reporter, ReportFormat } from '../reporters/types.js';
import { recordRedactor } from '../results/redact.js';
import type { RedactMode } from '../config/redactMode.js';
import { ReporterHub } from '../reporters/hub.js';
import { formatUsd } from '../reporters/format.js';
import { registerSecretsFromEnv } from '../util/secrets.js';
import { modelLabel } from '../providers/label.js';
import { BatchPendingError, type BatchRunProgress } from '../execute/batch/batchCall.js';
import { PendingCases } from './pendingCases.js';
import { batchModels } from './batchModels.js';

export interface RunOptions {
  config: ResolvedConfig;
  suites?: string[];
  variants?: string[];
  filter?: string;
  repeat?: number;
  concurrency?: number;
  maxCostUsd?: number;
  cache?: CacheMode;
  /** Reports folder (default: the config's `reports/`). */
  outDir?: string;
  /** Files to render besides report.json (always written). Default: all. */
  formats?: ReportFormat[];
  /** A baseline file to compare against (regression gate). */
  baseline?: string;
  /** Continue a run: its id, folder, or `latest`. */
  resume?: string;
  /** Mask personal data in every written artifact of every suite (else per suite `redact:`). */
  redact?: RedactMode;
  shard?: Shard;
  reporters?: Reporter[];
  /** Aborting it stops starting cases; in-flight calls get `graceMs` to finish. */
  signal?: AbortSignal;
  graceMs?: number;
  env?: NodeJS.ProcessEnv;
  /**
   * Provider batch mode (execute/batch/): `all` sends every batch-capable model's uncached calls
   * as batches (`run --batch`; models with `batch: true` always are); `wait` polls until they
   * end, else the run stops after submitting with status `batch-pending` (exit 3).
   */
  batch?: { all?: boolean; wait?: boolean; onProgress?(p: BatchRunProgress): void };
}

export interface RunOutcome {
  runId: string;
  dir: string;
  report: RunReport;
  verdict: GateVerdict;
  status: RunStatus;
  /** 0 gates passed, 1 a gate failed, 3 the run could not finish or could not measure some cases (gate/unmeasured.ts). */
  exitCode: 0 | 1 | 3;
}

const ALL_FORMATS: ReportFormat[] = ['json', 'html', 'junit', 'md'];

/** The options a resumed run takes from the run it continues, so it finishes the same work. */
interface StoredRunOptions {
  suites?: string[];
  variants?: string[];
  filter?: string;
  repeat?: number;
  shard?: Shard;
  baseline?: string;
  redact?: RedactMode;
  /** Started with `--batch`: a resume collects and submits in batch mode too. */
  batch?: boolean;
}

/**
 * Runs the selected suites: validates everything first (nothing is called on bad input), then
 * expands rows × variants × repeats and runs them with bounded concurrency, appending each
 * finished case to results.jsonl; then summarises, gates and renders reports. Prints nothing
 * and never exits: reporters print, the CLI maps the outcome to an exit code.
 */
export async function runEval(opts: RunOptions): Promise<RunOutcome> {
  const held: { folder?: RunFolder } = {};
  try {
    return await runLocked(opts, held);
  } finally {
    await held.folder?.release();
  }
}

/** runEval's body; it opens and locks the run folder into `held` before writing to it. */
async function runLocked(opts: RunOptions, held: { folder?: RunFolder }): Promise<RunOutcome> {
  const { config } = opts;
  const env = opts.env ?? process.env;
  registerSecretsFromEnv(env, Object.values(config.models).flatMap((m) => (m.apiKeyEnv ? [m.apiKeyEnv] : [])));
  const outDir = path.resolve(opts.outDir ?? config.outDir);
  const reporters = opts.reporters ?? [];
  const warnings: string[] = [];
  const warn = (message: string): void => {
    if (warnings.includes(message)) return;
    warnings.push(message);
    hub.emit('onWarning', message);
  };
  // A reporter that throws becomes a warning; it never stops the run.
  const hub = new ReporterHub(reporters, warn);
  for (const w of retirementWarnings(Object.values(config.models))) warn(w);

  // ---- resume: the run folder, the options it was started with, and what it finished
  let runId: string;
  let dir: string;
  let createdAt: string;
  let stored: StoredRunOptions = {};
  let resumedMeta: RunMeta | undefined;
  if (opts.resume) {
    dir = await resolveRunDir(opts.resume, outDir);
    const meta = await readRunMeta(dir);
    runId = meta.runId;
    createdAt = meta.createdAt;
    stored = meta.options as StoredRunOptions;
    checkResumeFlags(meta, { shard: opts.shard, repeat: opts.repeat, cache: opts.cache });
    resumedMeta = meta;
  } else {
    runId = newRunId();
    createdAt = new Date().toISOString();
    dir = path.join(outDir, runId);
  }
  const selection: StoredRunOptions = opts.resume
    ? stored
    : { suites: opts.suites, variants: opts.variants, filter: opts.filter, repeat: opts.repeat, shard: opts.shard, baseline: opts.baseline, redact: opts.redact, ...(opts.batch?.all ? { batch: true } : {}) };
  const batchAll = selection.batch === true || opts.batch?.all === true;
  // Ctrl-C stops waiting on provider batches at once: they keep running and a resume collects them.
  const stopWaiting = new AbortController();

  // ---- validate everything before any call
  const renderer = new PromptRenderer({ promptsDir: config.promptsDir });
  const prepared = await prepareSuites(config, selection, renderer);
  if (prepared.length === 0) throw new UsageError('Nothing to run: the selection matches no suite.');
  if (resumedMeta) await checkResumeFingerprint(resumedMeta, config, prepared.map((p) => p.suite), path.join(dir, RESULTS_FILE));
  await ensureWritable(outDir);
  if (opts.maxCostUsd !== undefined) assertBudgetEnforceable(config, prepared.map((p) => p.suite));
  const cacheMode = opts.cache ?? config.defaults.cache;
  if (cacheMode === 'on' || cacheMode === 'refresh') await ensureCacheWritable(config.cacheDir);
  // Every model the run uses can be set up (script modules load, keys are set): else exit 2 now.
  await preflightModels(config, prepared.map((p) => p.suite), { env, keys: true, cache: cacheMode });

  const batched = batchModels(config, prepared.map((p) => p.suite), batchAll);
  const batchMode = batched.all || batched.models.size > 0;
  const caller = createModelCaller({
    config,
    cache: opts.cache ?? config.defaults.cache,
    maxCostUsd: opts.maxCostUsd,
    concurrency: opts.concurrency ?? config.defaults.concurrency,
    env,
    onWarning: warn,
    batch: batchMode
      ? {
          runDir: dir,
          all: batched.all,
          models: batched.models,
          wait: opts.batch?.wait === true,
          pollMs: config.defaults.batchPollMs ?? 30_000,
          retry: config.defaults.batchRetry ?? 'interactive',
          maxRequests: config.defaults.batchMaxRequests,
          maxBytes: config.defaults.batchMaxBytes,
          signal: stopWaiting.signal,
          onProgress: opts.batch?.onProgress,
        }
      : undefined,
  });
  const graderEnv = createGraderEnv(config, renderer, caller, warn);
  const gradersBySuite = new Map<string, Grader[]>();
  for (const p of prepared) gradersBySuite.set(p.suite.name, await createSuiteGraders(p.suite, graderEnv));

  // ---- the run folder (runner/runFolder.ts). One process per run folder: a second `--resume`
  // of it is refused (exit 2) before any call. `latest` names this run from its start, so
  // `--resume latest` after a crash continues it rather than the last run that happened to finish.
  const folder = (held.folder = await openRunFolder({
    outDir,
    runId,
    createdAt,
    dir: opts.resume ? dir : undefined,
    lock: true,
    latest: 'start',
    meta: {
      configFile: config.file,
      configHash: config.hash,
      options: { ...selection, cache: opts.cache ?? config.defaults.cache, maxCostUsd: opts.maxCostUsd, concurrency: opts.concurrency },
      fingerprints: runFingerprints(config, prepared.map((p) => p.suite)),
    },
  }));
  // The template texts, so report.html can diff a prompt whose hash changed against the baseline.
  await writePromptTexts(folder.dir, prepared.map((p) => p.suite));
  const resultsFile = folder.resultsFile;
  const summary = new SummaryBuilder();
  const unmeasured = new UnmeasuredCases();
  // The per-case outcomes the statistics need, gathered as records are written (up to 100,000): no second pass over results.jsonl.
  const outcomes = new LiveOutcomes();
  let unreadableLines = 0;
  for (const p of prepared) declareVariants(summary, p, config.models);
  const finished = new Set<string>();
  /** Cases whose newest record is a transient failure (outage, 429, timeout): run again; kept if not. */
  const retried = new Map<string, CaseRecord>();
  if (opts.resume) {
    await repairTornTail(resultsFile);
    for await (const rec of readCaseRecords(resultsFile, () => unreadableLines++)) {
      const key = caseKey(rec.suite, rec.variant, rec.caseId, rec.repeat);
      if (isTransientFailure(rec)) {
        retried.set(key, rec);
        continue;
      }
      finished.add(key);
      summary.add(rec);
      unmeasured.add(rec);
      outcomes.add(rec);
    }
  }

  const totalCases = prepared.reduce((n, p) => n + p.rows * p.suite.variants.length * p.suite.repeat, 0);
  await hub.emitInOrder('onRunStart', {
      runId,
      runDir: dir,
      totalCases,
      resumedCases: finished.size,
      suites: prepared.map((p) => ({ name: p.suite.name, variants: p.suite.variants.map((v) => v.name), rows: p.rows, repeat: p.suite.repeat })),
  });

  // ---- execute: stop starting on interrupt, budget or a provider that is down
  const hardStop = new AbortController();
  // Every call in flight listens on it (one listener each, removed when the call ends): no leak,
  // so no MaxListenersExceededWarning at any concurrency.
  setMaxListeners(0, hardStop.signal);
  let status = 'completed' as RunStatus;
  let stopReason: string | undefined;
  const stop = (why: RunStatus, reason: string): void => {
    if (status !== 'completed') return;
    status = why;
    stopReason = reason;
  };
  const onAbort = (): void => {
    stop('interrupted', 'interrupted');
    stopWaiting.abort();
    const timer = setTimeout(() => hardStop.abort(), opts.graceMs ?? 10_000);
    timer.unref();
  };
  if (opts.signal?.aborted) onAbort();
  else opts.signal?.addEventListener('abort', onAbort, { once: true });

  const writer = folder.writer();
  // Records are masked before anything sees them: results.jsonl, the terminal, and every report
  // rendered from results.jsonl.
  const redact = recordRedactor(prepared.map((p) => p.suite), selection.redact);
  const ctx: CaseRunContext = {
    config,
    renderer,
    caller,
    graders: gradersBySuite,
    variants: new Map(prepared.flatMap((p) => p.suite.variants.map((v) => [`${p.suite.name}\u0000${v.name}`, v] as const))),
    suites: new Map(prepared.map((p) => [p.suite.name, p])),
    signal: hardStop.signal,
    canaries: new Map(),
    graderEnv,
  };
  const cases = expandCases(prepared, selection, (c: EvalCase) => !finished.has(c.key));

  try {
    // Batch mode goes in passes with the same bounded lanes: the first releases each case once its
    // request is queued (execute/batch/batchCall.ts); the queues are then submitted; with --wait,
    // the next pass runs the cases left pending, each collecting its answer (and queueing its
    // judges' requests: a second phase), until none is pending or nothing new was submitted.
    const lanes = opts.concurrency ?? config.defaults.concurrency;
    const batch = caller.batch;
    await batch?.resolve();
    let source = cases;
    for (;;) {
      batch?.newPass();
      const pendingCases = new PendingCases();
      const submittedBefore = batch?.submitted ?? 0;
      await runPool(source, lanes, () => status !== 'completed', async (c) => {
        hub.emit('onCaseStart', c);
        let record: CaseRecord;
        try {
          record = redact(await runCase(c, ctx));
        } catch (err) {
          // A budget stop stops the run; an interrupted case is not finished: a resume runs it.
          if (err instanceof BatchPendingError) pendingCases.add(c);
          if (isStop(err)) return err instanceof RunAbortedError ? stop('budget-exceeded', err.message) : undefined;
          throw err;
        }
        const stored = writer.append(record);
        retried.delete(c.key);
        summary.add(record);
        unmeasured.add(record);
        outcomes.add(stored);
        hub.emit('onCaseResult', record);
        if (record.error?.kind === BUDGET_STOP_KIND) stop('budget-exceeded', record.error.message.replace(/^not graded: /, ''));
        const down = caller.providerDown?.();
        if (down) stop('provider-down', down);
      });
      if (!batch) break;
      await batch.flush();
      if (!opts.batch?.wait || pendingCases.size === 0 || status !== 'completed' || batch.submitFailed || batch.submitted === submittedBefore) break;
      source = expandCases(prepared, selection, (c: EvalCase) => pendingCases.has(c));
    }
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    await writer.close();
    await caller.close();
    await hub.flush();
  }
  const pendingCalls = caller.batchPending();
  if (pendingCalls > 0) {
    const how = `collect them with \`llm-eval batch collect ${runId}\` (or \`llm-eval run --resume ${runId} --wait\`)`;
    if (status === 'completed') {
      const reason = `${pendingCalls} calls wait on provider batches still running; ${how}`;
      stop('batch-pending', reason);
      warn(reason);
    } else warn(`${pendingCalls} calls wait on provider batches that keep running; ${how}`);
  }
  // A transient failure not run again (the run stopped first) still stands as the case's result.
  for (const rec of retried.values()) {
    summary.add(rec);
    unmeasured.add(rec);
    outcomes.add(rec);
  }
  if (stopReason && status !== 'interrupted' && status !== 'batch-pending') warn(`run stopped: ${stopReason}${status === 'budget-exceeded' ? spentInAll(caller.spend()) : ''}`);
  for (const m of caller.replayMisses?.() ?? []) warn(m);

  // ---- pairwise judges compare variants over the finished results (graders/judge/pairwise)
  const pairwise =
    status === 'completed'
      ? await pairwiseForRun(dir, prepared.map((p) => p.suite), graderEnv, { concurrency: opts.concurrency ?? config.defaults.concurrency, signal: opts.signal })
      : undefined;
  await caller.close();
  if (pairwise?.stopped) {
    stop(caller.providerDown() ? 'provider-down' : pairwise.stopped.status, pairwise.stopped.reason);
    if (status !== 'interrupted') warn(`run stopped: ${pairwise.stopped.reason}${status === 'budget-exceeded' ? spentInAll(caller.spend()) : ''}`);
  }

  // ---- summarise, gate, report
  const suites = summary.suites();
  const decided = await decideGate({
    runDir: dir,
    config,
    suites: prepared.map((p) => p.suite),
    summaries: suites,
    baseline: selection.baseline,
    pairwise: pairwise?.bySuite,
    unmeasured,
    outcomes: outcomes.set({ runId, shard: selection.shard, file: resultsFile, unreadable: unreadableLines }),
    incomplete: status === 'completed' ? [] : [runIncomplete(runId, stopReason ?? status)],
    warn,
  });
  const report = buildRunReport({ runId, createdAt, status, config: { hash: config.hash, file: config.file }, gate: decided.gate, suites, warnings, comparison: decided.comparison });
  if (pairwise) attachPairwise(report, pairwise);
  // A fresh run appended each case once: the reports skip the newest-record passes over results.jsonl.
  const eachCaseOnce = !opts.resume && retried.size === 0 && outcomes.duplicates === 0;
  await folder.finish({ report, status, formats: opts.formats ?? ALL_FORMATS, reporters, warn, eachCaseOnce });

  const exitCode = exitCodeOf(status, report.gate);
  return { runId, dir, report, verdict: report.gate, status, exitCode };
}

/** What a budget-stopped run spent in the end, calls in flight at the stop included. */
function spentInAll(spend: { candidateUsd: number; judgeUsd: number }): string {
  const total = spend.candidateUsd + spend.judgeUsd;
  return `; in all the run spent ${formatUsd(total)} (candidates ${formatUsd(spend.candidateUsd)}, judges ${formatUsd(spend.judgeUsd)})`;
}

/** A suite's per-case graders (graders/suiteGraders.ts); exported here for rescore and the dry run. */
export { createSuiteGraders };

function declareVariants(summary: SummaryBuilder, p: PreparedSuite, models: Record<string, ResolvedModel>): void {
  for (const v of p.suite.variants) {
    summary.declare({
      suite: p.suite.name,
      variant: v.name,
      model: modelLabel(models[v.model]!),
      prompt: v.prompt.ref,
      promptHash: v.prompt.hash,
      labels: p.labels ? { known: p.labels.known, expectedOf: (r) => p.labels!.of({ vars: r.vars, expected: r.expected }) } : undefined,
    });
  }
}

/** The reports folder must be writable before any paid call is made. */
async function ensureWritable(outDir: string): Promise<void> {
  try {
    await mkdir(outDir, { recursive: true });
    await access(outDir, constants.W_OK);
  } catch (err) {
    throw new LlmEvalError('OUT_DIR', `Cannot write reports to ${outDir}: ${(err as Error).message}. Choose another folder with --out.`, 2);
  }
}

/**
 * Every paid answer goes to the response cache: a cache folder that cannot be written would lose
 * them, so it is reported before any call. Nothing is created here (a run whose models are all
 * local never needs the folder): the nearest existing ancestor must be a writable folder.
 */
async function ensureCacheWritable(cacheDir: string): Promise<void> {
  const fail = (why: string): LlmEvalError =>
    new LlmEvalError('CACHE_DIR', `Cannot write the response cache to ${cacheDir}: ${why}. Fix \`paths.cache\` in llm-eval.yaml, or run with --cache off.`, 2);
  for (let probe = path.resolve(cacheDir); ; probe = path.dirname(probe)) {
    let info;
    try {
      info = await stat(probe);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if ((code === 'ENOENT' || code === 'ENOTDIR') && path.dirname(probe) !== probe) continue;
      throw fail((err as Error).message);
    }
    if (!info.isDirectory()) throw fail(`${probe} is a file, not a folder`);
    try {
      await access(probe, constants.W_OK);
    } catch (err) {
      throw fail((err as Error).message);
    }
    return;
  }
}
