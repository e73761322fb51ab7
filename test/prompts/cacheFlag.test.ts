import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { loadPromptTemplate } from '../../src/prompts/loader.js';
import { PromptRenderer } from '../../src/prompts/render.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'llm-eval-cache-flag-'));
});

async function write(rel: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
  await writeFile(path.join(dir, rel), text);
}

describe('`cache` on a YAML template message', () => {
  it('marks the message as a prompt-cache breakpoint (true: 5 minutes, 1h: an hour) and survives rendering', async () => {
    await write(
      'support/v1.yaml',
      ['messages:', '  - role: system', '    content: The policy manual', '    cache: true', '  - role: user', '    content: Examples', '    cache: 1h', '  - role: user', '    content: "{{ q }}"', '    cache: false', ''].join('\n'),
    );
    const t = await loadPromptTemplate(dir, 'support', { cache: false });
    expect(t.messages).toEqual([
      { role: 'system', content: 'The policy manual', cache: true },
      { role: 'user', content: 'Examples', cache: '1h' },
      { role: 'user', content: '{{ q }}' },
    ]);
    expect(new PromptRenderer().render(t, { q: 'refund?' }).messages).toEqual([
      { role: 'system', content: 'The policy manual', cache: true },
      { role: 'user', content: 'Examples', cache: '1h' },
      { role: 'user', content: 'refund?' },
    ]);
  });

  it('rejects any other value at its line, saying what is allowed', async () => {
    await write('bad/v1.yaml', ['messages:', '  - role: user', '    content: hi', '    cache: 5m', ''].join('\n'));
    const err = await loadPromptTemplate(dir, 'bad', { cache: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    const issue = (err as ConfigError).issues[0]!;
    expect(issue.line).toBe(4);
    expect(issue.message).toBe('messages[0].cache must be true (cache for 5 minutes), 1h or false (got "5m")');
  });
});
