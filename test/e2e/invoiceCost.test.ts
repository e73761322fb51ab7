/**
 * Cost that matches the invoice, through the built CLI against the fake LLM server: Anthropic
 * prompt-cache writes and reads and extended thinking, OpenAI cached input and reasoning tokens,
 * priced at the table's rates and shown in report.json, results.jsonl and the terminal.
 *
 * Table rates used (USD per 1M tokens, from the vendors' pages, see test/cost/vendorPrices.json):
 *  - claude-sonnet-4-5: input $3, 5m cache write $3.75, 1h cache write $6, cache hit $0.30, output $15;
 *  - o3: input $2, cached input $0.50, output $8.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import type { FakeReply, RecordedRequest } from '../fake-llm/types.js';
import { runCliAsync } from '../helpers/spawnCli.js';
import { readResultLines } from '../helpers/fakeLlmProject.js';

const ENV = { OPENAI_API_KEY: 'sk-test-SECRET-123456789', ANTHROPIC_API_KEY: 'sk-ant-test-SECRET-123456789' };

interface VariantReport {
  name: string;
  costUsd: number | null;
  tokens: Record<string, number>;
}

function writeProject(llm: FakeLlm): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'llm-eval-invoice-'));
  mkdirSync(path.join(dir, 'prompts', 'support'), { recursive: true });
  mkdirSync(path.join(dir, 'datasets'));
  writeFileSync(
    path.join(dir, 'prompts', 'support', 'v1.yaml'),
    ['messages:', '  - role: system', '    content: The long support policy.', '    cache: true', '  - role: user', '    content: "Ticket {{ n }}"', ''].join('\n'),
  );
  writeFileSync(path.join(dir, 'datasets', 'tickets.jsonl'), ['{"id":"t1","vars":{"n":"t1"}}', '{"id":"t2","vars":{"n":"t2"}}', ''].join('\n'));
  writeFileSync(
    path.join(dir, 'llm-eval.yaml'),
    [
      'models:',
      `  sonnet: { provider: anthropic, model: claude-sonnet-4-5, baseURL: "${llm.anthropicBaseURL}", params: { thinking: { type: enabled, budget_tokens: 1024 } } }`,
      `  sonnetJson: { provider: anthropic, model: claude-sonnet-4-5, baseURL: "${llm.anthropicBaseURL}", stream: false }`,
      `  reasoner: { provider: openai, model: o3, baseURL: "${llm.openaiBaseURL}", params: { reasoning_effort: high } }`,
      'suites:',
      '  support:',
      '    prompt: support',
      '    dataset: datasets/tickets.jsonl',
      '    variants:',
      '      claude: { model: sonnet }',
      '      o3: { model: reasoner }',
      '      claude1h: { model: sonnetJson }',
      '    graders:',
      '      - { type: contains, value: "{{ n }}" }',
      'defaults: { concurrency: 2, retries: 0, timeoutMs: 30000, cache: on }',
      '',
    ].join('\n'),
  );
  return dir;
}

/**
 * Anthropic streamed: 2,000 input tokens of which 1,000 written to the cache for 5 minutes; 100 output, 60 of them thinking.
 * Anthropic JSON: 2,000 input of which 500 read from the cache and 1,000 written to it for an hour; 100 output, 60 thinking.
 * OpenAI: 1,000 input, 800 cached; 500 output, 400 reasoning.
 */
function invoiceServer(r: RecordedRequest): FakeReply {
  const n = /Ticket (t\d)/.exec(JSON.stringify(r.body))?.[1] ?? '?';
  if (r.api === 'anthropic' && !r.stream) return { type: 'answer', text: `answer ${n}`, thinking: 'Hmm.', usage: { input: 2000, cachedInput: 500, cacheWrite: 1000, cacheWrite1h: 1000, output: 100, reasoning: 60 } };
  if (r.api === 'anthropic') return { type: 'answer', text: `answer ${n}`, thinking: 'Let me think about the ticket.', usage: { input: 2000, cachedInput: 0, cacheWrite: 1000, output: 100, reasoning: 60 } };
  return { type: 'answer', text: `answer ${n}`, usage: { input: 1000, cachedInput: 800, output: 500, reasoning: 400 } };
}

