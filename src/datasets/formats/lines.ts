import { createReadStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { ConfigError } from '../../errors.js';
import { MAX_DATASET_LINE_BYTES } from '../../config/limits.js';

/**
 * A dataset file's lines as bytes, checked on the way: a line longer than the limit is a
 * FILE:LINE error (a file without line breaks, such as /dev/zero, never grows a string until
 * Node throws RangeError), and `utf8Problem` tells a line that is not UTF-8 (a decoder would turn
 * its bytes into U+FFFD silently, changing the case's text).
 */

export interface ByteLine {
  bytes: Buffer;
  /** 1-based line number. */
  line: number;
  /** Whether a "\n" followed the line in the file (false only for the last one). */
  newline: boolean;
}

export async function* readByteLines(file: string, maxBytes = MAX_DATASET_LINE_BYTES): AsyncGenerator<ByteLine> {
  const stream = createReadStream(file);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let line = 1;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0;
      for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
        const piece = chunk.subarray(start, nl);
        if (pendingBytes + piece.length > maxBytes) throw tooLong(file, line, maxBytes);
        const bytes = pending.length ? Buffer.concat([...pending, piece]) : piece;
        pending = [];
        pendingBytes = 0;
        yield { bytes, line: line++, newline: true };
        start = nl + 1;
      }
      if (start < chunk.length) {
        const rest = chunk.subarray(start);
        if (pendingBytes + rest.length > maxBytes) throw tooLong(file, line, maxBytes);
        pending.push(rest);
        pendingBytes += rest.length;
      }
    }
    yield { bytes: Buffer.concat(pending), line, newline: false };
  } finally {
    stream.destroy();
  }
}

function tooLong(file: string, line: number, maxBytes: number): ConfigError {
  return ConfigError.at(file, line, `line ${line} is longer than ${maxBytes / 2 ** 20} MB: split it into rows, or check the path (is it a data file?)`);
}

/** Why `bytes` is not UTF-8 text, or undefined when it is. */
export function utf8Problem(bytes: Buffer): string | undefined {
  if (isUtf8(bytes)) return undefined;
  return notUtf8(bytes.toString('utf8').indexOf('\uFFFD') + 1);
}

function notUtf8(column = 0): string {
  return `not valid UTF-8${column > 0 ? ` (from column ${column})` : ''}: datasets are read as UTF-8; convert the file (e.g. \`iconv -f latin1 -t utf-8\`)`;
}

/** A whole (small-format) dataset file as text: every line within the limit and UTF-8, else FILE:LINE errors. */
export async function readCheckedText(file: string): Promise<string> {
  const parts: string[] = [];
  for await (const { bytes, line } of readByteLines(file)) {
    const problem = utf8Problem(bytes);
    if (problem) throw ConfigError.at(file, line, problem);
    parts.push(bytes.toString('utf8'));
  }
  return parts.join('\n');
}

/**
 * The file as text, chunk by chunk as it arrives (a parser that takes a stream, such as CSV, sees
 * each byte as soon as it is read), after the same checks: lines within the limit, UTF-8.
 */
export async function* checkedTextChunks(file: string, maxBytes = MAX_DATASET_LINE_BYTES): AsyncGenerator<string> {
  const stream = createReadStream(file);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let lineBytes = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0;
      for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
        if (lineBytes + (nl - start) > maxBytes) throw tooLong(file, line, maxBytes);
        line++;
        lineBytes = 0;
        start = nl + 1;
      }
      lineBytes += chunk.length - start;
      if (lineBytes > maxBytes) throw tooLong(file, line, maxBytes);
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        throw ConfigError.at(file, firstBadLine(chunk, line - countNewlines(chunk)), notUtf8());
      }
      if (text) yield text;
    }
    const tail = decoder.decode();
    if (tail) yield tail;
  } catch (err) {
    if (err instanceof TypeError) throw ConfigError.at(file, line, notUtf8());
    throw err;
  } finally {
    stream.destroy();
  }
}

function countNewlines(chunk: Buffer): number {
  let n = 0;
  for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++;
  return n;
}

/** The line (counting from `firstLine`, the chunk's first) of the chunk's first line that is not UTF-8. */
function firstBadLine(chunk: Buffer, firstLine: number): number {
  let start = 0;
  let line = firstLine;
  for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
    if (!isUtf8(chunk.subarray(start, nl))) return line;
    line++;
    start = nl + 1;
  }
  return line;
}
