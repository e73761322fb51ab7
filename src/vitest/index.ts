/**
 * `llm-eval/vitest`: llm-eval's graders and judges inside Vitest. Importing this module adds
 * the matchers; describeEval turns dataset rows into tests. Grading goes through the same
 * library as `llm-eval run`: grader options are validated the same way, judge calls use the
 * project's models, response cache and cost accounting (llm-eval.yaml is found from the current
 * folder up; without one, defaults apply).
 *
 *   import { describeEval } from 'llm-eval/vitest';
 *   await expect(output).toPassGrader({ type: 'json-schema', schema });
 *   await expect(output).toBeJudged({ model: 'judge', rubric: 'Answers politely' });
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import type { InlineModel } from '../config/resolve.js';
import { readDataset } from '../datasets/read.js';
import type { GradedOutput } from '../runner/gradeOutput.js';
import { createEvalHarness, describeConfigError, harnessToolCalls, type EvalHarness, type EvalHarnessOptions, type HarnessOutput, type HarnessRow, type HarnessToolCall } from '../testing/harness.js';
import type { GraderConfig } from '../types.js';
import { toolCallsText } from '../util/toolCallText.js';

export type { HarnessRow, HarnessOutput, HarnessToolCall, EvalHarnessOptions, InlineModel };

let harness: Promise<EvalHarness> | undefined;

/** The harness the matchers use, created on first use. */
export function evalHarness(): Promise<EvalHarness> {
  return (harness ??= createEvalHarness());
}

/** Sets up the harness explicitly (a config file, a cache mode) before the matchers run. */
export function configureEval(opts: EvalHarnessOptions): Promise<EvalHarness> {
  harness = createEvalHarness(opts);
  return harness;
}

/** What a failed (or, under `.not`, passed) grading says: each grade on its line. */
export function describeGrading(graded: GradedOutput, received: string | HarnessOutput): string {
  const output = typeof received === 'string' ? received : (received.output ?? '');
  const excerpt = output.length > 300 ? `${output.slice(0, 299)}…` : output;
  const lines = graded.grades.map((g) => `  ${g.pass ? '✓' : '✗'} ${g.grader} (score ${g.score.toFixed(2)}): ${g.reason}`);
  if (graded.error) lines.push(`  errored: ${graded.error.message}`);
  const calls = typeof received === 'string' || !received.toolCalls?.length ? '' : `\ntool calls: ${toolCallsText(harnessToolCalls(received.toolCalls))}`;
  return `${graded.pass ? 'passed' : 'failed'} ${graded.grades.length} grader(s)\n${lines.join('\n')}\noutput: ${JSON.stringify(excerpt)}${calls}`;
}

/**
 * What the graders get: a string as is; an object with a `toolCalls` key (a list, or
 * undefined / null as the OpenAI SDK's `tool_calls` is without calls) as an output with tool
 * calls; anything else as JSON text.
 */
function gradable(received: unknown): string | HarnessOutput {
  if (typeof received === 'string') return received;
  if (received && typeof received === 'object' && 'toolCalls' in received) {
    const { toolCalls, ...rest } = received as Omit<HarnessOutput, 'toolCalls'> & { toolCalls: unknown };
    if (toolCalls == null) return rest;
    if (Array.isArray(toolCalls)) return { ...rest, toolCalls: toolCalls as HarnessOutput['toolCalls'] };
  }
  return JSON.stringify(received);
}

async function gradeOrExplain(run: () => Promise<GradedOutput>): Promise<GradedOutput | string> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ConfigError) return `invalid grader: ${describeConfigError(err)}`;
    throw err;
  }
}

export interface JudgeExpectation {
  /** A model under `models:` in llm-eval.yaml, or an inline one: `{ provider, model, params? }`. */
  model: string | InlineModel;
  rubric?: string;
  builtin?: string;
  threshold?: number;
  scale?: { min: number; max: number };
  reference?: string | false;
  context?: string;
  /** The row the output answers: vars for the rubric's templates, expected as the reference. */
  vars?: Record<string, unknown>;
  expected?: unknown;
}

expect.extend({
  async toPassGrader(received: unknown, graders: GraderConfig | GraderConfig[], row?: HarnessRow) {
    const output = gradable(received);
    const graded = await gradeOrExplain(async () => (await evalHarness()).grade(output, graders, row));
    if (typeof graded === 'string') return { pass: false, message: () => graded };
    return { pass: graded.pass, message: () => `expected the output ${this.isNot ? 'not ' : ''}to pass: ${describeGrading(graded, output)}` };
  },
  async toBeJudged(received: unknown, expectation: JudgeExpectation) {
    const output = gradable(received);
    const { model, vars, expected, ...options } = expectation;
    const graded = await gradeOrExplain(async () => {
      const h = await evalHarness();
      const name = await h.useModel(model);
      return h.grade(output, { type: 'judge', model: name, ...options } as GraderConfig, { vars, expected });
    });
    if (typeof graded === 'string') return { pass: false, message: () => graded };
    return { pass: graded.pass, message: () => `expected the judge ${this.isNot ? 'not ' : ''}to pass the output: ${describeGrading(graded, output)}` };
  },
});

declare module 'vitest' {
  // Vitest declares `Assertion<T = any>`; a merged declaration must repeat its type parameters.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-unused-vars
  interface Assertion<T = any> {
    /** Grades the output with llm-eval graders (as written in llm-eval.yaml); await it. */
    toPassGrader(graders: GraderConfig | GraderConfig[], row?: HarnessRow): Promise<void>;
    /** Asks an LLM judge to grade the output against a rubric; await it. */
    toBeJudged(expectation: JudgeExpectation): Promise<void>;
  }
}

/** Rows of a dataset file (.jsonl, .csv, .yaml, .json), for describeEval's `data`. */
export async function loadRows(file: string): Promise<HarnessRow[]> {
  const rows: HarnessRow[] = [];
  for await (const row of readDataset(file)) rows.push({ id: row.id, vars: row.vars, expected: row.expected, tags: row.tags });
  return rows;
}

export interface EvalSpec<Output> {
  /** The rows: inline, or `await loadRows('datasets/x.jsonl')`. */
  data: HarnessRow[];
  /** The feature under test: turns a row into an output (calls your LLM code). */
  task: (vars: Record<string, unknown>, row: HarnessRow) => Promise<Output> | Output;
  graders: GraderConfig[];
  /** Per-test timeout (ms); LLM calls are slow. Default 60000. */
  timeout?: number;
}

/**
 * One test per row: runs `task`, grades its output with `graders`, and fails with every grade in
 * the message. Row ids name the tests (an explicit `id`, else llm-eval's stable content hash).
 */
export function describeEval<Output>(name: string, spec: EvalSpec<Output>): void {
  describe(name, () => {
    spec.data.forEach((row, i) => {
      const title = row.id ?? `row ${i + 1}`;
      it(
        title,
        async () => {
          const output = gradable(await spec.task(row.vars ?? {}, row));
          const graded = await gradeOrExplain(async () => (await evalHarness()).grade(output, spec.graders, row));
          if (typeof graded === 'string') throw new Error(graded);
          if (!graded.pass) throw new Error(`${title}: ${describeGrading(graded, output)}`);
        },
        spec.timeout ?? 60_000,
      );
    });
    afterAll(async () => {
      if (harness) await (await harness).close();
    });
  });
}
