import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { calibrate, pickJudge } from '../../src/calibrate/calibrate.js';
import { ConfigError, UsageError } from '../../src/errors.js';
import type { GraderConfig, ModelRequest, ResolvedConfig, ResolvedSuite } from '../../src/types.js';
import { MODELS, failureOf, scriptedCaller } from '../graders/judgeTestEnv.js';

/** The text between the OUTPUT markers of a judge request. */
function fencedOutput(req: Omit<ModelRequest, 'model'>): string {
  const m = /<<<OUTPUT-([0-9a-f]{16})>>>\n([\s\S]*?)\n<<<END-OUTPUT-\1>>>/.exec(req.messages[1]!.content);
  if (!m) throw new Error('no OUTPUT fence');
  return m[2]!;
}

/** Passes outputs marked [judge:pass], cannot decide [judge:broken], fails the rest. */
const scriptedJudge = (req: Omit<ModelRequest, 'model'>): string => {
  const out = fencedOutput(req);
  if (out.includes('[judge:broken]')) return 'no idea';
  return JSON.stringify(out.includes('[judge:pass]') ? { reasoning: 'Meets the rubric.', score: 1 } : { reasoning: `Misses the point of ${out.slice(0, 3)}.`, score: 0 });
};

function project(rows: Array<Record<string, unknown>>, graders: GraderConfig[]): ResolvedConfig {
  const dir = mkdtempSync(path.join(tmpdir(), 'calibrate-'));
  const dataset = path.join(dir, 'labels.jsonl');
  writeFileSync(dataset, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const suite: ResolvedSuite = {
    name: 'support',
    dataset,
    variants: [{ name: 'v1', model: 'gpt', params: {}, prompt: { name: 'reply', version: 'v1', ref: 'reply@v1', file: path.join(dir, 'p.md'), hash: 'h', messages: [{ role: 'user', content: 'Customer: {{ question }}' }], params: {} } }],
    repeat: 1,
    graders,
    options: {},
  };
  return {
    file: path.join(dir, 'llm-eval.yaml'),
    dir,
    hash: 'x',
    models: MODELS,
    suites: [suite],
    defaults: { concurrency: 3, timeoutMs: 1000, retries: 0, cache: 'off' },
    outDir: path.join(dir, 'reports'),
    cacheDir: path.join(dir, '.cache'),
    promptsDir: path.join(dir, 'prompts'),
  };
}

const JUDGE: GraderConfig = { type: 'judge', name: 'helpful', model: 'judge', rubric: 'Is the reply helpful?' };

// The hand-checked layout of test/calibrate/agreement.test.ts: 4 both pass, 1 human pass / judge
// fail, 2 human fail / judge pass, 3 both fail → accuracy 0.7, κ = 0.4.
const ROWS = [
  { id: 'r1', question: 'q1', output: 'ok1 [judge:pass]', human: 'pass' },
  { id: 'r2', question: 'q2', output: 'ok2 [judge:pass]', human: 'PASS' },
  { id: 'r3', question: 'q3', output: 'ok3 [judge:pass]', human: 0.9 },
  { id: 'r4', question: 'q4', output: 'ok4 [judge:pass]', human: true },
  { id: 'r5', question: 'q5', output: 'meh', human: 'pass' },
  { id: 'r6', question: 'q6', output: 'bad6 [judge:pass]', human: 'fail' },
  { id: 'r7', question: 'q7', output: 'bad7 [judge:pass]', human: 0.2 },
  { id: 'r8', question: 'q8', output: 'bad8', human: 'fail' },
  { id: 'r9', question: 'q9', output: 'bad9', human: false },
  { id: 'r10', question: 'q10', output: 'bad10', human: '0' },
  { id: 'r11', question: 'q11', output: 'not labelled' },
  { id: 'r12', question: 'q12', output: 'odd [judge:broken]', human: 'pass' },
];

describe('calibrate', () => {
  it("grades each labelled output with the suite's judge and reports agreement with the humans", async () => {
    const caller = scriptedCaller(scriptedJudge, 0.001);
    const report = await calibrate({ config: project(ROWS, [{ type: 'exact' }, JUDGE]), suite: 'support', caller });
    expect(report).toMatchObject({
      suite: 'support',
      grader: 'helpful',
      judge: 'judge',
      threshold: 0.7,
      rows: 12,
      labelled: 11,
      judged: 10,
      confusion: {
        labels: ['pass', 'fail'],
        matrix: [
          [4, 1],
          [2, 3],
        ],
      },
      humanPassRate: 0.5,
      judgePassRate: 0.6,
      kappaMeaning: 'fair',
    });
    expect(report.accuracy).toBeCloseTo(0.7, 12);
    expect(report.kappa).toBeCloseTo(0.4, 12);
    expect(report.rubric).toMatch(/^inline#[0-9a-f]{12}$/);
    expect(report.disagreements).toEqual([
      { id: 'r5', line: 5, human: 'pass', judge: 'fail', score: 0, reasoning: 'Misses the point of meh.' },
      { id: 'r6', line: 6, human: 'fail', judge: 'pass', score: 1, reasoning: 'Meets the rubric.' },
      { id: 'r7', line: 7, human: 'fail', humanScore: 0.2, judge: 'pass', score: 1, reasoning: 'Meets the rubric.' },
    ]);
    expect(report.errors).toEqual([{ id: 'r12', line: 12, message: expect.stringMatching(/^judge "judge" gave no valid verdict/) }]);
    // human scores 0.9 (r3), 0.2 (r7), "0" (r10) against judge scores 1, 1, 0: (0.1 + 0.8 + 0) / 3
    expect(report.scoreAgreement!.n).toBe(3);
    expect(report.scoreAgreement!.meanAbsDiff).toBeCloseTo(0.3, 12);
    // 10 graded rows with one call each, plus r12 asked twice
    expect(caller.calls).toHaveLength(12);
    expect(report.costUsd).toBeCloseTo(0.012, 12);
    // the judge sees the suite's prompt rendered for the row as input, never the human label
    const r1 = caller.calls.find((c) => fencedOutput(c.req) === 'ok1 [judge:pass]')!;
    expect(r1.req.messages[1]!.content).toMatch(/<<<INPUT-[0-9a-f]{16}>>>\nCustomer: q1\n<<<END-INPUT-/);
    expect(JSON.stringify(caller.calls.map((c) => c.req))).not.toContain('human');
  });

  it('refuses, before any call, a labelled row without an output or with a label it cannot read', async () => {
    const caller = scriptedCaller(scriptedJudge);
    const config = project([{ id: 'a', question: 'q', human: 'pass' }, { id: 'b', question: 'q', output: 'x', human: 'maybe' }], [JUDGE]);
    const err = await failureOf(() => calibrate({ config, suite: 'support', caller }));
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues.map((i) => [i.line, i.message])).toEqual([
      [1, 'row a has a human label but no text `output`: a calibration row carries the output the human labelled (a var or column named output)'],
      [2, 'human label "maybe" is not pass, fail or a score in 0..1 (row b)'],
    ]);
    expect(caller.calls).toHaveLength(0);
  });

  it('picks the judge by name or index, and says which ones exist', () => {
    const config = project([], [{ type: 'exact' }, JUDGE, { type: 'judge', model: 'judge', builtin: 'tone' }]);
    const suite = config.suites[0]!;
    expect(pickJudge(suite, 'helpful').index).toBe(1);
    expect(pickJudge(suite, '2').index).toBe(2);
    expect(() => pickJudge(suite)).toThrow(new UsageError('suite "support" has 2 judge graders: pick one with --grader NAME|INDEX (1: helpful, 2: judge)'));
    expect(() => pickJudge(suite, '0')).toThrow('--grader 0: no such judge grader in suite "support" (judges: 1: helpful, 2: judge)');
    expect(() => pickJudge({ ...suite, graders: [{ type: 'exact' }] })).toThrow(UsageError);
  });

  it('says so when no row carries a human label', async () => {
    const err = await failureOf(() => calibrate({ config: project([{ question: 'q', output: 'x' }], [JUDGE]), suite: 'support', caller: scriptedCaller(scriptedJudge) }));
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(/has no calibration rows/);
  });
});
