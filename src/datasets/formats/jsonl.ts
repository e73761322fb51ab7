import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { RawEntry } from './types.js';

/**
 * JSON Lines, streamed line by line: memory stays flat however long the file. Blank lines are
 * skipped; a line that is not JSON is one problem at its line, and reading goes on.
 */
export async function* readJsonl(file: string): AsyncGenerator<RawEntry> {
  const stream = createReadStream(file, { encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (let text of lines) {
      line++;
      if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      if (text.trim() === '') continue;
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        yield { issue: { file, line, message: `not valid JSON (${reason}); each line of a .jsonl file must be one JSON object` } };
        continue;
      }
      yield { raw, source: { file, line } };
    }
  } finally {
    lines.close();
    stream.destroy();
  }
}
