import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The labelled evaluation sets of the security graders (JSONL, one row a line, written for these
 * tests independently of the detectors). Every row has an `id` ending in a number; the held-out
 * split is the rows whose number is a multiple of 3, fixed before any tuning: tune against
 * `dev`, assert targets on `heldout`.
 */

export interface CorpusRow {
  id: string;
}

export function loadCorpus<T extends CorpusRow>(name: string): T[] {
  const file = fileURLToPath(new URL(`./${name}.jsonl`, import.meta.url));
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as T);
}

export function isHeldOut(row: CorpusRow): boolean {
  const n = Number(/(\d+)$/.exec(row.id)?.[1]);
  if (!Number.isFinite(n)) throw new Error(`corpus row id without a number: ${row.id}`);
  return n % 3 === 0;
}

export function splitCorpus<T extends CorpusRow>(rows: T[]): { dev: T[]; heldout: T[] } {
  return { dev: rows.filter((r) => !isHeldOut(r)), heldout: rows.filter(isHeldOut) };
}

export interface Scores {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  precision: number;
  recall: number;
}

/** Precision and recall of binary predictions against labels (positive = true). */
export function score(pairs: Array<{ predicted: boolean; actual: boolean }>): Scores {
  let tp = 0, fp = 0, fn = 0, tn = 0;
  for (const { predicted, actual } of pairs) {
    if (predicted && actual) tp++;
    else if (predicted) fp++;
    else if (actual) fn++;
    else tn++;
  }
  return { tp, fp, fn, tn, precision: tp + fp === 0 ? 1 : tp / (tp + fp), recall: tp + fn === 0 ? 1 : tp / (tp + fn) };
}
