import path from 'node:path';
import { buildRunReport } from '../results/report.js';
import { createGraderEnv } from '../graders/env.js';
import type { CaseRecord, PromptTemplate, RenderedPrompt, ResolvedConfig } from '../types.js';
import { UsageError } from '../errors.js';
import { PromptRenderer } from '../prompts/render.js';
import { loadPromptTemplate } from '../prompts/loader.js';
import { createModelCaller } from '../execute/caller.js';
import { SummaryBuilder } from '../results/summary.js';
import { RESULTS_FILE, readCaseRecords, readRunMeta, resolveRunDir } from '../results/store.js';
import { openRunFolder } from './runFolder.js';
import { decideGate } from './decideGate.js';
import { UnmeasuredCases, exitCodeOf } from '../gate/unmeasured.js';
import { graderScope } from '../graders/scope.js';
import { gradeOutput } from './gradeOutput.js';
import { regradeStoredConversation } from './conversation/case.js';
import { createSuiteGraders, type RunOutcome } from './runEval.js';
import type { Reporter, ReportFormat } from '../reporters/types.js';
import { ReporterHub } from '../reporters/hub.js';
import { recordRedactor } from '../results/redact.js';
import { LiveOutcomes } from '../results/outcomes.js';
import type { RedactMode } from '../config/redactMode.js';
import { registerSecretsFromEnv } from '../util/secrets.js';

/** The first line of an error's message, for a one-line warning. */
function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}

export interface RescoreOptions {
  config: ResolvedConfig;
  /** The run to re-grade: id, folder or `latest`. */
  run: string;
  outDir?: string;
  formats?: ReportFormat[];
  reporters?: Reporter[];
  env?: NodeJS.ProcessEnv;
}

/**
 * Re-grades a stored run's outputs with the suites' current graders, into a new run folder (the
 * original is never touched). No candidate model is called: only judges, if a grader has one.
 * Cases that errored at the model keep their error.
 */
