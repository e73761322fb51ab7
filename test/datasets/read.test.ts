import { mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { readDataset, readDatasetEntries, type DatasetEntry } from '../../src/datasets/read.js';
import { rowId } from '../../src/datasets/rowId.js';
import { ConfigError } from '../../src/errors.js';
import type { DatasetRow } from '../../src/types.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'llm-eval-datasets-'));
});

async function write(name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
}

async function rows(file: string): Promise<DatasetRow[]> {
  const out: DatasetRow[] = [];
  for await (const r of readDataset(file)) out.push(r);
  return out;
}

async function entries(file: string): Promise<DatasetEntry[]> {
  const out: DatasetEntry[] = [];
  for await (const e of readDatasetEntries(file)) out.push(e);
  return out;
}

async function readError(file: string): Promise<ConfigError> {
  const err = await rows(file).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigError);
  return err as ConfigError;
}

const withoutSource = (r: DatasetRow): Omit<DatasetRow, 'source'> => {
  const { source: _source, ...rest } = r;
  return rest;
};

describe('the same rows in every format', () => {
  // CSV cells are strings, so the other formats hold strings too: same content, same ids.
  const jsonl = [
    '{"id": "refund-1", "vars": {"ticket": "I want a refund", "channel": "email"}, "expected": "billing", "tags": ["money", "urgent"]}',
    '{"ticket": "App crashes", "channel": "chat", "expected": "tech"}',
    '',
    '{"vars": {"ticket": "Hello, \\"world\\"", "channel": "phone"}, "expected": "other"}',
  ].join('\n');
  const csv = [
    'id,ticket,channel,expected,tags',
    'refund-1,I want a refund,email,billing,money;urgent',
    ',App crashes,chat,tech,',
    ',"Hello, ""world""",phone,other,',
  ].join('\r\n');
  const yaml = [
    '- id: refund-1',
    '  vars: { ticket: I want a refund, channel: email }',
    '  expected: billing',
    '  tags: [money, urgent]',
    '- ticket: App crashes',
    '  channel: chat',
    '  expected: tech',
    '- vars:',
    '    ticket: \'Hello, "world"\'',
    '    channel: phone',
    '  expected: other',
  ].join('\n');
  const json = JSON.stringify(
    [
      { id: 'refund-1', vars: { ticket: 'I want a refund', channel: 'email' }, expected: 'billing', tags: ['money', 'urgent'] },
      { ticket: 'App crashes', channel: 'chat', __expected: 'tech' },
      { vars: { channel: 'phone', ticket: 'Hello, "world"' }, expected: 'other' },
    ],
    null,
    2,
  );

  it('yields identical rows and ids from .jsonl, .csv, .yaml and .json', async () => {
    const byFormat = {
      jsonl: await rows(await write('t.jsonl', jsonl)),
      csv: await rows(await write('t.csv', csv)),
      yaml: await rows(await write('t.yaml', yaml)),
      json: await rows(await write('t.json', json)),
    };
    const expected = [
      { id: 'refund-1', vars: { ticket: 'I want a refund', channel: 'email' }, expected: 'billing', tags: ['money', 'urgent'] },
      { id: rowId(undefined, { ticket: 'App crashes', channel: 'chat' }, 'tech'), vars: { ticket: 'App crashes', channel: 'chat' }, expected: 'tech' },
      { id: rowId(undefined, { ticket: 'Hello, "world"', channel: 'phone' }, 'other'), vars: { ticket: 'Hello, "world"', channel: 'phone' }, expected: 'other' },
    ];
    for (const [format, got] of Object.entries(byFormat)) {
      expect(got.map(withoutSource), format).toEqual(expected);
    }
    expect(byFormat.jsonl.map((r) => r.source.line)).toEqual([1, 2, 4]);
    expect(byFormat.csv.map((r) => r.source.line)).toEqual([2, 3, 4]);
    expect(byFormat.yaml.map((r) => r.source.line)).toEqual([1, 5, 8]);
    expect(byFormat.json.map((r) => r.source.line)).toEqual([2, 14, 19]);
  });

  it('keeps the same ids when the file is read again', async () => {
    const file = await write('t.jsonl', jsonl);
    expect((await rows(file)).map((r) => r.id)).toEqual((await rows(file)).map((r) => r.id));
  });
});

