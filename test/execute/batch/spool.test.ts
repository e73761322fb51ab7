import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LineSpool, OutcomeSpool } from '../../../src/execute/batch/spool.js';
import type { BatchOutcome } from '../../../src/types.js';

const anthropic = { head: '{"requests":[', separator: ',\n', tail: ']}\n', type: 'application/json' };
const openai = { head: '', separator: '\n', tail: '\n', type: 'application/jsonl' };

function fill(spool: LineSpool, n: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    // About 180 bytes a line: 20,000 lines cross the 1 MiB chunk written at a time three times.
    const line = JSON.stringify({ custom_id: `le-${String(i).padStart(32, '0')}`, params: { text: 'x'.repeat(120) } });
    lines.push(line);
    spool.push(line, Buffer.byteLength(line) + 1);
  }
  return lines;
}

describe('LineSpool', () => {
  it("builds Anthropic's JSON body from lines written across several chunks", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'spool-')), 'a.queue');
    const spool = new LineSpool(file, anthropic);
    const lines = fill(spool, 20_000);
    const body = await spool.body();
    expect(body.type).toBe('application/json');
    const parsed = JSON.parse(await body.text()) as { requests: unknown[] };
    expect(parsed.requests).toEqual(lines.map((l) => JSON.parse(l)));
    await spool.remove();
    expect(existsSync(file)).toBe(false);
  });

  it("builds OpenAI's JSONL body: one entry a line, a newline after the last", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'spool-')), 'o.queue');
    const spool = new LineSpool(file, openai);
    const lines = fill(spool, 12_000);
    expect(spool.lines).toBe(12_000);
    const text = await (await spool.body()).text();
    expect(text).toBe(lines.join('\n') + '\n');
    await spool.remove();
  });

  it('a queue of one line has no separator', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'spool-')), 'one.queue');
    const spool = new LineSpool(file, anthropic);
    spool.push('{"custom_id":"a"}', 18);
    expect(await (await spool.body()).text()).toBe('{"requests":[{"custom_id":"a"}]}\n');
    await spool.remove();
  });
});

describe('OutcomeSpool', () => {
  async function* outcomes(n: number): AsyncIterable<BatchOutcome> {
    for (let i = 0; i < n; i++) yield { customId: `id-${i}`, body: { n: i, text: 'y'.repeat(100) } };
    // A provider answering one id twice: the later answer counts.
    yield { customId: 'id-3', error: { kind: 'failed', message: 'second answer' } };
  }

  it('reads each outcome back by custom_id, once taken no more, and counts what is left', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'spool-')), 'b.outcomes');
    const spool = await OutcomeSpool.fill(file, outcomes(15_000));
    expect(spool.size).toBe(15_000);
    expect(await spool.get('id-14999')).toEqual({ customId: 'id-14999', body: { n: 14999, text: 'y'.repeat(100) } });
    expect(await spool.get('id-3')).toEqual({ customId: 'id-3', error: { kind: 'failed', message: 'second answer' } });
    expect(spool.has('id-7')).toBe(true);
    spool.take('id-7');
    spool.take('id-7');
    expect(spool.size).toBe(14_999);
    expect(spool.has('id-7')).toBe(false);
    expect(spool.taken('id-7')).toBe(true);
    expect(await spool.get('id-7')).toBeUndefined();
    expect(spool.taken('id-15000')).toBe(false);
    expect(await spool.get('id-15000')).toBeUndefined();
    await spool.close();
    expect(existsSync(file)).toBe(false);
  });
});