export async function rescore(opts: RescoreOptions): Promise<RunOutcome> {
  const { config } = opts;
  const env = opts.env ?? process.env;
  registerSecretsFromEnv(env, Object.values(config.models).flatMap((m) => (m.apiKeyEnv ? [m.apiKeyEnv] : [])));
  const outDir = path.resolve(opts.outDir ?? config.outDir);
  const sourceDir = await resolveRunDir(opts.run, outDir);
  const sourceMeta = await readRunMeta(sourceDir).catch(() => ({ runId: path.basename(sourceDir) }));
  // A run that was redacted stays redacted; a suite that asks for it now is redacted too.
  const storedRedact = 'options' in sourceMeta ? (sourceMeta.options['redact'] as RedactMode | undefined) : undefined;
  const warnings: string[] = [];
  const warn = (m: string): void => {
    if (!warnings.includes(m)) warnings.push(m);
  };
  // A reporter that throws becomes a warning; it never stops the rescore.
  const hub = new ReporterHub(opts.reporters ?? [], warn);

  const renderer = new PromptRenderer({ promptsDir: config.promptsDir });
  const caller = createModelCaller({ config, cache: config.defaults.cache, concurrency: config.defaults.concurrency, env, onWarning: warn });
  const graderEnv = createGraderEnv(config, renderer, caller, warn);
  const graders = new Map<string, Awaited<ReturnType<typeof createSuiteGraders>>>();
  for (const s of config.suites) graders.set(s.name, await createSuiteGraders(s, graderEnv));

  // Graders that read the prompt (leak checks, judges, tool-args-valid, scripts) see the prompt as
  // the template renders it now: re-rendered for each case from the row's stored vars. When the
  // template changed since the run, or no longer loads or renders, a warning says so once per
  // template (the stored outputs were made from the text the run rendered).
  const templates = new Map<string, PromptTemplate | null>();
  const warnedPrompts = new Set<string>();
  const warnOnce = (ref: string, message: string): void => {
    if (warnedPrompts.has(ref)) return;
    warnedPrompts.add(ref);
    warn(message);
  };
  async function promptOf(rec: CaseRecord): Promise<RenderedPrompt> {
    const ref = `${rec.prompt.name}@${rec.prompt.version}`;
    let tpl = templates.get(ref);
    if (tpl === undefined) {
      tpl = await loadPromptTemplate(config.promptsDir, ref).catch((err: unknown) => {
        warnOnce(ref, `prompt ${ref} cannot be loaded (${firstLine(err)}): graders that read the prompt see no prompt text`);
        return null;
      });
      templates.set(ref, tpl);
    }
    if (tpl) {
      if (tpl.hash !== rec.prompt.hash) {
        warnOnce(`${ref}#changed`, `prompt ${ref} changed since run ${sourceMeta.runId}: graders that read the prompt see its current text, not the one the outputs were made from`);
      }
      try {
        return renderer.render(tpl, rec.vars);
      } catch (err) {
        warnOnce(`${ref}#render`, `prompt ${ref} no longer renders for case ${rec.caseId} (${firstLine(err)}): graders that read the prompt see no prompt text there`);
      }
    }
    return { ...rec.prompt, messages: [] };
  }

  const folder = await openRunFolder({
    outDir,
    meta: {
      configFile: config.file,
      configHash: config.hash,
      options: storedRedact ? { redact: storedRedact } : {},
      derivedFrom: { kind: 'rescore', runs: [sourceMeta.runId] },
    },
  });
  const { runId, dir, createdAt } = folder;
  const writer = folder.writer();
  const redact = recordRedactor(config.suites, storedRedact);
  const summary = new SummaryBuilder();
  const unmeasured = new UnmeasuredCases();
  // The statistics' per-case outcomes, gathered as records are written (results/outcomes.ts).
  const outcomes = new LiveOutcomes();
  const skippedSuites = new Set<string>();
  let count = 0;
  try {
    for await (const rec of readCaseRecords(path.join(sourceDir, RESULTS_FILE))) {
      const suiteGraders = graders.get(rec.suite);
      if (!suiteGraders) {
        skippedSuites.add(rec.suite);
        continue;
      }
      let next: CaseRecord = rec;
      if (rec.output != null && !(rec.error && rec.error.kind !== 'grader')) {
        const row = { id: rec.caseId, vars: rec.vars, expected: rec.expected, tags: rec.tags, source: { file: RESULTS_FILE, line: 0 } };
        const conversation = regradeStoredConversation(rec);
        const graded = conversation.combine(await gradeOutput(suiteGraders, {
          ...conversation.context,
          output: rec.output,
          toolCalls: rec.toolCalls,
          row,
          scope: graderScope(row, rec.output, {}, rec.transcript),
          prompt: await promptOf(rec),
          suite: rec.suite,
          variant: rec.variant,
          model: rec.model,
          costUsd: rec.costUsd,
          latencyMs: rec.latencyMs,
          tokens: rec.tokens ?? undefined,
        }));
        next = { ...rec, pass: graded.pass, score: graded.score, grades: graded.grades, judgeCostUsd: graded.judgeCostUsd, error: graded.error };
      }
      next = redact(next);
      const stored = writer.append(next);
      summary.add(next);
      unmeasured.add(next);
      outcomes.add(stored);
      count++;
      hub.emit('onCaseResult', next);
    }
  } finally {
    await writer.close();
    await caller.close();
    await hub.flush();
  }
  if (count === 0 && skippedSuites.size === 0) throw new UsageError(`Run ${sourceMeta.runId} has no stored cases to rescore.`);
  for (const s of skippedSuites) warn(`suite "${s}" is no longer in the config; its cases were left out`);

  const summaries = summary.suites();
  const ranSuites = config.suites.filter((s) => summaries.some((x) => x.name === s.name));
  const decided = await decideGate({
    runDir: dir,
    config,
    suites: ranSuites,
    summaries,
    unmeasured,
    outcomes: outcomes.set({ runId, file: folder.resultsFile, unreadable: 0 }),
    warn,
  });
  const report = buildRunReport({
    runId,
    createdAt,
    status: 'completed',
    config: { hash: config.hash, file: config.file },
    gate: decided.gate,
    suites: summaries,
    warnings,
    extra: { rescoredFrom: sourceMeta.runId },
  });
  await folder.finish({
    report,
    status: 'completed',
    formats: opts.formats ?? ['json', 'html', 'junit', 'md'],
    reporters: opts.reporters ?? [],
    warn,
    eachCaseOnce: outcomes.duplicates === 0,
  });
  return { runId, dir, report, verdict: report.gate, status: 'completed', exitCode: exitCodeOf('completed', report.gate) };
}
