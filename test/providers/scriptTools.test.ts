import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testModel } from '../fake-llm/testConfig.js';
import { loadProviderFactory } from '../../src/providers/registry.js';
import type { ModelRequest } from '../../src/types.js';

/** A script model that answers with the tools it was offered, as calls: what the script saw, recorded. */
function scriptModel(source: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'llm-eval-script-tools-'));
  writeFileSync(path.join(dir, 'model.mjs'), source);
  return { dir, model: testModel('scripted', { provider: 'script', module: 'model.mjs' }) };
}

const request: ModelRequest = {
  model: 'x',
  messages: [{ role: 'user', content: 'Where is A-17?' }],
  params: {},
  tools: [{ name: 'lookup_order', parameters: { type: 'object' } }],
  toolChoice: 'required',
};

describe('script model and tools', () => {
  it('sees the tools and choice, and answers with tool calls (raw text kept when not JSON)', async () => {
    const { dir, model } = scriptModel(
      [
        'export default async (prompt, ctx) => ({',
        '  output: "",',
        '  toolCalls: [',
        '    { name: ctx.tools[0].name, arguments: { order_id: "A-17", choice: ctx.toolChoice } },',
        '    { name: "broken", arguments: "{\\"a\\": " },',
        '  ],',
        '});',
      ].join('\n'),
    );
    const p = await (await loadProviderFactory('script'))!.create(model, { configDir: dir, env: {} });
    const res = await p.generate(request, { timeoutMs: 5000 });
    expect(res.text).toBe('');
    expect(res.toolCalls).toEqual([
      // Ids the script leaves out are call_<messages so far>_<n>: one message here, calls 1 and 2.
      { id: 'call_1_1', name: 'lookup_order', rawArguments: '{"order_id":"A-17","choice":"required"}', arguments: { order_id: 'A-17', choice: 'required' } },
      { id: 'call_1_2', name: 'broken', rawArguments: '{"a": ' },
    ]);
  });

  it('names the fix when a call has no name', async () => {
    const { dir, model } = scriptModel('export default () => ({ toolCalls: [{ arguments: {} }] });\n');
    const p = await (await loadProviderFactory('script'))!.create(model, { configDir: dir, env: {} });
    await expect(p.generate(request, { timeoutMs: 5000 })).rejects.toThrow('toolCalls[0] without a "name"');
  });
});
