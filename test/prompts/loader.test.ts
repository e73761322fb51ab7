import { mkdtemp, mkdir, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { clearPromptTemplateCache, listPrompts, listPromptVersions, loadPromptTemplate } from '../../src/prompts/loader.js';
import { shortHash } from '../../src/util/hash.js';
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
  dir = await mkdtemp(path.join(tmpdir(), 'llm-eval-prompts-'));
});

describe('versions', () => {
  it('takes the latest version in natural order (v10 after v9 and v2)', async () => {
    await write('classify/v2.yaml', 'messages:\n  - { role: user, content: "two" }\n');
    await write('classify/v9.txt', 'nine\n');
    await write('classify/v10.md', 'ten\n');
    expect(await listPromptVersions(dir, 'classify')).toEqual(['v2', 'v9', 'v10']);
    const latest = await loadPromptTemplate(dir, 'classify', { cache: false });
    expect(latest.version).toBe('v10');
    expect(latest.ref).toBe('classify@v10');
    expect(latest.messages).toEqual([{ role: 'user', content: 'ten' }]);
  });

  it('pins a version with name@version and hashes the file bytes', async () => {
    const file = await write('classify/v2.yaml', 'messages:\n  - role: user\n    content: "Ticket: {{ ticket }}"\n');
    await write('classify/v10.yaml', 'messages:\n  - { role: user, content: "newer" }\n');
    const t = await loadPromptTemplate(dir, 'classify@v2', { cache: false });
    expect(t).toMatchObject({ name: 'classify', version: 'v2', ref: 'classify@v2', file: path.resolve(file), params: {} });
    expect(t.messages).toEqual([{ role: 'user', content: 'Ticket: {{ ticket }}' }]);
    expect(t.hash).toBe(shortHash(await readFile(file)));
    expect(t.hash).toMatch(/^[0-9a-f]{12}$/);
  });

  it('lists the prompts that exist when a prompt is unknown', async () => {
    await write('alpha/v1.md', 'a');
    await write('beta/v1.md', 'b');
    await mkdir(path.join(dir, 'empty'));
    expect(await listPrompts(dir)).toEqual(['alpha', 'beta']);
    const err = await loadError('gamma');
    expect(err.message).toContain('unknown prompt "gamma"');
    expect(err.message).toContain('prompts: alpha, beta');
    await expect(listPromptVersions(dir, 'gamma')).rejects.toThrow(/prompts: alpha, beta/);
  });

  it('lists the versions that exist when a version is unknown', async () => {
    await write('alpha/v1.md', 'a');
    await write('alpha/v3.md', 'c');
    const err = await loadError('alpha@v2');
    expect(err.message).toContain('prompt "alpha" has no version "v2"; versions: v1, v3');
  });

  it('refuses one version written twice with different extensions', async () => {
    await write('alpha/v1.md', 'a');
    await write('alpha/v1.yaml', 'messages: [{ role: user, content: a }]');
    const err = await loadError('alpha@v1');
    expect(err.message).toMatch(/alpha@v1 is defined twice \(v1\.(md|yaml) and v1\.(md|yaml)\)/);
  });

  it('refuses references that are not NAME or NAME@VERSION', async () => {
    for (const ref of ['a@b@c', '../secrets', 'a@', '@v1']) {
      const err = await loadError(ref);
      expect(err.message).toContain('NAME@VERSION');
    }
  });
});