describe('.jsonl', () => {
  it('reports a line that is not JSON at its line', async () => {
    const file = await write('bad.jsonl', '{"q": "a"}\n\n{"q": "b"}\n{"q": oops}\n{"q": "c"}\n');
    const err = await readError(file);
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]).toMatchObject({ file, line: 4 });
    expect(err.issues[0]!.message).toMatch(/^not valid JSON \(.+\); each line of a \.jsonl file must be one JSON object$/);
  });

  it('reports every bad line and keeps reading the good ones', async () => {
    const file = await write('bad.jsonl', '[1, 2]\n{"q": "a"}\n"text"\n{"q": "b"}\n');
    const got = await entries(file);
    expect(got.map((e) => ('row' in e ? `row@${e.row.source.line}` : `issue@${e.issue.line}`))).toEqual(['issue@1', 'row@2', 'issue@3', 'row@4']);
    const first = got[0] as { issue: { message: string } };
    expect(first.issue.message).toContain('a row must be an object');
    expect(first.issue.message).toContain('got a list');
  });

  it('takes id, expected, __expected, tags and human out of a flat row', async () => {
    const file = await write('flat.jsonl', '{"id": 7, "q": "a", "__expected": {"x": 1}, "tags": "a, b|c", "human": "pass", "n": 3}\n');
    expect((await rows(file)).map(withoutSource)).toEqual([{ id: '7', vars: { q: 'a', n: 3 }, expected: { x: 1 }, tags: ['a', 'b', 'c'], human: 'pass' }]);
  });
});

describe('row shapes', () => {
  it('refuses vars that are not an object, at the key line in YAML', async () => {
    const file = await write('bad.yaml', '- vars: { q: a }\n- id: two\n  vars: [a, b]\n');
    const err = await readError(file);
    expect(err.issues[0]).toMatchObject({ line: 3, message: '"vars" must be an object of variable names to values (got a list)' });
  });

  it('refuses unknown keys beside vars, listing the valid ones', async () => {
    const file = await write('bad.jsonl', '{"vars": {"q": "a"}, "assert": []}\n');
    const err = await readError(file);
    expect(err.issues[0]!.message).toBe('unknown key "assert" in a row with "vars"; valid keys: id, vars, expected, tags, human, messages, turns, toolResults (move inputs into "vars")');
  });

  it('refuses tags that are not strings', async () => {
    const file = await write('bad.json', '[\n  {"q": "a"},\n  {"q": "b",\n   "tags": [1, 2]}\n]');
    const err = await readError(file);
    expect(err.issues[0]).toMatchObject({ line: 4, message: expect.stringContaining('"tags" must be a list of strings') });
  });

  it('refuses an id that is not a string or number', async () => {
    const file = await write('bad.jsonl', '{"id": {"a": 1}, "q": "x"}\n');
    expect((await readError(file)).issues[0]!.message).toBe('"id" must be a string or a number (got an object)');
  });
});

describe('ids', () => {
  it('refuses a duplicate explicit id, naming both lines', async () => {
    const file = await write('dup.jsonl', '{"id": "a", "q": 1}\n{"id": "b", "q": 2}\n{"id": "a", "q": 3}\n');
    const err = await readError(file);
    expect(err.issues).toEqual([{ file, line: 3, message: 'duplicate id "a": line 1 has the same id; give each row its own id' }]);
  });

  it('numbers identical rows without an id in file order', async () => {
    const file = await write('same.jsonl', '{"q": "x"}\n{"q": "y"}\n{"q": "x"}\n{"q": "x"}\n');
    const ids = (await rows(file)).map((r) => r.id);
    const h = rowId(undefined, { q: 'x' }, undefined);
    expect(ids).toEqual([h, rowId(undefined, { q: 'y' }, undefined), `${h}~2`, `${h}~3`]);
  });
});

