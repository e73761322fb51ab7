import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { loadPromptTemplate } from '../../src/prompts/loader.js';
import { PromptRenderer } from '../../src/prompts/render.js';

let dir: string;

async function write(rel: string, text: string): Promise<string> {
  const file = path.join(dir, rel);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  return file;
}

async function loadError(ref: string): Promise<ConfigError> {
  const err = await loadPromptTemplate(dir, ref, { cache: false }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigError);
  return err as ConfigError;
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'llm-eval-tools-'));
});

const LOOKUP_YAML = [
  '  - name: lookup_order',
  '    description: Find an order',
  '    parameters:',
  '      type: object',
  '      properties: { order_id: { type: string } }',
  '      required: [order_id]',
].join('\n');

describe('template tools', () => {
  it('declares inline tools and a tool choice, rendered into the request unchanged', async () => {
    await write('support/v1.yaml', `messages:\n  - { role: user, content: "Where is {{ id }}?" }\ntools:\n${LOOKUP_YAML}\ntoolChoice: required\n`);
    const t = await loadPromptTemplate(dir, 'support', { cache: false });
    expect(t.tools).toEqual([
      { name: 'lookup_order', description: 'Find an order', parameters: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] } },
    ]);
    expect(t.toolChoice).toBe('required');
    const rendered = new PromptRenderer().render(t, { id: 'A-17' });
    expect(rendered.messages[0]!.content).toBe('Where is A-17?');
    expect(rendered.tools).toEqual(t.tools);
    expect(rendered.toolChoice).toBe('required');
  });

  it('a markdown template declares tools in its front matter', async () => {
    await write('support/v1.md', `---\ntools:\n${LOOKUP_YAML}\ntoolChoice: { name: lookup_order }\n---\nWhere is my order?\n`);
    const t = await loadPromptTemplate(dir, 'support', { cache: false });
    expect(t.tools?.map((x) => x.name)).toEqual(['lookup_order']);
    expect(t.toolChoice).toEqual({ name: 'lookup_order' });
  });

  it('shares definitions through `tools: { file }` (relative to the template), hashed into the template', async () => {
    await write('shared/support-tools.yaml', `${LOOKUP_YAML}\n`);
    await write('support/v1.yaml', 'messages:\n  - { role: user, content: "hi" }\ntools: { file: ../shared/support-tools.yaml }\n');
    const first = await loadPromptTemplate(dir, 'support', { cache: false });
    expect(first.tools?.map((x) => x.name)).toEqual(['lookup_order']);
    await write('shared/support-tools.yaml', `${LOOKUP_YAML.replace('Find an order', 'Find one order')}\n`);
    const second = await loadPromptTemplate(dir, 'support', { cache: false });
    expect(second.tools?.[0]!.description).toBe('Find one order');
    // Editing the shared tools is a prompt change.
    expect(second.hash).not.toBe(first.hash);
  });

  it('names the file and line of a bad tool definition', async () => {
    const file = await write(
      'support/v1.yaml',
      [
        'messages:',
        '  - { role: user, content: "hi" }',
        'tools:',
        '  - name: lookup order', // line 4: a space is not allowed
        '    parameters: { type: object }',
        '  - name: refund', // line 6
        '    parameters: { type: string }', // line 7: not an object schema
        '  - name: cancel', // line 8: no parameters
        '    descripton: typo', // line 9
      ].join('\n') + '\n',
    );
    const err = await loadError('support');
    expect(err.issues.map((i) => [i.file, i.line])).toEqual([
      [file, 4],
      [file, 7],
      [file, 9],
      [file, 8],
    ]);
    expect(err.message).toContain('"lookup order" is not a valid tool name');
    expect(err.message).toContain('type: object');
    expect(err.message).toContain('unknown key "descripton"');
    expect(err.message).toContain('tool "cancel") has no "parameters"');
  });

  it('rejects a tool choice naming an undeclared tool, and a choice without tools', async () => {
    await write('a/v1.yaml', `messages:\n  - { role: user, content: "hi" }\ntools:\n${LOOKUP_YAML}\ntoolChoice: { name: refund }\n`);
    // messages (1–2), tools (3–9), toolChoice on line 10.
    expect((await loadError('a')).message).toMatch(/v1\.yaml:10: "toolChoice" names tool "refund", which is not declared; tools: lookup_order/);
    await write('b/v1.yaml', 'messages:\n  - { role: user, content: "hi" }\ntoolChoice: sometimes\n');
    expect((await loadError('b')).message).toMatch(/v1\.yaml:3: "toolChoice" must be auto, none, required or \{ name/);
    await write('c/v1.yaml', 'messages:\n  - { role: user, content: "hi" }\ntoolChoice: auto\n');
    expect((await loadError('c')).message).toContain('declares no "tools"');
  });

  it('names a missing or broken tools file', async () => {
    await write('a/v1.yaml', 'messages:\n  - { role: user, content: "hi" }\ntools: { file: nowhere.yaml }\n');
    expect((await loadError('a')).message).toContain('tools file nowhere.yaml not found');
    const tools = await write('b/tools.yaml', '- name: x\n  parameters: { type: object }\n- name: x\n  parameters: { type: object }\n');
    await write('b/v1.yaml', 'messages:\n  - { role: user, content: "hi" }\ntools: { file: tools.yaml }\n');
    const err = await loadError('b');
    expect(err.issues[0]!.file).toBe(tools);
    expect(err.issues[0]!.line).toBe(3);
    expect(err.message).toContain('declared twice');
  });
});
