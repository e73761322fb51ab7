import { UsageError } from '../errors.js';
import type { DatasetRow, ResolvedConfig, ResolvedSuite } from '../types.js';

export interface Selection {
  suites?: string[];
  variants?: string[];
  /** Keeps rows whose id, tags or vars contain this text (case-insensitive). */
  filter?: string;
  /** Overrides every suite's `repeat`. */
  repeat?: number;
}

/**
 * Narrows the config to the suites and variants asked for. An unknown name is a usage error
 * listing the valid ones, never a silent empty run.
 */
export function selectSuites(config: ResolvedConfig, sel: Selection): ResolvedSuite[] {
  const allSuites = config.suites.map((s) => s.name);
  for (const name of sel.suites ?? []) {
    if (!allSuites.includes(name)) throw new UsageError(`--suite ${name}: no such suite (suites: ${allSuites.join(', ')})`);
  }
  let suites = sel.suites?.length ? config.suites.filter((s) => sel.suites!.includes(s.name)) : config.suites;
  if (sel.variants?.length) {
    const allVariants = new Set(suites.flatMap((s) => s.variants.map((v) => v.name)));
    for (const name of sel.variants) {
      if (!allVariants.has(name)) throw new UsageError(`--variant ${name}: no such variant (variants: ${[...allVariants].join(', ')})`);
    }
    suites = suites
      .map((s) => ({ ...s, variants: s.variants.filter((v) => sel.variants!.includes(v.name)) }))
      .filter((s) => s.variants.length > 0);
  }
  if (sel.repeat !== undefined) suites = suites.map((s) => ({ ...s, repeat: sel.repeat! }));
  return suites;
}

/** The `--filter` predicate: id, tags or any var value containing the text, case-insensitively. */
export function rowMatcher(filter: string | undefined): (row: DatasetRow) => boolean {
  if (!filter) return () => true;
  const needle = filter.toLowerCase();
  return (row) =>
    row.id.toLowerCase().includes(needle) ||
    (row.tags ?? []).some((t) => t.toLowerCase().includes(needle)) ||
    JSON.stringify(row.vars).toLowerCase().includes(needle);
}