describe('.csv', () => {
  it('reads __expected as the expected value and keeps cells as strings', async () => {
    const file = await write('t.csv', 'question,n,__expected\nWhat is 2+2?,2,4\n');
    expect((await rows(file)).map(withoutSource)).toEqual([
      { id: rowId(undefined, { question: 'What is 2+2?', n: '2' }, '4'), vars: { question: 'What is 2+2?', n: '2' }, expected: '4' },
    ]);
  });

  it('treats a column named vars as a var', async () => {
    const file = await write('t.csv', 'vars,q\nx,y\n');
    expect((await rows(file))[0]!.vars).toEqual({ vars: 'x', q: 'y' });
  });

  it('gives each record its first line, across quoted line breaks (LF and CRLF) and blank lines', async () => {
    const file = await write('ml.csv', 'q,expected\r\n"one\r\ntwo\r\nthree",a\r\nsingle,b\r\n\r\n"x\ny",c\r\nlast,d');
    const got = await rows(file);
    expect(got.map((r) => r.source.line)).toEqual([2, 5, 7, 9]);
    expect(got[0]!.vars.q).toBe('one\r\ntwo\r\nthree');
  });

  it('reports a row with the wrong number of cells at its line and reads on', async () => {
    const file = await write('t.csv', 'a,b,expected\n1,2,3\n4,5\n6,7,8\n');
    const got = await entries(file);
    expect(got).toHaveLength(3);
    expect(got[1]).toEqual({
      issue: { file, line: 3, message: 'this row has 2 cells but the header has 3 columns (a, b, expected); quote a cell that contains a comma' },
    });
  });

  it('refuses a header with a repeated column', async () => {
    const err = await readError(await write('t.csv', 'q,q\n1,2\n'));
    expect(err.issues[0]).toMatchObject({ line: 1, message: 'header column "q" appears twice: column names must be unique' });
  });

  it('reports an unclosed quote with its line', async () => {
    const err = await readError(await write('t.csv', 'q,expected\na,b\n"open,c\n'));
    expect(err.issues[0]!.message).toMatch(/^CSV syntax error: Quote Not Closed/);
    expect(err.issues[0]!.line).toBe(3);
  });
});

describe('.json and .yaml', () => {
  it('names the line of a JSON syntax error', async () => {
    const err = await readError(await write('t.json', '[\n  {"q": "a"},\n  {"q": "b",}\n  {"q": "c"}\n]\n'));
    expect(err.issues[0]!.message).toMatch(/^JSON syntax error/);
    expect(err.issues[0]!.line).toBeGreaterThanOrEqual(3);
    expect(err.issues[0]!.line).toBeLessThanOrEqual(4);
  });

  it('refuses a document that is not a list', async () => {
    const err = await readError(await write('t.yaml', 'rows:\n  - q: a\n'));
    expect(err.issues[0]).toMatchObject({ line: 1, message: expect.stringContaining('a .yaml dataset must be a list of rows') });
  });

  it('reads an empty file as no rows', async () => {
    expect(await rows(await write('t.yml', '# nothing yet\n'))).toEqual([]);
  });
});

describe('files', () => {
  it('refuses an unknown extension, listing the supported ones', async () => {
    const err = await readError(await write('t.xlsx', ''));
    expect(err.issues[0]!.message).toBe('unsupported dataset format ".xlsx": use one of .jsonl, .csv, .yaml, .yml, .json');
  });

  it('refuses a missing file', async () => {
    const err = await readError(path.join(dir, 'missing.jsonl'));
    expect(err.issues[0]!.message).toContain('dataset file not found');
  });

  it('refuses a folder', async () => {
    await mkdir(path.join(dir, 'd.jsonl'));
    expect((await readError(path.join(dir, 'd.jsonl'))).issues[0]!.message).toContain('is a folder');
  });
});
