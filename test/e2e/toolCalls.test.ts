/**
 * Tool calls end to end: the built CLI runs a prompt declaring tools (from a shared tools file)
 * against the fake server through four models (OpenAI and Anthropic, JSON and SSE), records
 * the calls, grades them with tool-call, tool-calls and tool-args-valid, shows them in every
 * report, and replays them from the cache with no server and no key.
 *
 * The fake server answers `[[tool:NAME ARGS]]` in the user message with that call (ARGS sent
 * verbatim, streamed in pieces). Rows, by hand:
 *  - lookup: lookup_order({"order_id":"A-17"}), expected that call → every grader passes;
 *  - two:    lookup_order A-17 then B-2, expected in that order   → every grader passes;
 *  - refund: refund({"order_id":"A-17","amount":500}), expected lookup_order →
 *            tool-call fails (refund is a `never` tool), tool-calls F1 0 (nothing expected made),
 *            tool-args-valid fails (amount 500 > maximum 100);
 *  - broken: lookup_order with `{"order_id": "A-17"` (invalid JSON) →
 *            tool-call fails (arguments not JSON), tool-calls F1 0 (its args cannot match),
 *            tool-args-valid fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import { runCliAsync } from '../helpers/spawnCli.js';
import { readResultLines } from '../helpers/fakeLlmProject.js';

const OPENAI_KEY = 'sk-tools-SECRET-111111';
const ANTHROPIC_KEY = 'sk-ant-tools-SECRET-222222';
const ENV = { OPENAI_API_KEY: OPENAI_KEY, ANTHROPIC_API_KEY: ANTHROPIC_KEY };
const VARIANTS = ['oa-json', 'oa-sse', 'an-json', 'an-sse'];

const ROWS = [
  { id: 'lookup', vars: { ask: '[[tool:lookup_order {"order_id":"A-17"}]]' }, expected: { toolCalls: [{ name: 'lookup_order', arguments: { order_id: 'A-17' } }] } },
  {
    id: 'two',
    vars: { ask: 'Both. [[tool:lookup_order {"order_id":"A-17"}]] [[tool:lookup_order {"order_id":"B-2"}]]' },
    expected: { toolCalls: [{ name: 'lookup_order', arguments: { order_id: 'A-17' } }, { name: 'lookup_order', arguments: { order_id: 'B-2' } }] },
  },
  { id: 'refund', vars: { ask: '[[tool:refund {"order_id":"A-17","amount":500}]]' }, expected: { toolCalls: [{ name: 'lookup_order' }] } },
  { id: 'broken', vars: { ask: '[[tool:lookup_order {"order_id": "A-17"]]' }, expected: { toolCalls: [{ name: 'lookup_order', arguments: { order_id: 'A-17' } }] } },
];

function writeProject(llm: FakeLlm): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'llm-eval-tools-'));
  mkdirSync(path.join(dir, 'prompts', 'support'), { recursive: true });
  mkdirSync(path.join(dir, 'tools'));
  mkdirSync(path.join(dir, 'datasets'));
  writeFileSync(
    path.join(dir, 'tools', 'support.yaml'),
    [
      '- name: lookup_order',
      '  description: Find an order by id',
      '  parameters: { type: object, properties: { order_id: { type: string } }, required: [order_id] }',
      '- name: refund',
      '  description: Refund part of an order',
      '  parameters: { type: object, properties: { order_id: { type: string }, amount: { type: number, maximum: 100 } }, required: [order_id, amount] }',
      '',
    ].join('\n'),
  );
  writeFileSync(
    path.join(dir, 'prompts', 'support', 'v1.yaml'),
    ['messages:', '  - { role: user, content: "{{ ask }}" }', 'tools: { file: ../../tools/support.yaml }', 'toolChoice: auto', ''].join('\n'),
  );
  writeFileSync(path.join(dir, 'datasets', 'rows.jsonl'), ROWS.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const oa = `provider: openai, model: gpt-4o-mini, baseURL: "${llm.openaiBaseURL}"`;
  const an = `provider: anthropic, model: claude-haiku-4-5, baseURL: "${llm.anthropicBaseURL}"`;
  writeFileSync(
    path.join(dir, 'llm-eval.yaml'),
    [
      'models:',
      `  oa-json: { ${oa}, stream: false }`,
      `  oa-sse: { ${oa}, stream: true }`,
      `  an-json: { ${an}, stream: false }`,
      `  an-sse: { ${an}, stream: true }`,
      'suites:',
      '  support:',
      '    prompt: support',
      '    dataset: datasets/rows.jsonl',
      '    variants:',
      ...VARIANTS.map((v) => `      ${v}: { model: ${v} }`),
      '    graders:',
      '      - { type: tool-call, never: [refund] }',
      '      - { type: tool-calls, order: strict }',
      '      - { type: tool-args-valid }',
      'defaults: { concurrency: 4, retries: 1, timeoutMs: 30000, cache: on }',
      '',
    ].join('\n'),
  );
  return dir;
}

interface Line {
  variant: string;
  caseId: string;
  pass: boolean;
  output: string;
  error: unknown;
  toolCalls?: Array<{ name: string; rawArguments: string; arguments?: unknown }>;
  grades: Array<{ grader: string; pass: boolean; score: number; reason: string; details?: Record<string, unknown> }>;
}

const latest = (dir: string, file: string): string => path.join(dir, 'reports', 'latest', file);

function lines(dir: string): Line[] {
  return readResultLines(latest(dir, 'results.jsonl')) as unknown as Line[];
}

describe('tool calls (built CLI, fake server, OpenAI and Anthropic, JSON and SSE)', () => {
  let llm: FakeLlm;
  let dir: string;
  let first: Awaited<ReturnType<typeof runCliAsync>>;
  beforeAll(async () => {
    // 3 pieces: streamed arguments arrive split, and must be joined back.
    llm = await startFakeLlm({ streamChunks: 3 });
    dir = writeProject(llm);
    first = await runCliAsync(['run'], dir, ENV, 90_000);
  }, 120_000);
  afterAll(() => llm.close());

  it('sends the declared tools in each native format', () => {
    expect(first.code, first.stdout + first.stderr).toBe(1);
    const openai = llm.requests.find((r) => r.api === 'openai')!.body!;
    expect((openai['tools'] as Array<{ type: string; function: { name: string } }>).map((t) => [t.type, t.function.name])).toEqual([
      ['function', 'lookup_order'],
      ['function', 'refund'],
    ]);
    expect(openai['tool_choice']).toBe('auto');
    const anthropic = llm.requests.find((r) => r.api === 'anthropic')!.body!;
    expect((anthropic['tools'] as Array<{ name: string; input_schema: unknown }>).map((t) => t.name)).toEqual(['lookup_order', 'refund']);
    expect(anthropic['tool_choice']).toEqual({ type: 'auto' });
  });

  it('records the same calls for every provider and format, invalid JSON kept raw', () => {
    const all = lines(dir);
    expect(all).toHaveLength(16);
    for (const v of VARIANTS) {
      const of = (id: string): Line => all.find((l) => l.variant === v && l.caseId === id)!;
      expect(of('lookup').toolCalls).toEqual([expect.objectContaining({ name: 'lookup_order', rawArguments: '{"order_id":"A-17"}', arguments: { order_id: 'A-17' } })]);
      expect(of('two').output).toBe('Both.');
      expect(of('two').toolCalls?.map((c) => c.arguments)).toEqual([{ order_id: 'A-17' }, { order_id: 'B-2' }]);
      expect(of('broken').toolCalls![0]!.rawArguments).toBe('{"order_id": "A-17"');
      expect(of('broken').toolCalls![0]).not.toHaveProperty('arguments');
    }
  });

  it('grades each case as worked out by hand, pass and fail, for every variant', () => {
    for (const l of lines(dir)) {
      const g = Object.fromEntries(l.grades.map((x) => [x.grader, x]));
      const where = `${l.variant}/${l.caseId}`;
      expect(l.error, where).toBeNull();
      if (l.caseId === 'lookup' || l.caseId === 'two') {
        expect(l.pass, where).toBe(true);
        expect(g['tool-calls']!.details, where).toMatchObject({ precision: 1, recall: 1 });
        continue;
      }
      expect(l.pass, where).toBe(false);
      expect([g['tool-call']!.pass, g['tool-calls']!.score, g['tool-args-valid']!.pass], where).toEqual([false, 0, false]);
      if (l.caseId === 'refund') {
        expect(g['tool-call']!.reason).toContain('called refund, which must never be called');
        expect(g['tool-args-valid']!.reason).toContain('$.amount must be <= 100');
      } else {
        expect(g['tool-call']!.reason).toContain('the arguments are not valid JSON');
        expect(g['tool-args-valid']!.reason).toContain('the arguments are not valid JSON');
      }
    }
  });

  it('shows the calls in the terminal, summary.md, junit.xml, report.json and report.html', () => {
    expect(first.stdout).toContain('Failing cases that called tools (8):');
    expect(first.stdout).toMatch(/✗ support \/ \S+ \/ refund: refund\(\{"order_id":"A-17","amount":500\}\) · tool-call: called refund/);
    const md = readFileSync(latest(dir, 'summary.md'), 'utf8');
    expect(md).toContain('| Suite | Variant | Case | Tool calls |');
    expect(md).toContain('`refund({"order_id":"A-17","amount":500})`');
    const junit = readFileSync(latest(dir, 'junit.xml'), 'utf8');
    expect(junit).toContain('tool calls:\n  refund({"order_id":"A-17","amount":500})');
    const report = JSON.parse(readFileSync(latest(dir, 'report.json'), 'utf8')) as { suites: Array<{ variants: Array<{ name: string; toolCalls?: unknown }> }> };
    // Per variant: 1 + 2 + 1 + 1 = 5 calls in 4 cases; lookup_order 4 times, refund once.
    for (const v of report.suites[0]!.variants) expect(v.toolCalls, v.name).toEqual({ calls: 5, cases: 4, byTool: { lookup_order: 4, refund: 1 } });
    const html = readFileSync(latest(dir, 'report.html'), 'utf8');
    expect(html).toContain('refund({\\"order_id\\":\\"A-17\\",\\"amount\\":500})');
    for (const text of [first.stdout, first.stderr, md, junit, html]) {
      expect(text).not.toContain(OPENAI_KEY);
      expect(text).not.toContain(ANTHROPIC_KEY);
    }
  });

  it('replays the calls from the cache with no server and no key', async () => {
    const calls = llm.requests.length;
    const again = await runCliAsync(['run', '--cache', 'replay'], dir, {}, 90_000);
    expect(again.code, again.stdout + again.stderr).toBe(1);
    expect(llm.requests).toHaveLength(calls);
    const replayed = lines(dir);
    expect(replayed.filter((l) => l.pass).map((l) => l.caseId).sort()).toEqual(['lookup', 'lookup', 'lookup', 'lookup', 'two', 'two', 'two', 'two']);
    expect(replayed.find((l) => l.caseId === 'two')!.toolCalls?.map((c) => c.name)).toEqual(['lookup_order', 'lookup_order']);
  });

  it('a dry run after the run finds every tool-declaring request in the cache (the same key as the run)', async () => {
    const again = await runCliAsync(['run', '--dry-run', '--json'], dir, ENV, 90_000);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    const est = JSON.parse(again.stdout) as { totals: { calls: number; cachedCalls: number } };
    // Every call the run made is cached; before the dry run keyed on the tools, none was found.
    expect(est.totals.calls).toBeGreaterThan(0);
    expect(est.totals.cachedCalls).toBe(est.totals.calls);
  });

  it('rescore grades the stored calls again, with no server and no key', async () => {
    const calls = llm.requests.length;
    const again = await runCliAsync(['rescore'], dir, {}, 90_000);
    expect(again.code, again.stdout + again.stderr).toBe(1);
    expect(llm.requests).toHaveLength(calls);
    const rescored = lines(dir);
    expect(rescored).toHaveLength(16);
    const refund = rescored.find((l) => l.caseId === 'refund')!;
    expect(refund.toolCalls?.map((c) => c.name)).toEqual(['refund']);
    expect(refund.grades.find((g) => g.grader === 'tool-args-valid')!.reason).toContain('$.amount must be <= 100');
    expect(rescored.filter((l) => l.pass)).toHaveLength(8);
  });
});
