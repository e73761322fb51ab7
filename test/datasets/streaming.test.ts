import { execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { readDataset } from '../../src/datasets/read.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'llm-eval-stream-'));
});

function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), ms))]);
}

describe('streaming', () => {
  // A named pipe delivers the file while it is being written: a reader that waited for the
  // whole file would not see the first row until the writer closes it.
  for (const [ext, header, first, rest] of [
    ['jsonl', '', '{"q": "first"}\n', '{"q": "second"}\n{"q": "third"}\n'],
    ['csv', 'q\n', 'first\n', 'second\nthird\n'],
  ] as const) {
    it(`yields the first .${ext} row before the rest of the file exists`, async () => {
      const fifo = path.join(dir, `live.${ext}`);
      execFileSync('mkfifo', [fifo]);
      const writer = createWriteStream(fifo);
      try {
        const rows = readDataset(fifo);
        const pending = rows.next();
        writer.write(header + first);
        // csv-parse holds a record until it sees the next character (it may be a CRLF), so
        // the writer sends one more byte of the next row, but never the rest of the file.
        if (ext === 'csv') writer.write('s');
        const got = await within(5_000, pending, 'first row');
        expect(got.value?.vars).toEqual({ q: 'first' });
        writer.end(ext === 'csv' ? rest.slice(1) : rest);
        const later: unknown[] = [];
        for await (const row of { [Symbol.asyncIterator]: () => rows }) later.push(row.vars.q);
        expect(later).toEqual(['second', 'third']);
      } finally {
        writer.destroy();
      }
    });
  }

  it('reads 200k JSONL rows with unique ids and exact line numbers', async () => {
    const file = path.join(dir, 'big.jsonl');
    const lines: string[] = [];
    for (let i = 0; i < 200_000; i++) lines.push(JSON.stringify({ vars: { i, text: `row ${i}` }, expected: i % 7 === 0 ? 'yes' : 'no' }));
    await writeFile(file, lines.join('\n') + '\n');
    const ids = new Set<string>();
    let count = 0;
    let lastLine = 0;
    // Each row's `i` is its position: the first row out of place, if any, is reported by one
    // expect after the loop rather than 200,000 expect calls inside it.
    let misplaced: { position: number; i: unknown } | undefined;
    for await (const row of readDataset(file)) {
      count++;
      ids.add(row.id);
      lastLine = row.source.line;
      if (misplaced === undefined && row.vars.i !== count - 1) misplaced = { position: count - 1, i: row.vars.i };
    }
    expect(misplaced).toBeUndefined();
    expect(count).toBe(200_000);
    expect(ids.size).toBe(200_000);
    expect(lastLine).toBe(200_000);
  });
});
