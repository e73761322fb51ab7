import { describe, expect, it } from 'vitest';
import judge from '../../src/graders/judge.js';
import { GraderError } from '../../src/errors.js';
import { gradeOutput } from '../../src/runner/gradeOutput.js';
import type { GraderConfig, Grader } from '../../src/types.js';
import { JudgeError } from '../../src/graders/judge/judgeError.js';
import { gradeCtx, judgeEnv, replies, scriptedCaller, verdict, failureOf } from './judgeTestEnv.js';

async function makeJudge(options: Omit<GraderConfig, 'type'>, caller: ReturnType<typeof scriptedCaller>, warnings: string[] = []): Promise<Grader> {
  return judge.create({ type: 'judge', model: 'judge', ...options }, judgeEnv(caller, warnings));
}


describe('judge: structured verdicts are parsed and thresholded', () => {
  it('normalises the score onto 0..1 and passes at the threshold', async () => {
    // 1..10 scale: 8 → (8-1)/9 = 0.778 ≥ 0.7 passes; 7 → 6/9 = 0.667 < 0.7 fails.
    const caller = scriptedCaller(replies(verdict(8, 'Correct and concise.'), verdict(7, 'Correct but vague.')));
    const g = await makeJudge({ rubric: 'Is the answer correct?', scale: { min: 1, max: 10 }, threshold: 0.7 }, caller);
    const high = await g.grade(gradeCtx('Paris.'));
    expect(high.pass).toBe(true);
    expect(high.score).toBeCloseTo(7 / 9, 10);
    expect(high.reason).toBe('score 8 on 1..10 (0.78 ≥ 0.7): Correct and concise.');
    expect(high.details).toMatchObject({ judge: 'judge', scores: [8], reasoning: 'Correct and concise.', calls: 1 });
    const low = await g.grade(gradeCtx('Paris, I think.'));
    expect(low.pass).toBe(false);
    expect(low.score).toBeCloseTo(6 / 9, 10);
    expect(low.reason).toMatch(/^score 7 on 1\.\.10 \(0\.67 < 0\.7\): Correct but vague\.$/);
  });

  it('uses the default 0..1 scale and threshold 0.7', async () => {
    const caller = scriptedCaller(replies(verdict(0.7), verdict(0.69)));
    const g = await makeJudge({ rubric: 'Correct?' }, caller);
    expect((await g.grade(gradeCtx('Paris'))).pass).toBe(true);
    expect((await g.grade(gradeCtx('Paris'))).pass).toBe(false);
  });

  it('asks for the verdict as structured output, reasoning before score, with the judge model and params', async () => {
    const caller = scriptedCaller(replies(verdict(1)));
    const g = await makeJudge({ rubric: 'Correct?', params: { max_tokens: 300 } }, caller);
    await g.grade(gradeCtx('Paris'));
    const [call] = caller.calls;
    expect(call!.model).toBe('judge');
    expect(call!.purpose).toBe('judge');
    expect(call!.req.params).toEqual({ temperature: 0, max_tokens: 300 });
    expect(Object.keys(call!.req.responseFormat!['properties'] as object)).toEqual(['reasoning', 'score']);
    expect(call!.req.responseFormat).toMatchObject({ required: ['reasoning', 'score'], additionalProperties: false });
  });

  it('reads a verdict wrapped in a code fence or preceded by a sentence, and a numeric-string score', async () => {
    const caller = scriptedCaller(
      replies('```json\n{"reasoning": "fine", "score": 1}\n```', 'Here is my verdict: {"reasoning": "fine", "score": 0.9} Hope that helps.', '{"reasoning": "ok", "score": "0.8"}'),
    );
    const g = await makeJudge({ rubric: 'Correct?' }, caller);
    expect((await g.grade(gradeCtx('a'))).score).toBe(1);
    expect((await g.grade(gradeCtx('b'))).score).toBe(0.9);
    expect((await g.grade(gradeCtx('c'))).score).toBe(0.8);
    expect(caller.calls).toHaveLength(3);
  });
});