describe('cost that matches the invoice (built CLI, fake server)', () => {
  let llm: FakeLlm;
  beforeAll(async () => {
    llm = await startFakeLlm();
  });
  afterAll(async () => {
    await llm.close();
  });

  it('prices cache writes, cache reads and reasoning at their own rates in report.json, results.jsonl and the terminal', async () => {
    llm.reset();
    llm.setBehaviour(invoiceServer);
    const dir = writeProject(llm);
    const r = await runCliAsync(['run'], dir, ENV);
    expect(r.code, r.stdout + r.stderr).toBe(0);

    // What went over the wire: the cache breakpoint and the reasoning params.
    const anthropicReq = llm.requests.find((q) => q.api === 'anthropic')!;
    expect(anthropicReq.body!['system']).toEqual([{ type: 'text', text: 'The long support policy.', cache_control: { type: 'ephemeral' } }]);
    expect(anthropicReq.body!['thinking']).toEqual({ type: 'enabled', budget_tokens: 1024 });
    const openaiReq = llm.requests.find((q) => q.api === 'openai')!;
    expect(openaiReq.body!['reasoning_effort']).toBe('high');
    expect(JSON.stringify(openaiReq.body)).not.toContain('"cache"');

    // Per Claude call: 1,000 plain input × $3 = $0.003, 1,000 5m cache writes × $3.75 = $0.00375,
    // 100 output × $15 = $0.0015: $0.00825 (the thinking is inside the 100 output tokens).
    // Per o3 call: 200 plain input × $2 = $0.0004, 800 cached × $0.50 = $0.0004, 500 output × $8 = $0.004: $0.0048.
    // Per claude1h call: 500 plain × $3 = $0.0015, 500 read × $0.30 = $0.00015, 1,000 1h writes × $6 = $0.006,
    // 100 output × $15 = $0.0015: $0.00915.
    const perCall: Record<string, number> = { claude: 0.00825, o3: 0.0048, claude1h: 0.00915 };
    const lines = readResultLines(path.join(dir, 'reports', 'latest', 'results.jsonl'));
    expect(lines).toHaveLength(6);
    for (const l of lines) {
      expect(l.output).toBe(`answer ${l.caseId}`);
      expect(l.costUsd).toBeCloseTo(perCall[l.variant]!, 10);
    }
    const claudeLine = lines.find((l) => l.variant === 'claude')!;
    expect(claudeLine.tokens).toEqual({ input: 2000, cachedInput: 0, cacheWrite: 1000, output: 100, reasoning: 60 });

    const report = JSON.parse(readFileSync(path.join(dir, 'reports', 'latest', 'report.json'), 'utf8')) as {
      suites: Array<{ variants: VariantReport[] }>;
      totals: { costUsd: number; tokens: Record<string, number> };
    };
    const variants = Object.fromEntries(report.suites[0]!.variants.map((v) => [v.name, v]));
    // Two cases each: Claude 2 × $0.00825 = $0.0165; o3 2 × $0.0048 = $0.0096; claude1h 2 × $0.00915 = $0.0183; total $0.0444.
    expect(variants['claude']!.costUsd).toBeCloseTo(0.0165, 10);
    expect(variants['o3']!.costUsd).toBeCloseTo(0.0096, 10);
    expect(variants['claude1h']!.costUsd).toBeCloseTo(0.0183, 10);
    expect(report.totals.costUsd).toBeCloseTo(0.0444, 10);
    expect(variants['claude1h']!.tokens).toEqual({ input: 4000, cachedInput: 1000, cacheWrite: 2000, cacheWrite1h: 2000, output: 200, reasoning: 120 });
    expect(variants['claude']!.tokens).toEqual({ input: 4000, cachedInput: 0, cacheWrite: 2000, output: 200, reasoning: 120 });
    expect(variants['o3']!.tokens).toEqual({ input: 2000, cachedInput: 1600, output: 1000, reasoning: 800 });

    // The terminal shows the parts priced at their own rates.
    const out = r.stdout + r.stderr;
    expect(out).toContain('in 4.0k (2.0k cache write) / out 200 (120 reasoning)');
    expect(out).toContain('in 2.0k (1.6k cached) / out 1.0k (800 reasoning)');
    expect(out).toContain('$0.0165');
    expect(out).toContain('$0.0096');
    expect(out).toContain('in 4.0k (1.0k cached, 2.0k cache write) / out 200 (120 reasoning)');
    expect(out).toContain('$0.0183');
  });
});
