import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readDatasetEntries } from '../../src/datasets/read.js';
import type { DatasetEntry } from '../../src/datasets/read.js';

async function entries(name: string, text: string): Promise<DatasetEntry[]> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'conv-ds-')), name);
  writeFileSync(file, text);
  const out: DatasetEntry[] = [];
  for await (const e of readDatasetEntries(file)) out.push(e);
  return out;
}

describe('conversation rows', () => {
  it('reads messages, turns and toolResults as data, not vars', async () => {
    const [e] = await entries('rows.yaml', [
      '- vars: { question: "{{ not_liquid }}" }',
      '  messages:',
      '    - { role: user, content: "hi {{ name }}" }',
      '    - { role: assistant, content: "", toolCalls: [{ id: c1, name: lookup, arguments: { id: 1 } }] }',
      '    - { role: tool, toolCallId: c1, content: "found" }',
      '  turns: [{ user: "next" }]',
      '  toolResults: { lookup: { ok: true } }',
    ].join('\n'));
    expect('row' in e!).toBe(true);
    const row = (e as { row: import('../../src/types.js').DatasetRow }).row;
    expect(row.vars).toEqual({ question: '{{ not_liquid }}' });
    expect(row.messages?.[0]).toEqual({ role: 'user', content: 'hi {{ name }}' });
    expect(row.messages?.[1]?.toolCalls).toEqual([{ id: 'c1', name: 'lookup', rawArguments: '{"id":1}', arguments: { id: 1 } }]);
    expect(row.messages?.[2]).toEqual({ role: 'tool', content: 'found', toolCallId: 'c1', toolName: 'lookup' });
    expect(row.turns).toEqual([{ user: 'next' }]);
    expect(row.toolResults).toEqual([{ tool: 'lookup', result: { ok: true } }]);
  });

  it('names the file, the line of the key and the fix for a bad turn', async () => {
    const found = await entries('rows.yaml', [
      '- id: ok',
      '  question: fine',
      '- id: bad',
      '  question: x',
      '  messages:',
      '    - { role: system, content: "no" }',
      '- id: bad-tool',
      '  messages:',
      '    - { role: tool, toolCallId: nope, content: "x" }',
      '- id: bad-turns',
      '  turns: [{ usr: "typo" }]',
    ].join('\n'));
    const issues = found.filter((e): e is { issue: { file: string; line: number; message: string } } => 'issue' in e).map((e) => e.issue);
    expect(issues.map((i) => [path.basename(i.file), i.line])).toEqual([
      ['rows.yaml', 5],
      ['rows.yaml', 8],
      ['rows.yaml', 11],
    ]);
    expect(issues[0]!.message).toContain('messages[0]: "role" must be one of user, assistant, tool');
    expect(issues[0]!.message).toContain('system messages come from the prompt template');
    expect(issues[1]!.message).toContain('answers no earlier assistant tool call');
    expect(issues[2]!.message).toContain('turns[0]: unknown key "usr"');
  });

  it('keeps the id of a plain row, and tells apart rows that differ only in their conversation', async () => {
    const plain = await entries('a.jsonl', JSON.stringify({ vars: { q: 1 } }) + '\n');
    const again = await entries('b.jsonl', JSON.stringify({ vars: { q: 1 } }) + '\n');
    expect((plain[0] as { row: { id: string } }).row.id).toBe((again[0] as { row: { id: string } }).row.id);
    const two = await entries('c.jsonl', [{ vars: { q: 1 }, turns: [{ user: 'a' }] }, { vars: { q: 1 }, turns: [{ user: 'b' }] }].map((r) => JSON.stringify(r)).join('\n') + '\n');
    const ids = two.map((e) => (e as { row: { id: string } }).row.id);
    expect(ids[0]).not.toBe(ids[1]);
    expect(ids.some((id) => id.includes('~'))).toBe(false);
  });

  it('leaves a CSV column named messages a var', async () => {
    const [e] = await entries('rows.csv', 'messages,q\nhello,1\n');
    expect((e as { row: { vars: Record<string, unknown> } }).row.vars).toEqual({ messages: 'hello', q: '1' });
  });
});
