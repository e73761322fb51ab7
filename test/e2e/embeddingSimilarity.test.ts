/**
 * The `embedding-similarity` grader through the built CLI against the fake LLM server: the
 * candidate (openai-compatible, price 0) echoes its prompt, the grader embeds the output and
 * the row's `expected` with an openai `text-embedding-3-small` model served by the fake
 * server's /v1/embeddings.
 *
 * The fake server's vectors are bags of words (test/fake-llm/embeddingsWire.ts), so by hand:
 *   "red apple" vs "red apple": cosine 1            → passes threshold 0.8
 *   "red pear"  vs "red apple": 1 / (√2 · √2) = 0.5 → fails
 * Every embeddings reply here reports 1,000,000 prompt tokens, so each call costs exactly
 * $0.02 (OpenAI's text-embedding-3-small price, $0.02 per 1M input tokens).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeLlm, type FakeLlm, type FakeReply, type RecordedRequest } from '../fake-llm/server.js';
import { bagOfWordsVector } from '../fake-llm/embeddingsWire.js';
import { runCliAsync } from '../helpers/spawnCli.js';
import { readResultLines } from '../helpers/fakeLlmProject.js';
import { lineContaining } from '../helpers/project.js';

const KEY = 'sk-embed-SECRET-424242';
const MILLION: FakeReply = { type: 'answer', usage: { input: 1_000_000 } };

interface Grades {
  caseId: string;
  pass: boolean;
  error: unknown;
  grades: Array<{ grader: string; pass: boolean; score: number; reason: string }>;
  judgeCostUsd?: number | null;
}

function writeProject(baseURL: string, opts: { embedder?: string; grader?: string } = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'llm-eval-embed-'));
  mkdirSync(path.join(dir, 'prompts', 'say'), { recursive: true });
  mkdirSync(path.join(dir, 'datasets'));
  writeFileSync(path.join(dir, 'prompts', 'say', 'v1.txt'), '{{ answer }}');
  const rows = [
    { id: 'same', vars: { answer: 'red apple' }, expected: 'red apple' },
    { id: 'half', vars: { answer: 'red pear' }, expected: 'red apple' },
  ];
  writeFileSync(path.join(dir, 'datasets', 'rows.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  writeFileSync(
    path.join(dir, 'llm-eval.yaml'),
    [
      'models:',
      `  gen: { provider: openai-compatible, model: echo-model, baseURL: "${baseURL}", price: { input: 0, output: 0 } }`,
      `  embedder: ${opts.embedder ?? `{ provider: openai, model: text-embedding-3-small, baseURL: "${baseURL}" }`}`,
      `  claude: { provider: anthropic, model: claude-haiku-4-5 }`,
      'suites:',
      '  sim:',
      '    prompt: say',
      '    dataset: datasets/rows.jsonl',
      '    variants:',
      '      a: { model: gen }',
      '    graders:',
      `      - ${opts.grader ?? '{ type: embedding-similarity, model: embedder, threshold: 0.8 }'}`,
      'defaults: { concurrency: 4, retries: 2, timeoutMs: 30000, cache: on }',
      '',
    ].join('\n'),
  );
  return dir;
}

const latest = (dir: string): string => path.join(dir, 'reports', 'latest');
const embeddingRequests = (llm: FakeLlm): RecordedRequest[] => llm.requests.filter((r) => r.embeddings);

function byCase(dir: string): Record<string, Grades> {
  return Object.fromEntries((readResultLines(path.join(latest(dir), 'results.jsonl')) as unknown as Grades[]).map((l) => [l.caseId, l]));
}

describe('embedding-similarity grader (built CLI, fake server)', () => {
  let llm: FakeLlm;
  beforeAll(async () => {
    llm = await startFakeLlm();
  });
  afterAll(async () => {
    await llm.close();
  });

  it('the fake vectors give the hand-computed cosines: red, apple and pear fall in distinct dimensions', () => {
    // Precondition of the hand computation above: no two of the words share a hashed dimension.
    const v = bagOfWordsVector('red apple pear');
    expect(v.filter((x) => x === 1)).toHaveLength(3);
  });

  it('passes the close answer, fails the distant one, and reports the embedding spend as grader cost', { timeout: 60_000 }, async () => {
    llm.reset();
    llm.setBehaviour((r) => (r.embeddings ? MILLION : { type: 'answer' }));
    const dir = writeProject(llm.openaiBaseURL);
    const r = await runCliAsync(['run', '--format', 'json'], dir, { OPENAI_API_KEY: KEY });
    // A failed case fails the run (no gate): exit 1.
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const cases = byCase(dir);
    expect(cases['same']!.pass).toBe(true);
    expect(cases['same']!.grades[0]!.score).toBeCloseTo(1, 9);
    expect(cases['half']!.pass).toBe(false);
    expect(cases['half']!.error).toBeNull();
    expect(cases['half']!.grades[0]!.score).toBeCloseTo(0.5, 9);
    expect(cases['half']!.grades[0]!.reason).toContain('0.500 < 0.8');

    // Two distinct texts ("red apple" is the output of one row and the reference of both): two calls.
    const embeds = embeddingRequests(llm);
    expect(embeds.map((e) => e.body?.['model'])).toEqual(['text-embedding-3-small', 'text-embedding-3-small']);
    expect(embeds.flatMap((e) => e.body?.['input'] as string[]).sort()).toEqual(['red apple', 'red pear']);
    const report = JSON.parse(readFileSync(path.join(latest(dir), 'report.json'), 'utf8')) as { totals: { judgeCostUsd: number | null; costUsd: number | null } };
    expect(report.totals.judgeCostUsd).toBeCloseTo(0.04, 9);
    expect(JSON.stringify(report)).not.toContain(KEY);

    // Replay: no key, no server; same verdicts, nothing spent.
    const offline = await runCliAsync(['run', '--format', 'json', '--cache', 'replay'], dir, {});
    expect(offline.code, offline.stdout + offline.stderr).toBe(1);
    const again = byCase(dir);
    expect(again['same']!.pass).toBe(true);
    expect(again['half']!.pass).toBe(false);
    expect(again['half']!.grades[0]!.score).toBeCloseTo(0.5, 9);
    const replayReport = JSON.parse(readFileSync(path.join(latest(dir), 'report.json'), 'utf8')) as { totals: { judgeCostUsd: number | null } };
    expect(replayReport.totals.judgeCostUsd ?? 0).toBe(0);
    expect(embeddingRequests(llm)).toHaveLength(2);
  });

  it('retries an embeddings call answered 429 after its Retry-After', { timeout: 60_000 }, async () => {
    llm.reset();
    let limited = false;
    llm.setBehaviour((r) => {
      if (!r.embeddings) return { type: 'answer' };
      if (!limited) {
        limited = true;
        return { type: 'rate-limit', retryAfterSeconds: 1 };
      }
      return MILLION;
    });
    const dir = writeProject(llm.openaiBaseURL, { grader: '{ type: embedding-similarity, model: embedder, value: "red apple" }' });
    writeFileSync(path.join(dir, 'datasets', 'rows.jsonl'), JSON.stringify({ id: 'same', vars: { answer: 'red apple' } }) + '\n');
    const r = await runCliAsync(['run', '--format', 'json'], dir, { OPENAI_API_KEY: KEY });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const embeds = embeddingRequests(llm);
    // The 429, then the retry of the same text.
    expect(embeds).toHaveLength(2);
    expect(embeds[1]!.rawBody).toBe(embeds[0]!.rawBody);
    // Retry-After: 1 second is a floor on the wait, however loaded the machine.
    expect(embeds[1]!.receivedAtMs - embeds[0]!.receivedAtMs).toBeGreaterThanOrEqual(950);
    expect(byCase(dir)['same']!.pass).toBe(true);
  });

  it('counts embeddings in --max-cost: the run stops (exit 3) with every answered call paid for in the report', { timeout: 60_000 }, async () => {
    llm.reset();
    llm.setBehaviour((r) => (r.embeddings ? MILLION : { type: 'answer' }));
    const dir = writeProject(llm.openaiBaseURL);
    // Six distinct outputs and one shared reference: seven embeddings at $0.02 would be $0.14.
    const answers = ['red pear', 'green pear', 'blue plum', 'ripe fig', 'sour lime', 'dark grape'];
    writeFileSync(path.join(dir, 'datasets', 'rows.jsonl'), answers.map((answer, i) => JSON.stringify({ id: `r${i}`, vars: { answer }, expected: 'red apple' })).join('\n') + '\n');
    const r = await runCliAsync(['run', '--format', 'json', '--max-cost', '0.05'], dir, { OPENAI_API_KEY: KEY });
    expect(r.code, r.stdout + r.stderr).toBe(3);
    const report = JSON.parse(readFileSync(path.join(latest(dir), 'report.json'), 'utf8')) as { status: string; totals: { judgeCostUsd: number | null } };
    expect(report.status).toBe('budget-exceeded');
    const answered = embeddingRequests(llm).length;
    expect(answered).toBeLessThan(7);
    expect(report.totals.judgeCostUsd ?? 0).toBeCloseTo(answered * 0.02, 9);
  });

  it('validate rejects a model that has no embeddings endpoint, at its line', { timeout: 60_000 }, async () => {
    const dir = writeProject(llm.openaiBaseURL, { grader: '{ type: embedding-similarity, model: claude }' });
    const r = await runCliAsync(['validate'], dir, {});
    expect(r.code, r.stdout + r.stderr).toBe(2);
    const line = lineContaining(path.join(dir, 'llm-eval.yaml'), 'type: embedding-similarity');
    expect(r.stderr).toContain(`llm-eval.yaml:${line}`);
    expect(r.stderr).toMatch(/provider anthropic.*no embeddings endpoint.*openai or openai-compatible/);
  });

  it('validate rejects a grader with no model, at its line', { timeout: 60_000 }, async () => {
    const dir = writeProject(llm.openaiBaseURL, { grader: '{ type: embedding-similarity, threshold: 0.9 }' });
    const r = await runCliAsync(['validate'], dir, {});
    expect(r.code, r.stdout + r.stderr).toBe(2);
    const line = lineContaining(path.join(dir, 'llm-eval.yaml'), 'type: embedding-similarity');
    expect(r.stderr).toContain(`llm-eval.yaml:${line}`);
    expect(r.stderr).toContain("missing required option `model`");
  });
});
