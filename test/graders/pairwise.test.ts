import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import pairwise from '../../src/graders/pairwise.js';
import { createPairComparer } from '../../src/graders/judge/pairwise/compare.js';
import { PAIRWISE_FILE, runPairwise } from '../../src/graders/judge/pairwise/run.js';
import { suiteGraderProblems } from '../../src/graders/suiteGraders.js';
import { createModelCaller } from '../../src/execute/caller.js';
import { JudgeSpend } from '../../src/graders/judge/spend.js';
import type { CaseRecord, GraderConfig, ModelCaller, ModelRequest, ResolvedSuite } from '../../src/types.js';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import { FAKE_ENV, MODELS, fakeConfig, judgeEnv, scriptedCaller } from './judgeTestEnv.js';

/** The text between the RESPONSE-n markers of a pairwise request. */
function responseText(userMessage: string, n: 1 | 2): string {
  const m = new RegExp(`<<<RESPONSE-${n}-([0-9a-f]{16})>>>\\n([\\s\\S]*?)\\n<<<END-RESPONSE-${n}-\\1>>>`).exec(userMessage);
  if (!m) throw new Error(`no RESPONSE-${n} fence in the request`);
  return m[2]!;
}

const userOf = (req: Omit<ModelRequest, 'model'>): string => req.messages[1]!.content;
const pairVerdict = (winner: '1' | '2' | 'tie', reasoning = 'Compared both.') => JSON.stringify({ reasoning, winner });

/** A fair judge: prefers the response that mentions Paris. */
const fairJudge = (req: Omit<ModelRequest, 'model'>): string => {
  const one = responseText(userOf(req), 1).includes('Paris');
  const two = responseText(userOf(req), 2).includes('Paris');
  return pairVerdict(one === two ? 'tie' : one ? '1' : '2');
};

function suite(graders: GraderConfig[], variants = ['old', 'new']): ResolvedSuite {
  const prompt = { name: 'qa', version: 'v1', ref: 'qa@v1', file: '/x', hash: 'h', messages: [], params: {} };
  return {
    name: 'qa',
    dataset: '/data.jsonl',
    variants: variants.map((name) => ({ name, model: name === 'new' ? 'claude' : 'gpt', prompt, params: {} })),
    repeat: 1,
    graders,
    options: {},
  };
}

function record(variant: string, caseId: string, output: string | null, repeat = 0): CaseRecord {
  return {
    suite: 'qa',
    variant,
    caseId,
    repeat,
    vars: { question: `question ${caseId}` },
    expected: 'Paris',
    prompt: { name: 'qa', version: 'v1', hash: 'h' },
    model: variant,
    output,
    pass: output !== null,
    score: 1,
    grades: [],
    tokens: null,
    costUsd: 0.01,
    latencyMs: 1,
    cached: false,
    error: output === null ? { kind: 'provider', message: 'boom' } : null,
  };
}

