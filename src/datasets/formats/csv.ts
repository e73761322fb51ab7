import { Readable } from 'node:stream';
import { checkedTextChunks } from './lines.js';
import { CsvError, parse, type InfoRecord } from 'csv-parse';
import { ConfigError, type Issue } from '../../errors.js';
import type { RawEntry } from './types.js';
import { pushAll } from '../../util/arrays.js';

/**
 * CSV, streamed record by record. The header row names the columns; `id`, `expected` /
 * `__expected`, `tags` and `human` are the reserved ones (see row.ts), every other column is a
 * var. Cells stay strings; an empty cell in a reserved column means "not given".
 */

/** csv-parse with `info: true` yields each record with its position. */
interface CsvItem {
  record: Record<string, string>;
  info: InfoRecord;
}

const RESERVED_EMPTY_MEANS_ABSENT = ['id', 'expected', '__expected', 'tags', 'human'];

export async function* readCsv(file: string): AsyncGenerator<RawEntry> {
  let header: string[] | undefined;
  const headerIssues: Issue[] = [];
  const source = Readable.from(checkedTextChunks(file));
  const parser = source.pipe(
    parse({
      bom: true,
      info: true,
      // A blank or whitespace-only line is layout, not a case.
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      // A short or long row is reported at its line, and reading goes on to find the others.
      relax_column_count: true,
      columns: (names: string[]) => {
        header = names.map((n) => n.trim());
        pushAll(headerIssues, checkHeader(file, header));
        return header;
      },
    }),
  );

  // pipe() does not pass on the source's errors (a line too long, bytes that are not UTF-8).
  source.on('error', (err) => parser.destroy(err));
  const lines = new LineTracker();
  try {
    // csv-parse's async iterator is untyped (`any`); with `info: true` each item is a CsvItem.
    for await (const item of parser as AsyncIterable<CsvItem>) {
      if (headerIssues.length > 0) throw new ConfigError(headerIssues);
      const line = lines.startOf(item);
      const error = item.info.error as (CsvError & { record?: unknown[] }) | undefined;
      if (error !== undefined && header !== undefined) {
        const cells = error.record?.length ?? Object.keys(item.record).length;
        yield {
          issue: {
            file,
            line,
            message: `this row has ${cells} cells but the header has ${header.length} columns (${header.join(', ')}); quote a cell that contains a comma`,
          },
        };
        continue;
      }
      yield { raw: toRaw(item.record), source: { file, line }, flat: true };
    }
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const csvError = err as Partial<CsvError> & { lines?: number };
    // Every csv-parse error is a CsvError; not every code starts with CSV_ (INVALID_OPENING_QUOTE).
    if (err instanceof CsvError || (typeof csvError.code === 'string' && csvError.code.startsWith('CSV_'))) {
      throw ConfigError.at(file, csvError.lines ?? 0, `CSV syntax error: ${csvError.message}`);
    }
    throw err;
  } finally {
    parser.destroy();
  }
  if (headerIssues.length > 0) throw new ConfigError(headerIssues);
}

function checkHeader(file: string, names: string[]): Issue[] {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (name === '') issues.push({ file, line: 1, message: `header column ${i + 1} has no name: name every column` });
    else if (seen.has(name)) issues.push({ file, line: 1, message: `header column "${name}" appears twice: column names must be unique` });
    seen.add(name);
  });
  if (seen.has('expected') && seen.has('__expected')) {
    issues.push({ file, line: 1, message: 'the header has both "expected" and "__expected": keep one' });
  }
  return issues;
}

function toRaw(record: Record<string, string>): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) {
    if (value === '' && RESERVED_EMPTY_MEANS_ABSENT.includes(key)) continue;
    raw[key] = value;
  }
  return raw;
}

/**
 * The first line of each record. csv-parse reports the line where a record ends, and counts a
 * CRLF inside a quoted cell as two lines; this undoes both, counting line breaks in the cells.
 */
class LineTracker {
  private drift = 0;

  startOf(item: CsvItem): number {
    let breaks = 0;
    for (const value of Object.values(item.record)) {
      for (let i = 0; i < value.length; i++) {
        const c = value.charCodeAt(i);
        if (c === 10 /* \n */) {
          if (value.charCodeAt(i - 1) !== 13) breaks++;
        } else if (c === 13 /* \r */) {
          breaks++;
          if (value.charCodeAt(i + 1) === 10) this.drift++;
        }
      }
    }
    return item.info.lines - this.drift - breaks;
  }
}