describe('judge: an invalid verdict is re-asked once, then is an error', () => {
  it('re-asks in the same conversation, saying what was wrong, and uses the second verdict', async () => {
    const caller = scriptedCaller(replies('I would give it an 8.', verdict(8)));
    const g = await makeJudge({ rubric: 'Correct?', scale: { min: 1, max: 10 } }, caller);
    const grade = await g.grade(gradeCtx('Paris'));
    expect(grade.pass).toBe(true);
    expect(caller.calls).toHaveLength(2);
    const [first, second] = caller.calls;
    expect(second!.req.messages.slice(0, 2)).toEqual(first!.req.messages);
    expect(second!.req.messages[2]).toEqual({ role: 'assistant', content: 'I would give it an 8.' });
    expect(second!.req.messages[3]!.role).toBe('user');
    expect(second!.req.messages[3]!.content).toMatch(/^Your reply could not be used: the reply is not valid JSON/);
    expect(second!.req.messages[3]!.content).toContain('"score": <number from 1 to 10>');
    expect(grade.details).toMatchObject({ reasked: 1, calls: 2 });
  });

  it('treats a score outside the scale as invalid', async () => {
    const caller = scriptedCaller(replies(verdict(11), verdict(12)));
    const g = await makeJudge({ rubric: 'Correct?', scale: { min: 1, max: 10 } }, caller);
    const err = await failureOf(() => g.grade(gradeCtx('Paris')));
    expect(err).toBeInstanceOf(GraderError);
    expect((err as Error).message).toBe('judge "judge" gave no valid verdict, even when asked again: first the score 11 is outside the scale 1 to 10; then the score 12 is outside the scale 1 to 10');
    expect(caller.calls).toHaveLength(2);
    expect(caller.calls[1]!.req.messages[3]!.content).toContain('the score 11 is outside the scale 1 to 10');
  });

  it('after a second invalid verdict the case is recorded as an error, never a pass, with the judge spend kept', async () => {
    const caller = scriptedCaller(replies('{"score": 1}', 'PASS'), 0.002);
    const g = await makeJudge({ rubric: 'Correct?' }, caller);
    const err = await failureOf(() => g.grade(gradeCtx('Paris')));
    expect(err).toBeInstanceOf(JudgeError);
    expect((err as JudgeError).costUsd).toBeCloseTo(0.004, 12);
    expect(caller.calls).toHaveLength(2);

    const again = await makeJudge({ rubric: 'Correct?' }, scriptedCaller(replies('{"score": 1}', 'PASS'), 0.002));
    const graded = await gradeOutput([again], gradeCtx('Paris'));
    expect(graded.pass).toBe(false);
    expect(graded.score).toBe(0);
    expect(graded.error).toEqual({
      kind: 'grader',
      message: expect.stringMatching(/^judge: judge "judge" gave no valid verdict, even when asked again: first the verdict does not match the schema: \$ must have required property 'reasoning'; then the reply is not valid JSON/),
    });
  });

  it('a failed judge call is a grader error naming the judge', async () => {
    const caller = {
      calls: [],
      async call(): Promise<never> {
        throw new Error('401 Incorrect API key');
      },
    };
    const g = await judge.create({ type: 'judge', model: 'judge', rubric: 'x' }, judgeEnv(caller));
    const err = await failureOf(() => g.grade(gradeCtx('Paris')));
    expect(err).toBeInstanceOf(GraderError);
    expect((err as Error).message).toBe('judge "judge" call failed: 401 Incorrect API key');
  });
});

