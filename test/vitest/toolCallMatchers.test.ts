/**
 * The `llm-eval/vitest` matchers grade tool calls: an output `{ output, toolCalls, tools }` reaches
 * the tool-call, tool-calls, tool-args-valid and trajectory graders as in a run, with calls in
 * llm-eval's form (`{ name, arguments }`), Anthropic's (`input`) or OpenAI's
 * (`{ id, type: 'function', function: { name, arguments } }`, arguments a JSON text).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureEval, type HarnessOutput } from '../../src/vitest/index.js';

const TOOLS = [
  { name: 'lookup_order', parameters: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] } },
  { name: 'refund', parameters: { type: 'object', properties: { order_id: { type: 'string' }, amount: { type: 'number', maximum: 100 } }, required: ['order_id', 'amount'] } },
];

// What the OpenAI SDK returns as `message.tool_calls` for a lookup, then a refund of 500.
const openaiReply: HarnessOutput = {
  output: 'Checking.',
  toolCalls: [
    { id: 'call_1', function: { name: 'lookup_order', arguments: '{"order_id":"A-17"}' } },
    { id: 'call_2', function: { name: 'refund', arguments: '{"order_id":"A-17","amount":500}' } },
  ],
  tools: TOOLS,
};

describe('vitest matchers with tool calls', () => {
  beforeAll(async () => {
    await configureEval({ configFile: false, cache: 'off' });
  });
  afterAll(async () => {
    await (await configureEval({ configFile: false, cache: 'off' })).close();
  });

  it('tool-call passes on the expected call, from OpenAI tool_calls', async () => {
    await expect(openaiReply).toPassGrader({ type: 'tool-call', tool: 'lookup_order', args: { order_id: 'A-17' } });
  });

  it('tool-call fails on a `never` tool, naming the call', async () => {
    await expect(expect(openaiReply).toPassGrader({ type: 'tool-call', tool: 'lookup_order', never: ['refund'] })).rejects.toThrow(
      /called refund, which must never be called[\s\S]*tool calls: lookup_order\(\{"order_id":"A-17"\}\), refund/,
    );
  });

  it('tool-args-valid checks the arguments against the declared tools', async () => {
    // amount 500 > maximum 100: one of two calls valid.
    await expect(expect(openaiReply).toPassGrader({ type: 'tool-args-valid' })).rejects.toThrow(/\$\.amount must be <= 100/);
    await expect({ toolCalls: [{ name: 'refund', input: { order_id: 'B-2', amount: 20 } }], tools: TOOLS }).toPassGrader({ type: 'tool-args-valid' });
  });

  it('tool-calls scores the expected sequence, from the row', async () => {
    const row = { expected: { toolCalls: [{ name: 'lookup_order', arguments: { order_id: 'A-17' } }, { name: 'refund' }] } };
    await expect(openaiReply).toPassGrader({ type: 'tool-calls', order: 'strict' }, row);
    await expect({ toolCalls: [{ name: 'refund', arguments: { order_id: 'A-17', amount: 5 } }] }).not.toPassGrader({ type: 'tool-calls', order: 'strict' }, row);
  });

  it('trajectory sees the calls of the answer', async () => {
    await expect(openaiReply).toPassGrader({ type: 'trajectory', sequence: ['lookup_order', 'refund'] });
    await expect(openaiReply).not.toPassGrader({ type: 'trajectory', notUsed: ['refund'] });
  });

  it('broken argument JSON is graded, not a crash', async () => {
    const broken = { toolCalls: [{ name: 'lookup_order', arguments: '{"order_id": "A-17"' }] };
    await expect(expect(broken).toPassGrader({ type: 'tool-call', tool: 'lookup_order', args: { order_id: 'A-17' } })).rejects.toThrow(/the arguments are not valid JSON/);
  });

  it('an answer without calls (the OpenAI SDK sends tool_calls undefined) is graded as an answer without calls', async () => {
    await expect({ output: 'Your order shipped.', toolCalls: undefined }).toPassGrader([{ type: 'tool-call', never: ['refund'] }, { type: 'contains', value: 'shipped' }]);
  });

  it('a plain object without toolCalls is still graded as its JSON text', async () => {
    await expect({ answer: 'Paris' }).toPassGrader({ type: 'json-schema', schema: { type: 'object', required: ['answer'] } });
  });
});
