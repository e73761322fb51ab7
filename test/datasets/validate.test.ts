import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { datasetHash, scanDataset } from '../../src/datasets/validate.js';
import { PromptRenderer } from '../../src/prompts/render.js';
import type { PromptTemplate } from '../../src/types.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'llm-eval-scan-'));
});

async function write(name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
}

function template(ref: string, content: string): PromptTemplate {
  const [name, version] = ref.split('@') as [string, string];
  return { name, version, ref, file: `/p/${name}/${version}.md`, hash: 'h', messages: [{ role: 'user', content }], messageLines: [1], params: {} };
}

describe('scanDataset', () => {
  it('collects every kind of problem in one pass, grouping a repeated one', async () => {
    const file = await write(
      't.jsonl',
      [
        '{"id": "a", "body": "x", "channel": "email"}', // 1: lacks ticket
        '{"id": "b", "ticket": "t", "channel": "chat"}', // 2: fine
        'not json', // 3
        '{"id": "a", "ticket": "t", "channel": "chat"}', // 4: duplicate id
        '{"id": "c", "body": "y", "channel": "chat"}', // 5: lacks ticket
        '{"id": "d", "body": "z", "channel": "web"}', // 6: lacks ticket
      ].join('\n'),
    );
    const v2 = template('classify-ticket@v2', 'Ticket: {{ ticket }} ({{ channel }})');
    const result = await scanDataset(file, [v2], new PromptRenderer());
    expect(result.rows).toBe(4); // the duplicate and the non-JSON line are not rows
    expect(result.issueCount).toBe(5);
    expect(result.issues.map((i) => [i.line, i.message])).toEqual([
      [1, 'prompt classify-ticket@v2 uses variable "ticket", which this row does not provide (row vars: body, channel); also 2 more rows (lines 5, 6)'],
      [3, expect.stringMatching(/^not valid JSON/)],
      [4, 'duplicate id "a": line 1 has the same id; give each row its own id'],
    ]);
  });

  it('checks each row against every template', async () => {
    const file = await write('t.csv', 'ticket,lang\nhello,fr\n');
    const ok = template('p@v1', '{{ ticket }}');
    const needsTone = template('p@v2', '{{ ticket }} in {{ tone }}');
    const result = await scanDataset(file, [ok, needsTone], new PromptRenderer());
    expect(result.issues).toEqual([
      { file, line: 2, message: 'prompt p@v2 uses variable "tone", which this row does not provide (row vars: ticket, lang)' },
    ]);
  });

  it('reports a broken template once, not once per row', async () => {
    const file = await write('t.jsonl', '{"q": 1}\n{"q": 2}\n{"q": 3}\n');
    const result = await scanDataset(file, [template('p@v1', '{% if q %}unclosed')], new PromptRenderer());
    expect(result.rows).toBe(3);
    expect(result.issues).toEqual([{ file: '/p/p/v1.md', line: 1, message: 'prompt p@v1: Liquid syntax error in the user message: tag {% if q %} not closed' }]);
  });

  it('stops listing after maxIssues distinct problems and says how many were left out', async () => {
    // Ten different problems: each line is a number, not an object.
    const file = await write('t.jsonl', Array.from({ length: 10 }, (_, i) => String(i)).join('\n'));
    const result = await scanDataset(file, [], new PromptRenderer(), { maxIssues: 3 });
    expect(result.issueCount).toBe(10);
    // Lines 1–3 are listed; the 7 left out start at line 4, where the summary line points.
    expect(result.issues.map((i) => i.line)).toEqual([1, 2, 3, 4]);
    expect(result.issues[3]).toEqual({ file, line: 4, message: '7 more problems not shown, the first at this line (fix the ones above first)' });
  });

  it('groups the same problem on many rows into one issue listing a few lines', async () => {
    const file = await write('t.jsonl', Array.from({ length: 10 }, (_, i) => `{"id": "same", "n": ${i}}`).join('\n'));
    const result = await scanDataset(file, [], new PromptRenderer());
    expect(result.issues).toEqual([
      { file, line: 2, message: 'duplicate id "same": line 1 has the same id; give each row its own id; also 8 more rows (lines 3, 4, 5, 6, 7, …)' },
    ]);
  });

  it('turns a file-level error into an issue', async () => {
    const result = await scanDataset(path.join(dir, 'missing.csv'), [], new PromptRenderer());
    expect(result.rows).toBe(0);
    expect(result.issues[0]!.message).toContain('dataset file not found');
  });
});

describe('datasetHash', () => {
  it('is the sha256 of the bytes, 12 hex chars, and changes with the content', async () => {
    const file = await write('t.jsonl', '{"q": 1}\n');
    expect(await datasetHash(file)).toBe(createHash('sha256').update('{"q": 1}\n').digest('hex').slice(0, 12));
    const before = await datasetHash(file);
    await writeFile(file, '{"q": 2}\n');
    expect(await datasetHash(file)).not.toBe(before);
  });
});
