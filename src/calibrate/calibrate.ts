import { ConfigError, LlmEvalError, RunAbortedError, UsageError, isStop, type Issue } from '../errors.js';
import { createGraderEnv } from '../graders/env.js';
import { createModelCaller } from '../execute/caller.js';
import { readDataset } from '../datasets/read.js';
import { PromptRenderer } from '../prompts/render.js';
import { graderName } from '../graders/name.js';
import judgeFactory from '../graders/judge.js';
import { DEFAULT_JUDGE_THRESHOLD, type JudgeOptions } from '../graders/judge/scoreGrader.js';
import { resolveRubric } from '../graders/judge/rubricSource.js';
import { runPool } from '../runner/pool.js';
import { agreementOf, confusionMatrix, describeKappa } from '../stats/agreement.js';
import type { CacheMode, ChatMessage, ConfusionMatrix, DatasetRow, GradeContext, GraderConfig, ModelCaller, ResolvedConfig, ResolvedSuite } from '../types.js';
import { parseHumanLabel, type HumanLabel } from './humanLabel.js';
import { graderScope } from '../graders/scope.js';

/**
 * `llm-eval calibrate`: does the suite's judge agree with people? Calibration rows are dataset
 * rows that carry the output a person labelled (`output`, a var or a flat column) and their
 * label (`human: pass|fail` or a 0..1 score). The judge grades each output as it would in a run;
 * the report gives accuracy, Cohen's kappa, the confusion matrix and every disagreement, so a
 * team can decide whether to gate CI on that judge.
 */

export interface CalibrateOptions {
  config: ResolvedConfig;
  suite: string;
  /** The judge to check: a grader name or its index in the suite's `graders` (from 0). Default: the suite's only judge. */
  grader?: string;
  cache?: CacheMode;
  /** Judge calls in flight at once (default: the config's concurrency). */
  concurrency?: number;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Call models through this instead of a new run pipeline (library users, tests). */
  caller?: ModelCaller;
  onWarning?(message: string): void;
}

export type Verdict = 'pass' | 'fail';

export interface Disagreement {
  id: string;
  /** Dataset line of the row. */
  line: number;
  human: Verdict;
  humanScore?: number;
  judge: Verdict;
  /** The judge's normalised score. */
  score: number;
  reasoning: string;
}

export interface CalibrationReport {
  suite: string;
  grader: string;
  judge: string;
  rubric: string;
  threshold: number;
  /** Rows in the dataset, rows with a human label, and rows the judge graded. */
  rows: number;
  labelled: number;
  judged: number;
  /** Share of judged rows where the judge and the human agree; null when none was judged. */
  accuracy: number | null;
  kappa: number | null;
  kappaCI95: [number, number] | null;
  /** Landis & Koch words for the kappa ("moderate", "substantial"...). */
  kappaMeaning: string;
  /** Rows: human verdict, columns: judge verdict, both in [pass, fail] order. */
  confusion: ConfusionMatrix;
  humanPassRate: number | null;
  judgePassRate: number | null;
  /** When the humans gave scores: mean |human score − judge score| over those rows. */
  scoreAgreement?: { n: number; meanAbsDiff: number };
  disagreements: Disagreement[];
  /** Rows the judge could not grade (no verdict): left out of the agreement. */
  errors: Array<{ id: string; line: number; message: string }>;
  costUsd: number | null;
  warnings: string[];
}

interface LabelledRow {
  row: DatasetRow;
  human: HumanLabel;
  output: string;
}

