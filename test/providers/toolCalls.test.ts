/**
 * Tool calls through the real SDKs against the fake server, for both APIs, streamed and not:
 * tools and tool_choice sent in each native format, calls parsed from replies (arguments
 * streamed in pieces joined back), invalid JSON arguments kept raw, tool turns sent back in
 * each native format, and the structured-output tool never reported as a call.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import { testModel } from '../fake-llm/testConfig.js';
import { loadProviderFactory } from '../../src/providers/registry.js';
import type { ChatMessage, ModelProvider, ModelRequest, ToolDefinition } from '../../src/types.js';

let llm: FakeLlm;
beforeAll(async () => {
  // 3 pieces: `{"order_id":"A-17"}` (19 chars) streams as 7 + 7 + 5 characters.
  llm = await startFakeLlm({ streamChunks: 3 });
});
afterAll(() => llm.close());
beforeEach(() => llm.reset());

const LOOKUP: ToolDefinition = {
  name: 'lookup_order',
  description: 'Find an order by id',
  parameters: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] },
};

type Api = 'openai' | 'anthropic';

async function provider(api: Api, stream: boolean): Promise<ModelProvider> {
  const factory = (await loadProviderFactory(api))!;
  const model =
    api === 'openai'
      ? testModel('m', { provider: 'openai', model: 'gpt-4o-mini', baseURL: llm.openaiBaseURL, stream })
      : testModel('m', { provider: 'anthropic', model: 'claude-haiku-4-5', baseURL: llm.anthropicBaseURL, stream });
  return factory.create(model, { configDir: '.', env: { OPENAI_API_KEY: 'sk-test', ANTHROPIC_API_KEY: 'sk-ant-test' } });
}

function ask(text: string, extra: Partial<ModelRequest> = {}): ModelRequest {
  return { model: 'x', messages: [{ role: 'user', content: text }], params: {}, tools: [LOOKUP], ...extra };
}

const cases: Array<[Api, boolean]> = [
  ['openai', false],
  ['openai', true],
  ['anthropic', false],
  ['anthropic', true],
];

describe.each(cases)('%s tool calls (stream: %s)', (api, stream) => {
  it('parses the calls of a reply, text beside them, arguments joined from streamed pieces', async () => {
    const p = await provider(api, stream);
    const res = await p.generate(ask('Checking. [[tool:lookup_order {"order_id":"A-17"}]] [[tool:lookup_order {"order_id":"B-2"}]]'), { timeoutMs: 5000 });
    expect(res.text).toBe('Checking.');
    expect(res.toolCalls?.map((c) => [c.name, c.rawArguments, c.arguments])).toEqual([
      ['lookup_order', '{"order_id":"A-17"}', { order_id: 'A-17' }],
      ['lookup_order', '{"order_id":"B-2"}', { order_id: 'B-2' }],
    ]);
    // Ids as the fake server makes them: call_<request index>_<position> / toolu_<…>.
    const prefix = api === 'openai' ? 'call' : 'toolu';
    expect(res.toolCalls?.map((c) => c.id)).toEqual([`${prefix}_0_0`, `${prefix}_0_1`]);
  });

  it('keeps invalid JSON arguments as raw text, without parsed arguments', async () => {
    const p = await provider(api, stream);
    const res = await p.generate(ask('[[tool:lookup_order {"order_id": "A-17"]]'), { timeoutMs: 5000 });
    expect(res.text).toBe('');
    expect(res.toolCalls).toHaveLength(1);
    expect(res.toolCalls![0]!.rawArguments).toBe('{"order_id": "A-17"');
    expect(res.toolCalls![0]!).not.toHaveProperty('arguments');
  });

  it('sends a conversation with a tool call and its result in the native format, and answers after it', async () => {
    const p = await provider(api, stream);
    const messages: ChatMessage[] = [
      { role: 'user', content: 'Where is A-17?' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'lookup_order', rawArguments: '{"order_id":"A-17"}', arguments: { order_id: 'A-17' } }] },
      { role: 'tool', content: 'shipped', toolCallId: 'c1', toolName: 'lookup_order' },
    ];
    const res = await p.generate({ model: 'x', messages, params: {}, tools: [LOOKUP] }, { timeoutMs: 5000 });
    // The fake server answers a tool result with its content.
    expect(res.text).toBe('shipped');
    expect(res.toolCalls).toBeUndefined();
    const sent = llm.requests[0]!.body!['messages'];
    if (api === 'openai') {
      expect(sent).toEqual([
        { role: 'user', content: 'Where is A-17?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup_order', arguments: '{"order_id":"A-17"}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: 'shipped' },
      ]);
    } else {
      expect(sent).toEqual([
        { role: 'user', content: 'Where is A-17?' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'c1', name: 'lookup_order', input: { order_id: 'A-17' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'c1', content: 'shipped' }] },
      ]);
    }
  });

  it('fails clearly when a tool result answers no call (the API says 400)', async () => {
    const p = await provider(api, stream);
    const messages: ChatMessage[] = [
      { role: 'user', content: 'hi' },
      { role: 'tool', content: 'orphan', toolCallId: 'nope' },
    ];
    await expect(p.generate({ model: 'x', messages, params: {} }, { timeoutMs: 5000 })).rejects.toThrow(/tool/);
  });
});

describe('parallel calls answered in one turn', () => {
  it('anthropic: two tool results (and a following user text) share one user turn; openai: one tool message each', async () => {
    const calls = [
      { id: 'c1', name: 'lookup_order', rawArguments: '{"order_id":"A-17"}', arguments: { order_id: 'A-17' } },
      { id: 'c2', name: 'lookup_order', rawArguments: '{"order_id":"B-2"}', arguments: { order_id: 'B-2' } },
    ];
    const messages: ChatMessage[] = [
      { role: 'user', content: 'Where are A-17 and B-2?' },
      { role: 'assistant', content: 'Looking.', toolCalls: calls },
      { role: 'tool', content: 'shipped', toolCallId: 'c1' },
      { role: 'tool', content: 'lost', toolCallId: 'c2' },
    ];
    const an = await provider('anthropic', false);
    // The fake server answers the last turn's tool results joined by newlines.
    expect((await an.generate({ model: 'x', messages, params: {}, tools: [LOOKUP] }, { timeoutMs: 5000 })).text).toBe('shipped\nlost');
    expect(llm.requests[0]!.body!['messages']).toEqual([
      { role: 'user', content: 'Where are A-17 and B-2?' },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Looking.' },
          { type: 'tool_use', id: 'c1', name: 'lookup_order', input: { order_id: 'A-17' } },
          { type: 'tool_use', id: 'c2', name: 'lookup_order', input: { order_id: 'B-2' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'c1', content: 'shipped' },
          { type: 'tool_result', tool_use_id: 'c2', content: 'lost' },
        ],
      },
    ]);
    llm.reset();
    const withText = await an.generate({ model: 'x', messages: [...messages, { role: 'user', content: 'Thanks' }], params: {} }, { timeoutMs: 5000 });
    expect(withText.text).toBe('Thanks');
    const sent = llm.requests[0]!.body!['messages'] as Array<{ content: unknown }>;
    expect(sent).toHaveLength(3);
    expect(sent[2]!.content).toEqual([
      { type: 'tool_result', tool_use_id: 'c1', content: 'shipped' },
      { type: 'tool_result', tool_use_id: 'c2', content: 'lost' },
      { type: 'text', text: 'Thanks' },
    ]);
    llm.reset();
    const oa = await provider('openai', false);
    expect((await oa.generate({ model: 'x', messages, params: {}, tools: [LOOKUP] }, { timeoutMs: 5000 })).text).toBe('shipped\nlost');
    const oaSent = llm.requests[0]!.body!['messages'] as Array<{ role: string }>;
    expect(oaSent.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'tool']);
  });
});

describe('tool definitions and choice on the wire', () => {
  it('openai: tools as functions, each tool_choice form', async () => {
    const p = await provider('openai', false);
    for (const toolChoice of ['auto', 'none', 'required', { name: 'lookup_order' }] as const) await p.generate(ask('hi', { toolChoice }), { timeoutMs: 5000 });
    const bodies = llm.requests.map((r) => r.body!);
    expect(bodies[0]!['tools']).toEqual([
      {
        type: 'function',
        function: { name: 'lookup_order', description: 'Find an order by id', parameters: LOOKUP.parameters },
      },
    ]);
    expect(bodies.map((b) => b['tool_choice'])).toEqual(['auto', 'none', 'required', { type: 'function', function: { name: 'lookup_order' } }]);
  });

  it('anthropic: tools with input_schema, tool_choice auto / none / any / tool', async () => {
    const p = await provider('anthropic', false);
    for (const toolChoice of ['auto', 'none', 'required', { name: 'lookup_order' }] as const) await p.generate(ask('hi', { toolChoice }), { timeoutMs: 5000 });
    const bodies = llm.requests.map((r) => r.body!);
    expect(bodies[0]!['tools']).toEqual([{ name: 'lookup_order', description: 'Find an order by id', input_schema: LOOKUP.parameters }]);
    expect(bodies.map((b) => b['tool_choice'])).toEqual([{ type: 'auto' }, { type: 'none' }, { type: 'any' }, { type: 'tool', name: 'lookup_order' }]);
  });

  it('anthropic: the structured-output tool is the output, not a tool call, even beside user tools', async () => {
    for (const stream of [false, true]) {
      llm.reset();
      const p = await provider('anthropic', stream);
      const schema = { type: 'object', properties: { label: { type: 'string' } }, required: ['label'] };
      // The model picks the answer tool (named `respond`, as a schema without a title is).
      llm.enqueue({ type: 'answer', toolCalls: [{ name: 'respond', arguments: { label: 'billing' } }] });
      const res = await p.generate(ask('classify', { responseFormat: schema }), { timeoutMs: 5000 });
      expect(res.text).toBe('{"label":"billing"}');
      expect(res.toolCalls).toBeUndefined();
      const body = llm.requests[0]!.body!;
      expect((body['tools'] as Array<{ name: string }>).map((t) => t.name)).toEqual(['lookup_order', 'respond']);
      expect(body['tool_choice']).toEqual({ type: 'any' });
    }
  });

  it('a request without tools sends no tools field (bodies unchanged for existing prompts)', async () => {
    for (const api of ['openai', 'anthropic'] as const) {
      llm.reset();
      const p = await provider(api, false);
      await p.generate({ model: 'x', messages: [{ role: 'user', content: 'hi' }], params: {} }, { timeoutMs: 5000 });
      expect(llm.requests[0]!.body).not.toHaveProperty('tools');
      expect(llm.requests[0]!.body).not.toHaveProperty('tool_choice');
    }
  });
});