describe('judge: judgeRepeat reduces repeated verdicts', () => {
  it('majority: passes when more than half the samples pass; score is the mean', async () => {
    const caller = scriptedCaller(replies(verdict(0.8, 'good'), verdict(0.9, 'very good'), verdict(0.1, 'bad')));
    const g = await makeJudge({ rubric: 'Correct?', judgeRepeat: 3 }, caller);
    const grade = await g.grade(gradeCtx('Paris'));
    expect(grade.pass).toBe(true);
    expect(grade.score).toBeCloseTo(0.6, 10);
    expect(grade.reason).toMatch(/^majority 2\/3 pass, mean 0\.6 < 0\.7 \(scores 0\.8, 0\.9, 0\.1 on 0\.\.1\): /);
    expect(caller.calls).toHaveLength(3);
    // Each sample is its own request (its own boundary token), so a response cache cannot fold them into one.
    const userTexts = new Set(caller.calls.map((c) => c.req.messages[1]!.content));
    expect(userTexts.size).toBe(3);
  });

  it('majority: a tie fails', async () => {
    const caller = scriptedCaller(replies(verdict(1), verdict(0)));
    const g = await makeJudge({ rubric: 'Correct?', judgeRepeat: 2 }, caller);
    expect((await g.grade(gradeCtx('Paris'))).pass).toBe(false);
  });

  it('mean: passes when the mean normalised score reaches the threshold', async () => {
    const caller = scriptedCaller(replies(verdict(0.8), verdict(0.9), verdict(0.1), verdict(1), verdict(0.6), verdict(0.6)));
    const g = await makeJudge({ rubric: 'Correct?', judgeRepeat: 3, reduce: 'mean' }, caller);
    const first = await g.grade(gradeCtx('Paris'));
    expect(first.pass).toBe(false); // mean 0.6 < 0.7, though 2 of 3 samples pass
    const second = await g.grade(gradeCtx('Paris'));
    // mean (1 + 0.6 + 0.6) / 3 = 0.733… ≥ 0.7 passes, though only 1 of the 3 samples passes alone
    expect(second.pass).toBe(true);
    expect(second.score).toBeCloseTo(2.2 / 3, 10);
    expect(second.reason).toMatch(/^mean 0\.73 ≥ 0\.7 \(scores 1, 0\.6, 0\.6 on 0\.\.1\): /);
  });

  it('one sample with no valid verdict errors the whole grade, counting every call', async () => {
    // Samples start together (calls 0, 1, 2); sample 2 gets 'nope', is re-asked (call 3) and gets 'still nope'.
    const caller = scriptedCaller(replies(verdict(1), 'nope', verdict(1), 'still nope'), 0.01);
    const g = await makeJudge({ rubric: 'Correct?', judgeRepeat: 3 }, caller);
    const err = await failureOf(() => g.grade(gradeCtx('Paris')));
    expect(err).toBeInstanceOf(JudgeError);
    expect((err as Error).message).toMatch(/then the reply is not valid JSON .*\(sample 2 of 3\)$/);
    expect(caller.calls).toHaveLength(4);
    expect((err as JudgeError).costUsd).toBeCloseTo(0.04, 12);
  });
});

describe('judge cost is counted apart from the candidate cost', () => {
  it('sums the judge calls (re-asks and repeats included) into the grade, which the runner reports as judge cost', async () => {
    // 2 samples; the first needs a re-ask: 3 calls at $0.004 each.
    const caller = scriptedCaller(replies('not json', verdict(1), verdict(1)), 0.004);
    const g = await makeJudge({ rubric: 'Correct?', judgeRepeat: 2 }, caller);
    const ctx = gradeCtx('Paris'); // the candidate's own call cost $0.50
    const graded = await gradeOutput([g], ctx);
    expect(caller.calls).toHaveLength(3);
    expect(graded.grades[0]!.costUsd).toBeCloseTo(0.012, 12);
    expect(graded.judgeCostUsd).toBeCloseTo(0.012, 12);
    expect(ctx.costUsd).toBe(0.5);
  });

  it('an unpriced judge has an unknown cost (null), not zero', async () => {
    const caller = scriptedCaller(replies(verdict(1)), null);
    const g = await makeJudge({ rubric: 'Correct?' }, caller);
    const grade = await g.grade(gradeCtx('Paris'));
    expect(grade.costUsd).toBeNull();
    expect(grade.tokens).toEqual({ input: 100, output: 20, cachedInput: 0 });
  });
});
