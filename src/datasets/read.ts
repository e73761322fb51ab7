import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, type Issue } from '../errors.js';
import type { DatasetRow } from '../types.js';
import { readCsv } from './formats/csv.js';
import { readJsonArray } from './formats/jsonArray.js';
import { readJsonl } from './formats/jsonl.js';
import type { FormatReader } from './formats/types.js';
import { readYamlList } from './formats/yamlList.js';
import { RowIdAssigner } from './ids.js';
import { rowParts } from './row.js';

/**
 * Reads a dataset file into DatasetRows, one at a time: .jsonl and .csv are streamed, so a
 * large golden set never sits in memory; .json and .yaml/.yml are parsed whole.
 */

const READERS: Record<string, FormatReader> = {
  '.jsonl': readJsonl,
  '.csv': readCsv,
  '.yaml': readYamlList,
  '.yml': readYamlList,
  '.json': readJsonArray,
};

export const DATASET_EXTENSIONS = Object.keys(READERS);

/** A row, or a problem with one row (reading goes on past it). */
export type DatasetEntry = { row: DatasetRow } | { issue: Issue };

/**
 * Every row and every row problem, in file order. A problem that stops reading (missing file,
 * unknown extension, a syntax error in a YAML/JSON/CSV file) is thrown as a ConfigError.
 */
export async function* readDatasetEntries(file: string): AsyncGenerator<DatasetEntry> {
  const ext = path.extname(file).toLowerCase();
  const read = READERS[ext];
  if (!read) {
    throw ConfigError.at(file, 0, `unsupported dataset format "${ext || path.basename(file)}": use one of ${DATASET_EXTENSIONS.join(', ')}`);
  }
  const info = await stat(file).catch(() => undefined);
  if (!info) throw ConfigError.at(file, 0, 'dataset file not found: check the path (relative paths resolve against llm-eval.yaml)');
  if (info.isDirectory()) throw ConfigError.at(file, 0, `the dataset is a folder: name one ${DATASET_EXTENSIONS.join('/')} file`);

  const ids = new RowIdAssigner(file);
  for await (const entry of read(file)) {
    if ('issue' in entry) {
      yield entry;
      continue;
    }
    const parts = rowParts(entry.raw, entry.source, { flat: entry.flat === true });
    if ('message' in parts) {
      yield { issue: parts };
      continue;
    }
    const id = ids.assign(parts, entry.source.line);
    if (typeof id !== 'string') {
      yield { issue: id };
      continue;
    }
    const row: DatasetRow = { id, vars: parts.vars, source: { file, line: entry.source.line } };
    if (parts.expected !== undefined) row.expected = parts.expected;
    if (parts.tags !== undefined) row.tags = parts.tags;
    if (parts.human !== undefined) row.human = parts.human;
    if (parts.messages !== undefined) row.messages = parts.messages;
    if (parts.turns !== undefined) row.turns = parts.turns;
    if (parts.toolResults !== undefined) row.toolResults = parts.toolResults;
    yield { row };
  }
}

/** The rows of a dataset, in file order; the first malformed row throws a ConfigError at its line. */
export async function* readDataset(file: string): AsyncGenerator<DatasetRow> {
  for await (const entry of readDatasetEntries(file)) {
    if ('issue' in entry) throw new ConfigError([entry.issue]);
    yield entry.row;
  }
}
