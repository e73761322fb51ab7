import path from 'node:path';
import { assertionFromCell, type PromptfooAssertion } from './assertions.js';
import { isFileRef, readCsvRecords, readStructured, readText } from './source.js';

/**
 * promptfoo's `tests` (inline, or `file://` YAML/JSON/CSV files, or a list mixing both) with
 * `defaultTest` merged in, as one flat list of test cases in file order. As in promptfoo, a var
 * whose value is a list expands the test into one case per value (all combinations).
 */

export interface ImportedTest {
  /** Where the test came from, for messages: `tests[3]`, `tests.csv:5`. */
  where: string;
  description?: string;
  vars: Record<string, unknown>;
  assert: PromptfooAssertion[];
}

export interface TestNote {
  where: string;
  message: string;
}

interface DefaultTest {
  vars?: Record<string, unknown>;
  assert?: unknown[];
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function assertionsOf(list: unknown, where: string, notes: TestNote[]): PromptfooAssertion[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    notes.push({ where, message: '`assert` is not a list: ignored' });
    return [];
  }
  const out: PromptfooAssertion[] = [];
  list.forEach((a, i) => {
    const r = asRecord(a);
    if (typeof r['type'] !== 'string') notes.push({ where: `${where}.assert[${i}]`, message: 'an assertion without a `type`: ignored' });
    else out.push(r as unknown as PromptfooAssertion);
  });
  return out;
}

/** Every combination of the list-valued vars (promptfoo's expansion); other vars are kept as is. */
export function expandVars(vars: Record<string, unknown>): Array<Record<string, unknown>> {
  let combos: Array<Record<string, unknown>> = [{}];
  for (const [key, value] of Object.entries(vars)) {
    const values = Array.isArray(value) && value.length > 0 && value.every((v) => v === null || typeof v !== 'object') ? value : [value];
    const next: Array<Record<string, unknown>> = [];
    for (const combo of combos) for (const v of values) next.push({ ...combo, [key]: v });
    combos = next;
  }
  return combos;
}

/** Var values that are `file://` text files are read, as promptfoo does. */
function loadFileVars(vars: Record<string, unknown>, dir: string, from: string, where: string, notes: TestNote[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(vars)) {
    if (isFileRef(value) && /\.(txt|md|json|ya?ml)$/i.test(value)) {
      out[key] = /\.(json|ya?ml)$/i.test(value) ? readStructured(value, dir, from) : readText(value, dir, from);
    } else {
      if (isFileRef(value)) notes.push({ where: `${where}.vars.${key}`, message: `${value} kept as text: only .txt/.md/.json/.yaml var files are read` });
      out[key] = value;
    }
  }
  return out;
}

function fromCsv(ref: string, dir: string, from: string): Array<Record<string, unknown>> {
  const file = path.basename(ref);
  return readCsvRecords(ref, dir, from).map((record, i) => {
    const vars: Record<string, unknown> = {};
    const assert: PromptfooAssertion[] = [];
    let description: string | undefined;
    for (const [column, cell] of Object.entries(record)) {
      if (/^__expected\d*$/.test(column)) {
        if (cell.trim() !== '') assert.push(assertionFromCell(cell));
      } else if (column === '__description') description = cell;
      else if (!column.startsWith('__')) vars[column] = cell;
    }
    // Line i + 2: the header is line 1 (multi-line cells aside).
    return { vars, assert, description, __where: `${file}:${i + 2}` };
  });
}

/** The raw test objects of `tests:`, each with where it came from. */
function rawTests(tests: unknown, dir: string, from: string, notes: TestNote[]): Array<{ test: Record<string, unknown>; where: string }> {
  const out: Array<{ test: Record<string, unknown>; where: string }> = [];
  const addFile = (ref: string, where: string): void => {
    if (ref.includes('*')) {
      notes.push({ where, message: `${ref}: globs are not expanded; list the files` });
      return;
    }
    if (/\.csv$/i.test(ref)) {
      for (const t of fromCsv(ref, dir, from)) out.push({ test: t, where: String(t['__where']) });
      return;
    }
    if (!/\.(json|ya?ml|jsonl)$/i.test(ref)) {
      notes.push({ where, message: `${ref}: only .yaml/.json/.jsonl/.csv test files are read` });
      return;
    }
    const value = /\.jsonl$/i.test(ref)
      ? readText(ref, dir, from).split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown)
      : readStructured(ref, dir, from);
    const list = Array.isArray(value) ? value : [value];
    list.forEach((t, i) => out.push({ test: asRecord(t), where: `${path.basename(ref)}[${i}]` }));
  };
  if (tests === undefined) return out;
  if (isFileRef(tests)) addFile(tests, 'tests');
  else if (Array.isArray(tests)) {
    tests.forEach((t, i) => {
      if (isFileRef(t)) addFile(t, `tests[${i}]`);
      else out.push({ test: asRecord(t), where: `tests[${i}]` });
    });
  } else notes.push({ where: 'tests', message: 'not a list or a file:// path: ignored' });
  return out;
}

export function importTests(tests: unknown, defaultTestRaw: unknown, dir: string, from: string, notes: TestNote[]): ImportedTest[] {
  const defaultTest: DefaultTest = isFileRef(defaultTestRaw) ? (asRecord(readStructured(defaultTestRaw, dir, from)) as DefaultTest) : (asRecord(defaultTestRaw) as DefaultTest);
  const defaultVars = asRecord(defaultTest.vars);
  const defaultAsserts = assertionsOf(defaultTest.assert, 'defaultTest', notes);
  const out: ImportedTest[] = [];
  for (const { test, where } of rawTests(tests, dir, from, notes)) {
    for (const key of Object.keys(test)) {
      if (!['vars', 'assert', 'description', '__where', 'options', 'metadata', 'threshold'].includes(key)) notes.push({ where, message: `\`${key}\` not carried over` });
    }
    if (test['threshold'] !== undefined) notes.push({ where, message: '`threshold` (a weighted test score) not carried over: every grader must pass' });
    const vars = loadFileVars({ ...defaultVars, ...asRecord(test['vars']) }, dir, from, where, notes);
    const assert = [...defaultAsserts, ...assertionsOf(test['assert'], where, notes)];
    const description = typeof test['description'] === 'string' ? test['description'] : undefined;
    for (const combo of expandVars(vars)) {
      const t: ImportedTest = { where, vars: combo, assert };
      if (description !== undefined) t.description = description;
      out.push(t);
    }
  }
  return out;
}
