/**
 * Properties of the dataset readers (.jsonl, .csv, .json, .yaml) on any file content:
 *  - reading ends in rows or a ConfigError naming the file and a line ≥ 0, never another
 *    exception, and every row problem found along the way names the file and its line;
 *  - validation (scanDataset, what `validate` and `run` do first) never throws on them either;
 *  - well-formed rows written as JSONL, JSON and YAML read back as the same rows with the same
 *    ids (baselines pair cases by id, whatever the format).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { readDataset, readDatasetEntries } from '../../src/datasets/read.js';
import { scanDataset } from '../../src/datasets/validate.js';
import { PromptRenderer } from '../../src/prompts/render.js';
import { parseTemplateFile } from '../../src/prompts/parseTemplate.js';
import type { DatasetRow } from '../../src/types.js';
import { FUZZ_RUNS, expectConfigError, mutatedOrRandom } from './mutate.js';

const JSONL = [
  '{"id": "refund-1", "vars": {"ticket": "I want a refund", "channel": "email"}, "expected": "billing", "tags": ["money", "urgent"]}',
  '{"ticket": "App crashes", "channel": "chat", "expected": "tech"}',
  '',
  '{"vars": {"ticket": "Hello, \\"world\\"", "n": 3, "nested": {"a": [1, 2]}}, "expected": {"category": "other"}}',
].join('\n');

const CSV = ['id,ticket,channel,expected,tags', 'refund-1,I want a refund,email,billing,money;urgent', ',App crashes,chat,tech,', ',"Hello, ""world""",phone,other,'].join(
  '\r\n',
);

const JSON_ARRAY = `[
  {"id": "refund-1", "vars": {"ticket": "I want a refund"}, "expected": "billing", "tags": ["money"]},
  {"ticket": "App crashes", "expected": "tech"},
  {"id": 7, "vars": {"ticket": "seven", "list": [1, {"x": null}]}}
]
`;

const YAML = `- id: refund-1
  vars: { ticket: I want a refund, channel: email }
  expected: billing
  tags: [money, urgent]
- ticket: App crashes
  expected: tech
- vars:
    ticket: |
      multi
      line
  expected: { category: other }
`;

const BASES: Record<string, string[]> = { '.jsonl': [JSONL], '.csv': [CSV], '.json': [JSON_ARRAY], '.yaml': [YAML] };

let dir: string;
const renderer = new PromptRenderer();
let template: ReturnType<typeof parseTemplateFile>;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'llm-eval-fuzz-datasets-'));
  const file = path.join(dir, 'v1.md');
  const text = '{% if channel %}Channel: {{ channel }}{% endif %}\nTicket: {{ ticket }}\n';
  writeFileSync(file, text);
  template = parseTemplateFile(file, Buffer.from(text), 'classify', 'v1');
});

async function readAll(file: string): Promise<DatasetRow[]> {
  const rows: DatasetRow[] = [];
  for await (const row of readDataset(file)) rows.push(row);
  return rows;
}

/** The contract on one file's content: rows or a ConfigError at a line; entries and scan never throw otherwise. */
async function checkContent(ext: string, text: string): Promise<void> {
  const file = path.join(dir, `data${ext}`);
  writeFileSync(file, text);
  try {
    for (const row of await readAll(file)) {
      expect(typeof row.id).toBe('string');
      expect(row.id.length).toBeGreaterThan(0);
      expect(row.vars !== null && typeof row.vars === 'object' && !Array.isArray(row.vars)).toBe(true);
      expect(row.source.line).toBeGreaterThanOrEqual(1);
    }
  } catch (err) {
    expectConfigError(err, file);
  }
  try {
    for await (const entry of readDatasetEntries(file)) {
      if ('issue' in entry) {
        expect(entry.issue.file).toBe(file);
        expect(Number.isInteger(entry.issue.line) && entry.issue.line >= 1).toBe(true);
      }
    }
  } catch (err) {
    expectConfigError(err, file);
  }
  const scan = await scanDataset(file, [template], renderer);
  for (const issue of scan.issues) expect(Number.isInteger(issue.line) && issue.line >= 1, issue.message).toBe(true);
}

describe('dataset readers on bad input', () => {
  it('read every base file as it is', async () => {
    for (const [ext, bases] of Object.entries(BASES)) {
      const file = path.join(dir, `base${ext}`);
      writeFileSync(file, bases[0]!);
      expect((await readAll(file)).length, ext).toBeGreaterThan(1);
    }
  });

  for (const [ext, bases] of Object.entries(BASES)) {
    it(`${ext}: mutated and random content ends in rows or a ConfigError with file and line`, async () => {
      await fc.assert(
        fc.asyncProperty(mutatedOrRandom(bases), (text) => checkContent(ext, text)),
        { numRuns: FUZZ_RUNS },
      );
    });
  }

  it('.csv: every csv-parse error is a ConfigError (found by this fuzzer: a quote after a space)', async () => {
    for (const text of [' "', 'a,b\n1, "x"\n', 'a,"b\n1,2\n']) {
      const file = path.join(dir, 'quote.csv');
      writeFileSync(file, text);
      expectConfigError(await readAll(file).catch((e: unknown) => e), file);
    }
  });

  it('.yaml: anchors and aliases that expand too far are a row problem at its line, not a crash', async () => {
    const bomb = ['- vars: { ok: fine }', '- a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 8; i++) bomb.push(`  ${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`);
    const file = path.join(dir, 'bomb.yaml');
    writeFileSync(file, bomb.join('\n') + '\n');
    const err = await readAll(file).catch((e: unknown) => e);
    expectConfigError(err, file);
    expect((err as Error).message).toMatch(/bomb\.yaml:2: .*expand too far/);
  });

  it('the same well-formed rows read the same, with the same ids, from .jsonl, .json and .yaml', async () => {
    const value = fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
    const row = fc.record(
      {
        id: fc.oneof(fc.string({ minLength: 1, maxLength: 8 }).filter((s) => s.trim() !== ''), fc.integer({ min: 0, max: 1000 })),
        vars: fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }).filter((k) => k !== '__proto__'), value, { maxKeys: 4 }),
        expected: value.filter((v) => v !== null),
        tags: fc.array(fc.stringMatching(/^[a-z]{1,6}$/), { maxLength: 3 }),
      },
      { requiredKeys: ['vars'] },
    );
    const rows = fc.uniqueArray(row, { maxLength: 6, selector: (r) => (r.id === undefined ? Symbol() : String(r.id).trim()) });
    await fc.assert(
      fc.asyncProperty(rows, async (rs) => {
        const files = {
          jsonl: path.join(dir, 'same.jsonl'),
          json: path.join(dir, 'same.json'),
          yaml: path.join(dir, 'same.yaml'),
        };
        writeFileSync(files.jsonl, rs.map((r) => JSON.stringify(r)).join('\n') + '\n');
        writeFileSync(files.json, JSON.stringify(rs, null, 2));
        writeFileSync(files.yaml, rs.length ? stringifyYaml(rs) : '');
        const strip = (list: DatasetRow[]): unknown[] => list.map(({ source: _source, ...r }) => JSON.parse(JSON.stringify(r)) as unknown);
        const fromJsonl = strip(await readAll(files.jsonl));
        expect(fromJsonl).toHaveLength(rs.length);
        expect(strip(await readAll(files.json))).toEqual(fromJsonl);
        expect(strip(await readAll(files.yaml))).toEqual(fromJsonl);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});