function runDirWith(records: CaseRecord[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pairwise-run-'));
  writeFileSync(path.join(dir, 'results.jsonl'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return dir;
}

const PAIRWISE = { type: 'pairwise', model: 'judge', rubric: 'Which answer is correct?' };

describe('pairwise compares in both orders', () => {
  it('shows A first, then B first, and counts a win only when both orders agree', async () => {
    const caller = scriptedCaller(fairJudge);
    const { compare } = await createPairComparer(PAIRWISE as never, judgeEnv(caller), 'pairwise');
    const decision = await compare({ caseId: 'c1', vars: { q: 'capital?' }, outputA: 'Lyon', outputB: 'Paris' }, new JudgeSpend());
    expect(caller.calls).toHaveLength(2);
    expect(responseText(userOf(caller.calls[0]!.req), 1)).toBe('Lyon');
    expect(responseText(userOf(caller.calls[0]!.req), 2)).toBe('Paris');
    expect(responseText(userOf(caller.calls[1]!.req), 1)).toBe('Paris');
    expect(responseText(userOf(caller.calls[1]!.req), 2)).toBe('Lyon');
    expect(decision).toMatchObject({ aFirst: 'b', bFirst: 'b', outcome: 'b', orderDisagreement: false, firstShownPicked: 1, decisive: 2 });
  });

  it('scores a disagreement between the orders as a tie (a judge that always picks the first response decides nothing)', async () => {
    const caller = scriptedCaller(() => pairVerdict('1'));
    const { compare } = await createPairComparer(PAIRWISE as never, judgeEnv(caller), 'pairwise');
    const decision = await compare({ caseId: 'c1', vars: {}, outputA: 'Lyon', outputB: 'Paris' }, new JudgeSpend());
    expect(decision).toMatchObject({ aFirst: 'a', bFirst: 'b', outcome: 'tie', orderDisagreement: true, firstShownPicked: 2, decisive: 2 });
  });
});

describe('runPairwise over a stored run', () => {
  it('tallies wins, ties, losses, order disagreement and missing outputs per variant pair, and logs every decision', async () => {
    const records = [
      // c1: new is right → new wins in both orders (a loss for A = old)
      record('old', 'c1', 'Lyon'), record('new', 'c1', 'Paris'),
      // c2: both right → tie
      record('new', 'c2', 'Paris.'), record('old', 'c2', 'It is Paris'),
      // c3: old right
      record('old', 'c3', 'Paris'), record('new', 'c3', 'Marseille'),
      // c4: new errored → missing, not judged
      record('old', 'c4', 'Paris'), record('new', 'c4', null),
      // c5: the judge is position-biased on this one → the orders disagree → tie
      record('old', 'c5', 'Nice'), record('new', 'c5', 'Toulouse (biased)'),
      // another suite's record is ignored
      { ...record('old', 'c1', 'x'), suite: 'other' },
    ];
    const dir = runDirWith(records);
    const caller = scriptedCaller((req) => (userOf(req).includes('biased') ? pairVerdict('1') : fairJudge(req)), 0.001);
    const warnings: string[] = [];
    const [summary, ...rest] = await runPairwise(dir, suite([{ ...PAIRWISE, name: 'prefer' }]), judgeEnv(caller, warnings));
    expect(rest).toEqual([]);
    expect(summary).toMatchObject({
      grader: 'prefer',
      judge: 'judge',
      a: 'old',
      b: 'new',
      cases: 4,
      wins: 1,
      losses: 1,
      ties: 2,
      winRate: 0.25,
      lossRate: 0.25,
      tieRate: 0.5,
      orderDisagreement: 1,
      orderDisagreementRate: 0.25,
      missing: 1,
      errors: 0,
      disagreementCases: ['c5#0'],
    });
    expect(summary!.rubric).toMatch(/^inline#[0-9a-f]{12}$/);
    expect(caller.calls).toHaveLength(8);
    expect(summary!.costUsd).toBeCloseTo(0.008, 12);
    // c1, c3 decisive in both orders (1 first-shown pick each), c5 picked the first twice; c2 ties.
    expect(summary!.decisiveVerdicts).toBe(6);
    expect(summary!.firstShownPicked).toBe(4);
    const log = readFileSync(path.join(dir, PAIRWISE_FILE), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(log.map((l) => [l['caseId'], l['outcome']]).sort()).toEqual([['c1', 'b'], ['c2', 'tie'], ['c3', 'a'], ['c5', 'tie']]);
    // the judge (gpt family) grades the gpt candidate "old": self-preference is named
    expect(warnings).toEqual([expect.stringMatching(/^grader prefer: judge model "judge" \(gpt-4o-mini\) grades outputs of "gpt" \(gpt-4\.1\), the same family/)]);
  });

  it('compares the same repeat of each case, and every pair of variants by default', async () => {
    const records = ['a', 'b', 'c'].flatMap((v) => [record(v, 'c1', v === 'c' ? 'Paris' : 'Lyon', 0), record(v, 'c1', 'Paris', 1)]);
    const caller = scriptedCaller(fairJudge);
    const out = await runPairwise(runDirWith(records), suite([PAIRWISE], ['a', 'b', 'c']), judgeEnv(caller));
    expect(out.map((s) => [s.a, s.b, s.cases, s.wins, s.ties, s.losses])).toEqual([
      ['a', 'b', 2, 0, 2, 0],
      ['a', 'c', 2, 0, 1, 1],
      ['b', 'c', 2, 0, 1, 1],
    ]);
  });

  it('a case the judge cannot decide is an error of its pair, never a win', async () => {
    const caller = scriptedCaller(() => 'A is better', 0.002);
    const [summary] = await runPairwise(runDirWith([record('old', 'c1', 'Lyon'), record('new', 'c1', 'Paris')]), suite([PAIRWISE]), judgeEnv(caller));
    expect(summary).toMatchObject({ cases: 0, wins: 0, losses: 0, ties: 0, errors: 1 });
    expect(summary!.errorSamples[0]!.message).toMatch(/^judge "judge" gave no valid verdict, even when asked again/);
    expect(caller.calls).toHaveLength(4); // both orders, each re-asked once
    expect(summary!.costUsd).toBeCloseTo(0.008, 12);
  });

  it('skips a pair whose variant did not run, and checks variant names against the suite', async () => {
    const warnings: string[] = [];
    const s = suite([{ ...PAIRWISE, variants: ['old', 'new'] }]);
    const [summary] = await runPairwise(runDirWith([record('old', 'c1', 'x')]), s, judgeEnv(scriptedCaller(fairJudge), warnings), { variants: ['old'] });
    expect(summary!.skipped).toBe('variant new did not run');
    expect(warnings).toContain('grader pairwise: old vs new not compared: variant new did not run');
    expect(suiteGraderProblems(suite([{ ...PAIRWISE, variants: ['old', 'newer'] }]))).toEqual([{ grader: 0, field: 'variants', message: 'unknown variant "newer" (variants: old, new)' }]);
  });

  it('validates its options like the judge, and refuses to grade a single case', async () => {
    const problems = pairwise.validate!({ type: 'pairwise', model: 'nope', variants: ['a', 'a'] }, { configDir: process.cwd(), models: MODELS });
    expect(problems.map((p) => p.field)).toEqual(['model', undefined, 'variants']);
    const g = await pairwise.create({ type: 'pairwise', model: 'judge', rubric: 'x' }, judgeEnv(scriptedCaller(fairJudge)));
    expect(() => g.grade({} as never)).toThrow('pairwise compares variants after the run');
    expect(pairwise.scope).toBe('run');
  });
});

describe('pairwise against the fake server', () => {
  let fake: FakeLlm;
  let caller: ModelCaller & { close(): Promise<void> };
  beforeAll(async () => {
    fake = await startFakeLlm();
    caller = createModelCaller({ config: fakeConfig(fake), cache: 'off', concurrency: 4, env: FAKE_ENV });
  });
  afterAll(async () => {
    await caller.close();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  const lastUser = (i: number): string => ((fake.requests[i]!.body!['messages'] as Array<{ role: string; content: string }>)[1]!.content);

  it('sends both orders to the judge and counts a position-biased judge as all ties', async () => {
    fake.setBehaviour({ type: 'answer', json: { reasoning: 'The first one reads better.', winner: '1' } });
    const dir = runDirWith([record('old', 'c1', 'Lyon'), record('new', 'c1', 'Paris'), record('old', 'c2', 'Paris'), record('new', 'c2', 'Nice')]);
    const [summary] = await runPairwise(dir, suite([PAIRWISE]), judgeEnv(caller), { concurrency: 1 });
    expect(fake.requests).toHaveLength(4);
    const orders = [0, 1, 2, 3].map((i) => [responseText(lastUser(i), 1), responseText(lastUser(i), 2)]);
    expect(orders).toEqual([
      ['Lyon', 'Paris'],
      ['Paris', 'Lyon'],
      ['Paris', 'Nice'],
      ['Nice', 'Paris'],
    ]);
    expect(fake.requests[0]!.body!['response_format']).toMatchObject({ type: 'json_schema', json_schema: { name: 'pairwise_verdict', strict: true } });
    expect(summary).toMatchObject({ cases: 2, wins: 0, losses: 0, ties: 2, orderDisagreement: 2, orderDisagreementRate: 1, firstShownPicked: 4, decisiveVerdicts: 4 });
    expect(summary!.costUsd).toBeGreaterThan(0);
  });

  it('a consistent judge gives the win', async () => {
    fake.setBehaviour((req) => {
      const user = (req.body!['messages'] as Array<{ content: string }>)[1]!.content;
      return { type: 'answer', json: { reasoning: 'Paris is right.', winner: responseText(user, 1) === 'Paris' ? '1' : '2' } };
    });
    const [summary] = await runPairwise(runDirWith([record('old', 'c1', 'Lyon'), record('new', 'c1', 'Paris')]), suite([PAIRWISE]), judgeEnv(caller));
    expect(summary).toMatchObject({ cases: 1, wins: 0, losses: 1, ties: 0, orderDisagreement: 0, lossRate: 1 });
  });
});
