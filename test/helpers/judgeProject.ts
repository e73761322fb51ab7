/**
 * A throwaway project for money and gate e2e tests: the `qa` suite of fakeLlmProject (variants
 * `a` on gpt-4o-mini and `b` on a local model, both served by the fake LLM server) plus an
 * optional judge model `judge` (model id `judge-model`) used by a `pairwise` grader or a
 * `judge` grader. The fake server tells the judge's requests apart by their `model`.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FakeReply, RecordedRequest } from '../fake-llm/types.js';
import { rowName } from './fakeLlmProject.js';

export const JUDGE_MODEL_ID = 'judge-model';

export interface JudgeProjectOptions {
  baseURL: string;
  rows: number;
  /** `pairwise`: compare a and b; `judge`: a per-case judge; `both`; none: no judge. */
  judge?: 'pairwise' | 'judge' | 'both';
  /** The response cache mode (default off). */
  cache?: 'on' | 'off';
  /** The judge's `price:` (USD per 1M tokens); absent: unpriced. */
  judgePrice?: { input: number; output: number };
  /** Candidate `a`'s price override (it has a table price otherwise). */
  candidatePrice?: { input: number; output: number };
  /** Extra model params of variant a's model (e.g. `max_tokens: 50`). */
  candidateParams?: Record<string, unknown>;
  /** YAML of the suite's `gate:` (flow style), e.g. `{ maxCostUsd: 1 }`. */
  gate?: string;
  concurrency?: number;
  /** Just one variant (`a`): no pairwise possible. */
  singleVariant?: boolean;
}

export function writeJudgeProject(opts: JudgeProjectOptions): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'llm-eval-judge-'));
  mkdirSync(path.join(dir, 'prompts', 'answer'), { recursive: true });
  mkdirSync(path.join(dir, 'datasets'));
  writeFileSync(path.join(dir, 'prompts', 'answer', 'v1.txt'), 'Question {{ n }}: {{ question }}\n');
  const rows = Array.from({ length: opts.rows }, (_, i) => JSON.stringify({ id: rowName(i), vars: { n: rowName(i), question: `what is ${i} + ${i}?` }, expected: rowName(i) }));
  writeFileSync(path.join(dir, 'datasets', 'qa.jsonl'), rows.join('\n') + '\n');
  const flow = (o: Record<string, unknown>): string => `{ ${Object.entries(o).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ')} }`;
  const price = (p?: { input: number; output: number }): string => (p ? `, price: ${flow(p)}` : '');
  const params = opts.candidateParams ? `, params: ${flow(opts.candidateParams)}` : '';
  const graders = ['      - { type: contains, value: "{{ n }}" }'];
  if (opts.judge === 'pairwise' || opts.judge === 'both') graders.push('      - { type: pairwise, model: judge, rubric: "Which answer is better?" }');
  if (opts.judge === 'judge' || opts.judge === 'both') graders.push('      - { type: judge, model: judge, rubric: "Is the answer right?" }');
  writeFileSync(
    path.join(dir, 'llm-eval.yaml'),
    [
      'models:',
      `  gpt: { provider: openai, model: gpt-4o-mini, baseURL: "${opts.baseURL}"${price(opts.candidatePrice)}${params} }`,
      `  local: { provider: openai-compatible, model: local-model, baseURL: "${opts.baseURL}", apiKeyEnv: LOCAL_KEY, price: { input: 0, output: 0 } }`,
      `  judge: { provider: openai-compatible, model: ${JUDGE_MODEL_ID}, baseURL: "${opts.baseURL}", apiKeyEnv: LOCAL_KEY${price(opts.judgePrice)} }`,
      'suites:',
      '  qa:',
      '    prompt: answer',
      '    dataset: datasets/qa.jsonl',
      '    variants:',
      '      a: { model: gpt }',
      ...(opts.singleVariant ? [] : ['      b: { model: local }']),
      ...(opts.gate ? [`    gate: ${opts.gate}`] : []),
      '    graders:',
      ...graders,
      `defaults: { concurrency: ${opts.concurrency ?? 2}, retries: 0, timeoutMs: 30000, cache: ${opts.cache ?? 'off'} }`,
      '',
    ].join('\n'),
  );
  return dir;
}

export function isJudgeRequest(r: RecordedRequest): boolean {
  return r.body?.['model'] === JUDGE_MODEL_ID;
}

/**
 * Server behaviour: candidates get the echo answer; the judge gets `judgeReply` (default: a
 * valid verdict for both graders' schemas). Usage is fixed so costs can be computed by hand.
 */
export function judgeServer(judgeReply?: (r: RecordedRequest) => FakeReply, usage = { input: 100, output: 20, cachedInput: 0 }): (r: RecordedRequest) => FakeReply {
  return (r) => {
    if (!isJudgeRequest(r)) return { type: 'answer', usage };
    if (judgeReply) return judgeReply(r);
    const verdict = r.rawBody.includes('<<<RESPONSE-1-') ? { reasoning: 'Both fine.', winner: 'tie' } : { reasoning: 'Right.', score: 1 };
    return { type: 'answer', text: JSON.stringify(verdict), usage };
  };
}
