import { readByteLines, utf8Problem } from './lines.js';
import { duplicateKey, duplicateKeyMessage } from './jsonPositions.js';
import type { RawEntry } from './types.js';

/**
 * JSON Lines, streamed line by line: memory stays flat however long the file. Blank lines are
 * skipped; a line that is not UTF-8 or not JSON is one problem at its line, and reading goes on.
 */
export async function* readJsonl(file: string): AsyncGenerator<RawEntry> {
  for await (const { bytes, line } of readByteLines(file)) {
    const problem = utf8Problem(bytes);
    if (problem) {
      yield { issue: { file, line, message: problem } };
      continue;
    }
    let text = bytes.toString('utf8');
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
    const dup = typeof raw === 'object' && raw !== null ? duplicateKey(text) : undefined;
    if (dup) {
      yield { issue: { file, line, message: duplicateKeyMessage(dup.key) } };
      continue;
    }
    yield { raw, source: { file, line } };
  }
}