/** The judge grader of the suite that calibration checks. */
export function pickJudge(suite: ResolvedSuite, wanted?: string): { config: GraderConfig & JudgeOptions; index: number } {
  const judges = suite.graders.flatMap((g, index) => (judgeFactory.accepts(g) ? [{ config: g, index }] : []));
  const list = judges.map((j) => `${j.index}: ${graderName(j.config)}`).join(', ');
  if (judges.length === 0) throw new UsageError(`suite "${suite.name}" has no judge grader to calibrate (add one: { type: judge, model: ..., rubric: ... })`);
  if (wanted === undefined) {
    if (judges.length === 1) return judges[0]!;
    throw new UsageError(`suite "${suite.name}" has ${judges.length} judge graders: pick one with --grader NAME|INDEX (${list})`);
  }
  const byName = judges.find((j) => graderName(j.config) === wanted);
  if (byName) return byName;
  if (/^\d+$/.test(wanted)) {
    const byIndex = judges.find((j) => j.index === Number(wanted));
    if (byIndex) return byIndex;
  }
  throw new UsageError(`--grader ${wanted}: no such judge grader in suite "${suite.name}" (judges: ${list})`);
}

/** Reads the calibration rows: every row with a `human` label must carry a text `output`. */
async function readLabelledRows(suite: ResolvedSuite, threshold: number): Promise<{ rows: number; labelled: LabelledRow[] }> {
  const labelled: LabelledRow[] = [];
  const issues: Issue[] = [];
  let rows = 0;
  for await (const row of readDataset(suite.dataset)) {
    rows++;
    if (row.human === undefined || row.human === null || row.human === '') continue;
    const human = parseHumanLabel(row.human, threshold);
    if ('error' in human) issues.push({ file: row.source.file, line: row.source.line, message: `${human.error} (row ${row.id})` });
    const output = row.vars['output'];
    if (typeof output !== 'string') {
      issues.push({
        file: row.source.file,
        line: row.source.line,
        message: `row ${row.id} has a human label but no text \`output\`: a calibration row carries the output the human labelled (a var or column named output)`,
      });
    }
    if (!('error' in human) && typeof output === 'string') labelled.push({ row, human, output });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return { rows, labelled };
}

/** The prompt the suite's first variant would have sent for this row, for the judge's input; empty when it does not render. */
function promptFor(suite: ResolvedSuite, row: DatasetRow, renderer: PromptRenderer): ChatMessage[] {
  const template = suite.variants[0]?.prompt;
  if (!template) return [];
  try {
    return renderer.render(template, row.vars).messages;
  } catch {
    return [];
  }
}

export async function calibrate(opts: CalibrateOptions): Promise<CalibrationReport> {
  const { config } = opts;
  const suite = config.suites.find((s) => s.name === opts.suite);
  if (!suite) throw new UsageError(`--suite ${opts.suite}: no such suite (suites: ${config.suites.map((s) => s.name).join(', ')})`);
  const picked = pickJudge(suite, opts.grader);
  const options = picked.config;
  const name = graderName(picked.config);
  const threshold = options.threshold ?? DEFAULT_JUDGE_THRESHOLD;

  const { rows, labelled } = await readLabelledRows(suite, threshold);
  if (labelled.length === 0) {
    throw new UsageError(`suite "${suite.name}" has no calibration rows: give rows a human label (human: pass|fail or a 0..1 score) and the output it labels (output)`);
  }

  const warnings: string[] = [];
  const warn = (m: string): void => {
    if (warnings.includes(m)) return;
    warnings.push(m);
    opts.onWarning?.(m);
  };
  const renderer = new PromptRenderer({ promptsDir: config.promptsDir });
  const caller =
    opts.caller ??
    createModelCaller({ config, cache: opts.cache ?? config.defaults.cache, concurrency: opts.concurrency ?? config.defaults.concurrency, env: opts.env ?? process.env, onWarning: warn });
  const env = createGraderEnv(config, renderer, caller, warn);
  const grader = await judgeFactory.create(picked.config, env);

  const judged: Array<{ item: LabelledRow; pass: boolean; score: number; reasoning: string }> = [];
  const errors: CalibrationReport['errors'] = [];
  let costUsd: number | null = null;
  let stopped: unknown;
  try {
    await runPool(
      (async function* () {
        yield* labelled;
      })(),
      opts.concurrency ?? config.defaults.concurrency,
      () => stopped !== undefined || opts.signal?.aborted === true,
      async (item) => {
        const { row, output } = item;
        const ctx: GradeContext = {
          output,
          row,
          scope: graderScope(row, output),
          prompt: { name: 'calibration', version: '', hash: '', messages: promptFor(suite, row, renderer) },
          suite: suite.name,
          variant: '(calibration)',
          // No candidate model: a human-labelled output has no family to warn about.
          model: '',
          costUsd: null,
          latencyMs: 0,
          signal: opts.signal,
        };
        try {
          const grade = await grader.grade(ctx);
          if (grade.costUsd != null) costUsd = (costUsd ?? 0) + grade.costUsd;
          const reasoning = typeof grade.details?.['reasoning'] === 'string' ? (grade.details['reasoning'] as string) : grade.reason;
          judged.push({ item, pass: grade.pass, score: grade.score, reasoning });
        } catch (err) {
          if (isStop(err)) {
            stopped ??= err;
            return;
          }
          const spent = (err as { costUsd?: unknown }).costUsd;
          if (typeof spent === 'number') costUsd = (costUsd ?? 0) + spent;
          errors.push({ id: row.id, line: row.source.line, message: err instanceof Error ? err.message : String(err) });
          if (!(err instanceof LlmEvalError) && process.env['LLM_EVAL_DEBUG']) console.error(err);
        }
      },
    );
  } finally {
    if (!opts.caller) await (caller as { close?(): Promise<void> }).close?.();
  }
  if (stopped !== undefined) throw stopped;
  if (opts.signal?.aborted) throw new RunAbortedError('INTERRUPTED', `calibration interrupted after ${judged.length + errors.length} of ${labelled.length} rows; nothing was reported`);

  // Dataset order, whatever order the calls finished in.
  const order = new Map(labelled.map((l, i) => [l.row.id, i]));
  judged.sort((x, y) => order.get(x.item.row.id)! - order.get(y.item.row.id)!);
  errors.sort((x, y) => order.get(x.id)! - order.get(y.id)!);

  const verdict = (pass: boolean): Verdict => (pass ? 'pass' : 'fail');
  const labels: Verdict[] = ['pass', 'fail'];
  const matrix = confusionMatrix(labels, judged.map((j) => [verdict(j.item.human.pass), verdict(j.pass)] as const));
  const agreement = agreementOf(matrix);
  const n = judged.length;
  const scored = judged.filter((j) => j.item.human.score !== undefined);
  const report: CalibrationReport = {
    suite: suite.name,
    grader: name,
    judge: options.model,
    rubric: (await resolveRubric(options, env, name)).rubric.id,
    threshold,
    rows,
    labelled: labelled.length,
    judged: n,
    accuracy: n > 0 ? agreement.observed : null,
    kappa: agreement.kappa,
    kappaCI95: agreement.kappaCI95,
    kappaMeaning: n > 0 ? describeKappa(agreement.kappa) : 'no rows judged',
    confusion: { labels, matrix },
    humanPassRate: n > 0 ? judged.filter((j) => j.item.human.pass).length / n : null,
    judgePassRate: n > 0 ? judged.filter((j) => j.pass).length / n : null,
    disagreements: judged
      .filter((j) => j.pass !== j.item.human.pass)
      .map((j) => ({
        id: j.item.row.id,
        line: j.item.row.source.line,
        human: verdict(j.item.human.pass),
        ...(j.item.human.score !== undefined ? { humanScore: j.item.human.score } : {}),
        judge: verdict(j.pass),
        score: j.score,
        reasoning: j.reasoning,
      })),
    errors,
    costUsd,
    warnings,
  };
  if (scored.length > 0) {
    report.scoreAgreement = { n: scored.length, meanAbsDiff: scored.reduce((s, j) => s + Math.abs(j.item.human.score! - j.score), 0) / scored.length };
  }
  return report;
}
