import type { DatasetRow, EvalCase } from '../types.js';
import { readDataset } from '../datasets/read.js';
import { caseKey } from './caseKey.js';
import { rowMatcher } from './select.js';
import { inShard, type Shard } from './shard.js';

/** What expansion needs of a prepared suite. */
interface ExpandableSuite {
  suite: { name: string; dataset: string; repeat: number; variants: Array<{ name: string }> };
  /** The rows to expand (the dataset check's, runner/prepare.ts); default: the dataset file streamed. */
  readRows?(): AsyncIterable<DatasetRow>;
}

/**
 * Expands suites into cases lazily: for each row, every variant, every repeat (row-major, so a
 * row's variants run close together: rendered prompts are reused and pairwise judges find both
 * outputs). Streams the dataset (or the rows the check kept): nothing more is held than the current row.
 */
export async function* expandCases(
  suites: ExpandableSuite[],
  sel: { filter?: string; shard?: Shard },
  keep: (c: EvalCase) => boolean = () => true,
): AsyncGenerator<EvalCase> {
  const matches = rowMatcher(sel.filter);
  let ordinal = 0;
  for (const s of suites) {
    const { suite } = s;
    for await (const row of s.readRows?.() ?? readDataset(suite.dataset)) {
      if (!matches(row) || (sel.shard && !inShard(row.id, sel.shard))) continue;
      for (const v of suite.variants) {
        for (let repeat = 0; repeat < suite.repeat; repeat++) {
          const c: EvalCase = { key: caseKey(suite.name, v.name, row.id, repeat), suite: suite.name, variant: v.name, row, repeat, ordinal: ordinal++ };
          if (keep(c)) yield c;
        }
      }
    }
  }
}
