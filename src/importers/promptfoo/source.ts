import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../../errors.js';

/**
 * Reading what a promptfoo config points at with `file://`: text, YAML/JSON values and CSV
 * tables, relative to the config's folder. A missing file is a ConfigError naming it.
 */

export const FILE_PREFIX = 'file://';

export function isFileRef(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(FILE_PREFIX);
}

export function refPath(ref: string, dir: string): string {
  return path.resolve(dir, ref.slice(FILE_PREFIX.length));
}

export function readText(ref: string, dir: string, from: string): string {
  const file = refPath(ref, dir);
  if (!existsSync(file)) throw ConfigError.at(from, 0, `${ref} not found (paths are relative to the promptfoo config's folder)`);
  return readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
}

/** A .yaml/.yml/.json file as a value. */
export function readStructured(ref: string, dir: string, from: string): unknown {
  const text = readText(ref, dir, from);
  try {
    return ref.endsWith('.json') ? (JSON.parse(text) as unknown) : (parseYaml(text) as unknown);
  } catch (err) {
    throw ConfigError.at(refPath(ref, dir), 1, `cannot parse: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** A CSV file as records keyed by its header row. */
export function readCsvRecords(ref: string, dir: string, from: string): Array<Record<string, string>> {
  const text = readText(ref, dir, from);
  try {
    return parseCsv(text, { columns: true, skip_empty_lines: true, relax_column_count: true }) as Array<Record<string, string>>;
  } catch (err) {
    throw ConfigError.at(refPath(ref, dir), 1, `cannot parse CSV: ${err instanceof Error ? err.message : String(err)}`);
  }
}
