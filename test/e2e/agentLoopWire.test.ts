/**
 * A 3-step agent loop through the real wire formats: the built CLI runs a suite with
 * `agent: { maxSteps: 4 }` against the fake server as OpenAI (JSON) and Anthropic (SSE), through
 * the real SDKs. The server plays a scripted conversation (test/fake-llm/conversation.ts): no
 * tool result yet → call `lookup_order`; one tool-result turn → call `refund`; two → the final
 * text. Tool results come from the row (`lookup_order`) and from the suite's tools module
 * (`refund`). Then: `--cache replay` with the server stopped and no key gives the same results
 * with no request; and, with the server back and the cache deleted, `--resume` of the first run
 * after a torn results.jsonl asks the server only for the unfinished cases.
 *
 * Cost by hand, every step reporting 100 input and 20 output tokens (prices per million tokens
 * from the vendors' pricing pages: gpt-4o-mini $0.15 in / $0.60 out, claude-haiku-4-5 $1 / $5):
 *  - gpt-4o-mini step: 100 × 0.15e-6 + 20 × 0.6e-6 = 0.000015 + 0.000012 = $0.000027; 3 steps = $0.000081;
 *  - claude-haiku-4-5 step: 100 × 1e-6 + 20 × 5e-6 = 0.0001 + 0.0001 = $0.0002; 3 steps = $0.0006.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import { scriptedConversation } from '../fake-llm/conversation.js';
import type { FakeReply, RecordedRequest } from '../fake-llm/types.js';
import { runCliAsync, type CliExit } from '../helpers/spawnCli.js';
import type { CaseRecord } from '../../src/types.js';

const OPENAI_KEY = 'sk-agent-SECRET-333333';
const ANTHROPIC_KEY = 'sk-ant-agent-SECRET-444444';
const ENV = { OPENAI_API_KEY: OPENAI_KEY, ANTHROPIC_API_KEY: ANTHROPIC_KEY };
const ORDERS = ['A-17', 'B-2', 'C-9'];
const USAGE = { input: 100, output: 20, cachedInput: 0 };

const SCRIPT: FakeReply[] = [
  { type: 'answer', text: 'Let me look.', toolCalls: [{ name: 'lookup_order', arguments: { order_id: 'A-17' } }], usage: USAGE },
  { type: 'answer', text: '', toolCalls: [{ name: 'refund', arguments: { order_id: 'A-17', amount: 30 } }], usage: USAGE },
  { type: 'answer', text: 'Refunded $30 on order A-17.', usage: USAGE },
];

const TOOLS_MODULE = `
export default async function tool(call, ctx) {
  if (call.name === 'refund') return { refunded: call.arguments.amount, case: ctx.caseId };
  return undefined;
}
`;

function writeProject(llm: FakeLlm): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'llm-eval-agent-wire-'));
  mkdirSync(path.join(dir, 'prompts', 'support'), { recursive: true });
  writeFileSync(
    path.join(dir, 'prompts', 'support', 'v1.yaml'),
    [
      'messages:',
      '  - { role: system, content: "You help with orders." }',
      '  - { role: user, content: "Please refund order {{ order }}" }',
      'tools:',
      '  - name: lookup_order',
      '    description: Find an order by id',
      '    parameters: { type: object, properties: { order_id: { type: string } }, required: [order_id] }',
      '  - name: refund',
      '    description: Refund part of an order',
      '    parameters: { type: object, properties: { order_id: { type: string }, amount: { type: number } }, required: [order_id, amount] }',
      '',
    ].join('\n'),
  );
  writeFileSync(path.join(dir, 'tools.mjs'), TOOLS_MODULE);
  const rows = ORDERS.map((order) => ({ id: `case-${order}`, vars: { order }, toolResults: { lookup_order: { order, refundable: true } } }));
  writeFileSync(path.join(dir, 'rows.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  writeFileSync(
    path.join(dir, 'llm-eval.yaml'),
    [
      'models:',
      `  oa-json: { provider: openai, model: gpt-4o-mini, baseURL: "${llm.openaiBaseURL}", stream: false }`,
      `  an-sse: { provider: anthropic, model: claude-haiku-4-5, baseURL: "${llm.anthropicBaseURL}", stream: true }`,
      'suites:',
      '  refunds:',
      '    prompt: support',
      '    dataset: rows.jsonl',
      '    variants:',
      '      oa-json: { model: oa-json }',
      '      an-sse: { model: an-sse }',
      '    agent: { maxSteps: 4 }',
      '    tools: { module: tools.mjs }',
      '    graders:',
      '      - { type: trajectory, sequence: [lookup_order, refund], maxSteps: 3 }',
      '      - { type: contains, value: Refunded }',
      'defaults: { concurrency: 4, retries: 1, timeoutMs: 30000, cache: on }',
      '',
    ].join('\n'),
  );
  return dir;
}

const latest = (dir: string, file: string): string => path.join(dir, 'reports', 'latest', file);

function records(dir: string): CaseRecord[] {
  return readFileSync(latest(dir, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as CaseRecord);
}

/** The order a request is about: the user message of the conversation it re-sends. */
function orderOf(r: RecordedRequest): string | undefined {
  return ORDERS.find((o) => r.rawBody.includes(`Please refund order ${o}`));
}

