/**
 * Render once (issue 15): the dataset check before a run renders every row, and the run then
 * uses that render instead of rendering the row again. Renders are counted with a Liquid filter
 * that counts its calls, so the test sees how often liquidjs rendered each message.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanDataset } from '../../src/datasets/validate.js';
import { readDataset } from '../../src/datasets/read.js';
import { PromptRenderer } from '../../src/prompts/render.js';
import { KeptRenders } from '../../src/prompts/keptRenders.js';
import { KeptRows } from '../../src/datasets/keptRows.js';
import type { DatasetRow, PromptTemplate } from '../../src/types.js';

function template(content: string): PromptTemplate {
  return { name: 'p', version: 'v1', ref: 'p@v1', file: '/p/p/v1.md', hash: 'h1', messages: [{ role: 'user', content }], messageLines: [1], params: {} };
}

/** A renderer whose `counted` filter counts the renders that reach it. */
function countingRenderer(): { renderer: PromptRenderer; renders: () => number } {
  const renderer = new PromptRenderer();
  let n = 0;
  renderer.liquid.registerFilter('counted', (v: unknown) => {
    n++;
    return v;
  });
  return { renderer, renders: () => n };
}

async function dataset(rows: number): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'llm-eval-render-once-'));
  const file = path.join(dir, 'd.jsonl');
  await writeFile(file, Array.from({ length: rows }, (_, i) => JSON.stringify({ id: `r${i}`, vars: { n: i } })).join('\n') + '\n');
  return file;
}

async function rowsOf(file: string): Promise<DatasetRow[]> {
  const rows: DatasetRow[] = [];
  for await (const row of readDataset(file)) rows.push(row);
  return rows;
}

describe('render once', () => {
  it('a row checked before the run is not rendered again when it runs: 50 rows, 50 renders, not 100', async () => {
    const file = await dataset(50);
    const t = template('Case {{ n | counted }}');
    const { renderer, renders } = countingRenderer();
    const keep = new KeptRows();
    expect((await scanDataset(file, [t], renderer, { keep })).issues).toEqual([]);
    expect(renders()).toBe(50);
    // The run takes the checked rows (not the file again) and renders each row for its case.
    const rows: DatasetRow[] = [];
    for await (const row of keep.read(file)) rows.push(row);
    expect(rows).toHaveLength(50);
    const prompts = rows.map((row) => renderer.renderRow(t, row));
    expect(renders()).toBe(50);
    expect(prompts[7]!.messages).toEqual([{ role: 'user', content: 'Case 7' }]);
    expect(prompts[7]).toMatchObject({ name: 'p', version: 'v1', hash: 'h1' });
    // Each kept render is handed out once: a second request renders afresh, with the same text.
    expect(renderer.renderRow(t, rows[7]!).messages).toEqual([{ role: 'user', content: 'Case 7' }]);
    expect(renders()).toBe(51);
  });

  it('a kept render still carries the template\'s tools, tool choice and response format (they were dropped, so no tools reached the model)', async () => {
    const file = await dataset(1);
    const t: PromptTemplate = {
      ...template('Order {{ n }}'),
      tools: [{ name: 'lookup_order', parameters: { type: 'object', properties: { id: { type: 'string' } } } }],
      toolChoice: 'auto',
      responseFormat: { type: 'json_object' },
    };
    const renderer = new PromptRenderer();
    const keep = new KeptRows();
    expect((await scanDataset(file, [t], renderer, { keep })).issues).toEqual([]);
    const [row] = keep.kept(file)!;
    const kept = renderer.renderRow(t, row!);
    const fresh = renderer.renderRow(t, row!);
    expect(kept.messages).toEqual([{ role: 'user', content: 'Order 0' }]);
    expect(kept).toEqual(fresh);
    expect(kept.tools?.map((tool) => tool.name)).toEqual(['lookup_order']);
    expect(kept.toolChoice).toBe('auto');
    expect(kept.responseFormat).toEqual({ type: 'json_object' });
  });

  it('a row read again from the file, or edited after the check, is rendered from its own vars', async () => {
    const file = await dataset(3);
    const t = template('Case {{ n | counted }}');
    const { renderer, renders } = countingRenderer();
    const keep = new KeptRows();
    await scanDataset(file, [t], renderer, { keep });
    const [row] = keep.kept(file)!;
    const edited: DatasetRow = { ...row!, vars: { n: 'edited' } };
    expect(renderer.renderRow(t, edited).messages[0]!.content).toBe('Case edited');
    expect(renders()).toBe(4);
    const [again] = await rowsOf(file);
    expect(renderer.renderRow(t, again!).messages[0]!.content).toBe('Case 0');
    expect(renders()).toBe(5);
  });

  it('keeps the rows of a file up to its size bound only, and only a file without problems', async () => {
    const small = await dataset(3);
    const t = template('Case {{ n }}');
    const keepSmall = new KeptRows(10_000);
    await scanDataset(small, [t], new PromptRenderer(), { keep: keepSmall });
    expect(keepSmall.kept(small)?.map((r) => r.id)).toEqual(['r0', 'r1', 'r2']);
    // 3 rows of ~25 bytes are more than 50 bytes: streamed again by the run, never kept.
    const keepTiny = new KeptRows(50);
    await scanDataset(small, [t], new PromptRenderer(), { keep: keepTiny });
    expect(keepTiny.kept(small)).toBeUndefined();
    const read: string[] = [];
    for await (const row of keepTiny.read(small)) read.push(row.id);
    expect(read).toEqual(['r0', 'r1', 'r2']);
    // A row the template cannot render: the run never starts, and nothing is kept.
    const keepBad = new KeptRows(10_000);
    const scan = await scanDataset(small, [template('Case {{ missing }}')], new PromptRenderer(), { keep: keepBad });
    expect(scan.issues.length).toBeGreaterThan(0);
    expect(keepBad.kept(small)).toBeUndefined();
  });

  it('keeps at most its bounds: entries beyond either bound are not kept, and a taken entry frees its room', () => {
    const msg = (content: string) => [{ role: 'user' as const, content }];
    const [a, b, c] = [{}, {}, {}];
    const byCount = new KeptRenders(2, 1_000);
    byCount.keep(a, 't', msg('1'));
    byCount.keep(b, 't', msg('2'));
    byCount.keep(c, 't', msg('3'));
    expect(byCount.size).toBe(2);
    expect(byCount.take(c, 't')).toBeUndefined();
    expect(byCount.take(a, 't')).toEqual(msg('1'));
    expect(byCount.take(a, 't')).toBeUndefined();
    byCount.keep(c, 't', msg('3'));
    expect(byCount.take(c, 't')).toEqual(msg('3'));
    // Another template of the same row is another entry; another row object is another key.
    byCount.keep(b, 'u', msg('4'));
    expect(byCount.take({}, 'u')).toBeUndefined();
    expect(byCount.take(b, 'u')).toEqual(msg('4'));
    // 10 characters: "123456" (6) fits; "12345" (5) more would make 11.
    const byChars = new KeptRenders(100, 10);
    byChars.keep(a, 't', msg('123456'));
    byChars.keep(b, 't', msg('12345'));
    expect(byChars.size).toBe(1);
    byChars.take(a, 't');
    byChars.keep(b, 't', msg('12345'));
    expect(byChars.take(b, 't')).toEqual(msg('12345'));
  });
});
