import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import embeddingSimilarity, { cosineSimilarity } from '../../src/graders/embeddingSimilarity.js';
import { createModelCaller } from '../../src/execute/caller.js';
import { gradeOutput } from '../../src/runner/gradeOutput.js';
import type { GraderConfig } from '../../src/types.js';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import { FAKE_ENV, MODELS, fakeConfig, gradeCtx, judgeEnv } from './judgeTestEnv.js';

describe('cosineSimilarity', () => {
  it('matches hand-computed cosines', () => {
    // [1,2,3]·[4,5,6] = 32, |a| = √14, |b| = √77: 32/√1078 = 0.9746318461970762
    // (scipy: 1 - scipy.spatial.distance.cosine([1,2,3], [4,5,6]) gives the same).
    expect(cosineSimilarity([1, 2, 3], [4, 5, 6])).toBeCloseTo(0.9746318461970762, 12);
    // [3,4]·[4,3] = 24, |a| = |b| = 5: 24/25.
    expect(cosineSimilarity([3, 4], [4, 3])).toBeCloseTo(0.96, 12);
    // Scale does not matter: [1,1] and [5,5] point the same way.
    expect(cosineSimilarity([1, 1], [5, 5])).toBeCloseTo(1, 12);
    expect(cosineSimilarity([1, 0], [0, 1])).toBe(0);
    expect(cosineSimilarity([1, 1], [-1, -1])).toBeCloseTo(-1, 12);
  });

  it('gives 0 for a zero vector and refuses vectors of different lengths', () => {
    expect(cosineSimilarity([0, 0, 0], [1, 2, 3])).toBe(0);
    expect(() => cosineSimilarity([1, 2], [1, 2, 3])).toThrow(/2 and 3 dimensions/);
  });
});

describe('embedding-similarity options', () => {
  const validate = (options: Omit<GraderConfig, 'type'>) => embeddingSimilarity.validate!({ type: 'embedding-similarity', ...options }, { configDir: '.', models: MODELS });

  it('accepts an openai model and refuses an anthropic or echo one, or an unknown name with a suggestion', () => {
    expect(validate({ model: 'judge' })).toEqual([]);
    expect(validate({ model: 'claude' })[0]?.message).toMatch(/provider anthropic, which has no embeddings endpoint/);
    expect(validate({ model: 'local' })[0]?.message).toMatch(/provider echo, which has no embeddings endpoint/);
    expect(validate({ model: 'judgee' })[0]).toMatchObject({ field: 'model', message: expect.stringMatching(/did you mean `judge`/) });
  });

  it('reports a Liquid syntax error in `value`', () => {
    expect(validate({ model: 'judge', value: '{{ fruit ' })[0]?.field).toBe('value');
  });
});

/** Through the real call pipeline and the `openai` SDK against the fake server (price $1 per 1M input tokens). */
describe('embedding-similarity against the fake server', () => {
  let fake: FakeLlm;
  let caller: ReturnType<typeof createModelCaller>;
  beforeAll(async () => {
    fake = await startFakeLlm();
    caller = createModelCaller({ config: fakeConfig(fake), cache: 'off', concurrency: 4, env: FAKE_ENV });
  });
  afterAll(async () => {
    await caller.close();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  const make = (options: Omit<GraderConfig, 'type'> = {}) => embeddingSimilarity.create({ type: 'embedding-similarity', model: 'judge', ...options }, judgeEnv(caller));

  it('grades by the cosine of the bag-of-words vectors, reference from a `value` template, cost per token', async () => {
    fake.setBehaviour((r) => (r.embeddings ? { type: 'answer', usage: { input: 500_000 } } : { type: 'answer' }));
    const g = await make({ value: '{{ fruit }}', threshold: 0.5 });
    // "red pear" vs "red apple": one shared word of two each, 1/(√2·√2) = 0.5, which reaches 0.5.
    const grade = await g.grade(gradeCtx('red pear', { vars: { fruit: 'red apple' } }));
    expect(grade.pass).toBe(true);
    expect(grade.score).toBeCloseTo(0.5, 12);
    // Two calls of 500,000 tokens at $1 per 1M input tokens: $1.
    expect(grade.costUsd).toBeCloseTo(1, 12);
    expect(fake.requests.filter((r) => r.embeddings).map((r) => r.path)).toEqual(['/v1/embeddings', '/v1/embeddings']);
  });

  it('fails an empty output without calling the model', async () => {
    const g = await make();
    const grade = await g.grade(gradeCtx('  ', { expected: 'red apple' }));
    expect(grade).toMatchObject({ pass: false, score: 0 });
    expect(fake.requests).toHaveLength(0);
  });

  it('errors the case (a provider failure, not a fail) when an embeddings call fails, and keeps the spend of the other', async () => {
    fake.setBehaviour((r) => {
      if (!r.embeddings) return { type: 'answer' };
      return (r.body?.['input'] as string[])[0] === 'red pear' ? { type: 'error', status: 500 } : { type: 'answer', usage: { input: 1_000_000 } };
    });
    const g = await make();
    const graded = await gradeOutput([g], gradeCtx('red pear', { expected: 'red apple' }));
    expect(graded.pass).toBe(false);
    expect(graded.error).toMatchObject({ kind: 'grader', provider: 'transient' });
    expect(graded.error?.message).toMatch(/embeddings model "judge" call failed/);
    // The reference's embedding was answered: 1M tokens at $1 per 1M.
    expect(graded.judgeCostUsd).toBeCloseTo(1, 12);
  });
});