const byJson = (a: unknown, b: unknown): number => JSON.stringify(a).localeCompare(JSON.stringify(b));

/** What a case's record looks like once graded, for comparing runs. */
function outcome(r: CaseRecord): unknown {
  return { variant: r.variant, caseId: r.caseId, pass: r.pass, output: r.output, tokens: r.tokens, costUsd: r.costUsd, steps: r.steps?.map((s) => [s.toolCalls?.map((c) => c.name) ?? [], s.toolResults?.map((t) => t.content) ?? []]) };
}

describe('agent loop through the OpenAI and Anthropic wire formats (built CLI, fake server)', { timeout: 180_000 }, () => {
  let llm: FakeLlm;
  let dir: string;
  let first: CliExit;
  let firstOutcomes: unknown[];
  let firstRun: string;
  beforeAll(async () => {
    llm = await startFakeLlm({ streamChunks: 3, handler: scriptedConversation(SCRIPT) });
    dir = writeProject(llm);
    first = await runCliAsync(['run'], dir, ENV, 120_000);
    firstRun = realpathSync(latest(dir, ''));
    firstOutcomes = records(dir).map(outcome).sort(byJson);
  }, 180_000);
  afterAll(() => llm.close());

  it('plays tool call → tool call → text for every case, in both formats, and passes', () => {
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const recs = records(dir);
    expect(recs).toHaveLength(6);
    for (const r of recs) {
      const where = `${r.variant}/${r.caseId}`;
      const order = (r.vars as { order: string }).order;
      expect(r.error, where).toBeNull();
      expect(r.pass, where).toBe(true);
      expect(r.output, where).toBe('Refunded $30 on order A-17.');
      expect(r.steps?.map((s) => s.toolCalls?.map((c) => c.name) ?? []), where).toEqual([['lookup_order'], ['refund'], []]);
      expect(r.steps?.[0]?.toolResults?.[0]?.content, where).toBe(JSON.stringify({ order, refundable: true }));
      expect(r.steps?.[1]?.toolResults?.[0]?.content, where).toBe(JSON.stringify({ refunded: 30, case: `case-${order}` }));
    }
    // 6 cases × 3 steps, each step one request; the Anthropic ones streamed.
    expect(llm.requests).toHaveLength(18);
    expect(llm.requests.filter((r) => r.api === 'anthropic').every((r) => r.stream)).toBe(true);
    expect(llm.requests.filter((r) => r.api === 'openai').every((r) => !r.stream)).toBe(true);
    expect(first.stdout).toMatch(/steps refunds \/ oa-json: 3 per case on average, at most 3/);
  });

  it('sends each tool result back answering its call id, in each native format', () => {
    const lastOpenai = llm.requests.filter((r) => r.api === 'openai' && r.rawBody.includes('"role":"tool"')).find((r) => (r.body!['messages'] as unknown[]).length === 6)!;
    const msgs = lastOpenai.body!['messages'] as Array<{ role: string; tool_call_id?: string; tool_calls?: Array<{ id: string }> }>;
    expect(msgs.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'tool']);
    expect(msgs[3]!.tool_call_id).toBe(msgs[2]!.tool_calls![0]!.id);
    expect(msgs[5]!.tool_call_id).toBe(msgs[4]!.tool_calls![0]!.id);
    const lastAnthropic = llm.requests.find((r) => r.api === 'anthropic' && (r.body!['messages'] as unknown[]).length === 5)!;
    const blocks = (lastAnthropic.body!['messages'] as Array<{ role: string; content: Array<{ type: string; id?: string; tool_use_id?: string }> }>).slice(1);
    expect(blocks.map((m) => [m.role, m.content.map((b) => b.type)])).toEqual([
      ['assistant', ['text', 'tool_use']],
      ['user', ['tool_result']],
      ['assistant', ['tool_use']],
      ['user', ['tool_result']],
    ]);
    expect(blocks[1]!.content[0]!.tool_use_id).toBe(blocks[0]!.content[1]!.id);
  });

  it("sums every step's tokens and cost, as worked out by hand", () => {
    for (const r of records(dir)) {
      expect(r.tokens, r.caseId).toEqual({ input: 300, output: 60, cachedInput: 0 });
      // See the file comment: $0.000081 (gpt-4o-mini) and $0.0006 (claude-haiku-4-5) for 3 steps.
      expect(r.costUsd, `${r.variant}/${r.caseId}`).toBeCloseTo(r.variant === 'oa-json' ? 0.000081 : 0.0006, 12);
    }
    const report = JSON.parse(readFileSync(latest(dir, 'report.json'), 'utf8')) as { totals: { costUsd: number; tokens: { input: number } } };
    // 3 × 0.000081 + 3 × 0.0006 = 0.000243 + 0.0018 = $0.002043.
    expect(report.totals.costUsd).toBeCloseTo(0.002043, 12);
    expect(report.totals.tokens.input).toBe(1800);
  });

  it('--cache replay with the server stopped and no key gives the same results, with no request', async () => {
    const before = llm.requests.length;
    await llm.close();
    const again = await runCliAsync(['run', '--cache', 'replay'], dir, {}, 120_000);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(llm.requests).toHaveLength(before);
    // Same outcomes, tokens and steps; a cached case costs nothing (README: "Cached cases are marked `cached: true` and cost 0").
    const replayed = records(dir).map(outcome).sort(byJson);
    expect(replayed).toEqual(firstOutcomes.map((o) => ({ ...(o as object), costUsd: 0 })));
    for (const r of records(dir)) expect(r.steps?.every((s) => s.cached), r.caseId).toBe(true);
    for (const text of [first.stdout, first.stderr, again.stdout, readFileSync(latest(dir, 'results.jsonl'), 'utf8')]) {
      expect(text).not.toContain(OPENAI_KEY);
      expect(text).not.toContain(ANTHROPIC_KEY);
    }
  });

  it('--resume after a torn results.jsonl asks the server only for the unfinished cases', async () => {
    // The server comes back on its port; the cache is gone, so every unfinished case must ask it.
    llm = await startFakeLlm({ streamChunks: 3, handler: scriptedConversation(SCRIPT), port: Number(new URL(llm.url).port) });
    rmSync(path.join(dir, '.llm-eval', 'cache'), { recursive: true, force: true });
    const file = path.join(firstRun, 'results.jsonl');
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    const kept = lines.slice(0, 2).map((l) => JSON.parse(l) as CaseRecord);
    // Two finished cases, then half a line: the run was killed while writing the third.
    writeFileSync(file, lines.slice(0, 2).join('\n') + '\n' + lines[2]!.slice(0, 40));
    const resumed = await runCliAsync(['run', '--resume', path.basename(firstRun)], dir, ENV, 120_000);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    const asked = llm.requests;
    // 4 unfinished cases × 3 steps; none for the kept cases.
    expect(asked).toHaveLength(12);
    for (const k of kept) {
      const order = (k.vars as { order: string }).order;
      const api = k.variant === 'oa-json' ? 'openai' : 'anthropic';
      expect(asked.filter((r) => r.api === api && orderOf(r) === order), `${k.variant}/${k.caseId}`).toHaveLength(0);
    }
    const recs = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as CaseRecord);
    expect(recs.map(outcome).sort(byJson)).toEqual(firstOutcomes);
  });
});