describe('.md and .txt templates', () => {
  it('reads system, params, responseFormat and description from the front matter', async () => {
    await write(
      'reply/v1.md',
      [
        '---',
        'description: Drafts a reply',
        'system: You are a {{ tone }} support agent.',
        'params: { temperature: 0.2, max_tokens: 300 }',
        'responseFormat:',
        '  type: object',
        '  properties: { reply: { type: string } }',
        '---',
        '',
        'Customer wrote: {{ body }}',
        '',
      ].join('\n'),
    );
    const t = await loadPromptTemplate(dir, 'reply', { cache: false });
    expect(t.messages).toEqual([
      { role: 'system', content: 'You are a {{ tone }} support agent.' },
      { role: 'user', content: 'Customer wrote: {{ body }}' },
    ]);
    expect(t.messageLines).toEqual([3, 10]);
    expect(t.params).toEqual({ temperature: 0.2, max_tokens: 300 });
    expect(t.responseFormat).toEqual({ type: 'object', properties: { reply: { type: 'string' } } });
    expect(t.description).toBe('Drafts a reply');
  });

  it('treats a file without front matter as one user message', async () => {
    await write('plain/v1.txt', 'Summarise: {{ text }}\n\n');
    const t = await loadPromptTemplate(dir, 'plain', { cache: false });
    expect(t.messages).toEqual([{ role: 'user', content: 'Summarise: {{ text }}' }]);
    expect(t.params).toEqual({});
    expect(t.responseFormat).toBeUndefined();
  });

  it('reports front matter problems at their file line', async () => {
    await write('bad/v1.md', '---\nsystem: hi\nmodel: gpt-4o\n---\nHello\n');
    const err = await loadError('bad');
    expect(err.issues).toEqual([
      expect.objectContaining({ line: 3, message: expect.stringContaining('unknown key "model" in the front matter; valid keys: system, params, responseFormat, description') }),
    ]);
  });

  it('reports a front matter block that is never closed', async () => {
    await write('open/v1.md', '---\nsystem: hi\nHello\n');
    const err = await loadError('open');
    expect(err.issues[0]).toMatchObject({ line: 1, message: expect.stringContaining('never closed') });
  });
});

describe('.yaml templates', () => {
  it('reads messages, params, responseFormat and where each message starts', async () => {
    await write(
      'classify/v1.yaml',
      [
        'description: Routes tickets',
        'params: { temperature: 0 }',
        'responseFormat: { type: object }',
        'messages:',
        '  - role: system',
        '    content: Classify tickets.',
        '  - role: user',
        '    content: |',
        '      Ticket: {{ ticket }}',
      ].join('\n'),
    );
    const t = await loadPromptTemplate(dir, 'classify', { cache: false });
    expect(t.messages).toEqual([
      { role: 'system', content: 'Classify tickets.' },
      { role: 'user', content: 'Ticket: {{ ticket }}\n' },
    ]);
    expect(t.messageLines).toEqual([6, 9]);
    expect(t.params).toEqual({ temperature: 0 });
    expect(t.responseFormat).toEqual({ type: 'object' });
    expect(t.description).toBe('Routes tickets');
  });

  it('reports every shape problem with its YAML line', async () => {
    await write(
      'bad/v1.yaml',
      [
        'messages:', //            1
        '  - role: user', //       2
        '    content: hi', //      3
        '  - role: robot', //      4
        '    content: hi', //      5
        '  - role: user', //       6
        '    text: hi', //         7
        'params: [1, 2]', //       8
        'respnseFormat: {}', //    9
      ].join('\n'),
    );
    const err = await loadError('bad');
    const byLine = Object.fromEntries(err.issues.map((i) => [i.line, i.message]));
    expect(byLine[4]).toContain('messages[1].role must be one of system, user, assistant (got "robot")');
    expect(byLine[7]).toContain('unknown key "text" in messages[2]; valid keys: role, content');
    expect(byLine[6]).toContain('messages[2] has no "content"');
    expect(byLine[8]).toContain('"params" must be a mapping');
    expect(byLine[9]).toContain('unknown key "respnseFormat" in the template; valid keys: messages, params, responseFormat, description');
    expect(err.message).toContain(`${path.join(dir, 'bad', 'v1.yaml')}:4: `);
  });

  it('reports a YAML syntax error at its line', async () => {
    await write('broken/v1.yaml', 'messages:\n  - role: user\n    content: "unterminated\n');
    const err = await loadError('broken');
    expect(err.issues[0]!.message).toMatch(/^YAML syntax error in the template/);
    expect(err.issues[0]!.line).toBeGreaterThanOrEqual(3);
  });

  it('requires messages', async () => {
    await write('none/v1.yaml', 'params: { temperature: 0 }\n');
    const err = await loadError('none');
    expect(err.issues[0]).toMatchObject({ line: 1, message: expect.stringContaining('no "messages"') });
  });
});

describe('cache', () => {
  it('reuses a loaded template until bypassed or cleared', async () => {
    const file = await write('c/v1.md', 'first');
    const a = await loadPromptTemplate(dir, 'c@v1');
    await writeFile(file, 'second');
    expect(await loadPromptTemplate(dir, 'c@v1')).toBe(a);
    expect((await loadPromptTemplate(dir, 'c@v1', { cache: false })).messages[0]!.content).toBe('second');
    clearPromptTemplateCache();
    expect((await loadPromptTemplate(dir, 'c@v1')).messages[0]!.content).toBe('second');
  });
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
