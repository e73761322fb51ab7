import path from 'node:path';
import { ConfigError, type Issue } from '../errors.js';
import type { DatasetRow, ResolvedConfig, ResolvedSuite } from '../types.js';
import { readDataset } from '../datasets/read.js';
import { scanDataset } from '../datasets/validate.js';
import { PromptRenderer } from '../prompts/render.js';
import { rowMatcher, selectSuites, type Selection } from '../plan/select.js';
import { inShard, type Shard } from '../plan/shard.js';
import { pushAll } from '../util/arrays.js';

/** A suite ready to run: validated, with its selected row count and classification labels. */
export interface PreparedSuite {
  suite: ResolvedSuite;
  /** Rows selected by --filter and --shard. */
  rows: number;
  /** Set when the suite is a classification suite: the label of a row, and all labels. */
  labels?: { known: Set<string>; of(row: Pick<DatasetRow, 'vars' | 'expected'>): string | undefined };
}

/** Expected values that look like class labels: few distinct short strings, each used more than once on average. */
const MAX_LABELS = 50;

export interface PrepareOptions extends Selection {
  shard?: Shard;
}

/**
 * Validates every selected suite's dataset against its prompt templates (all rows, all problems
 * collected) and counts the rows to run. Throws one ConfigError listing every problem, before
 * any model is called.
 */
export async function prepareSuites(config: ResolvedConfig, opts: PrepareOptions, renderer: PromptRenderer): Promise<PreparedSuite[]> {
  const suites = selectSuites(config, opts);
  const issues: Issue[] = [];
  const scanned = new Map<string, Issue[]>();
  /** Well-formed rows per dataset file, as the scan counted them. */
  const scannedRows = new Map<string, number>();
  for (const suite of suites) {
    const templates = [...new Map(suite.variants.map((v) => [v.prompt.ref, v.prompt])).values()];
    const key = `${suite.dataset}\u0000${templates.map((t) => t.ref).join(',')}`;
    if (!scanned.has(key)) {
      const scan = await scanDataset(suite.dataset, templates, renderer);
      scanned.set(key, scan.issues);
      scannedRows.set(suite.dataset, scan.rows);
    }
    pushAll(issues, scanned.get(key)!);
  }
  if (issues.length) throw new ConfigError(dedupeIssues(issues));

  const prepared: PreparedSuite[] = [];
  for (const suite of suites) {
    const keep = rowMatcher(opts.filter);
    let rows = 0;
    let allStringExpected = true;
    let anyExpected = false;
    const labelCounts = new Map<string, number>();
    const labelTemplate = suite.labels?.expected;
    const labelOf = (row: Pick<DatasetRow, 'vars' | 'expected'>): string | undefined => {
      if (labelTemplate) return renderer.renderString(labelTemplate, { ...row.vars, vars: row.vars, expected: row.expected }).trim();
      return typeof row.expected === 'string' ? row.expected.trim() : undefined;
    };
    // Every row counts when nothing narrows the selection: the scan already counted them, so
    // this pass may stop as soon as the labels show the suite is not a classification suite.
    const allRows = !opts.filter && !opts.shard ? scannedRows.get(suite.dataset) : undefined;
    for await (const row of readDataset(suite.dataset)) {
      if (!keep(row) || (opts.shard && !inShard(row.id, opts.shard))) continue;
      rows++;
      if (row.expected === undefined && !labelTemplate) continue;
      anyExpected = true;
      const label = labelOf(row);
      if (label === undefined) allStringExpected = false;
      else if (labelCounts.size <= MAX_LABELS) labelCounts.set(label, (labelCounts.get(label) ?? 0) + 1);
      if (allRows !== undefined && !labelTemplate && labelCounts.size > MAX_LABELS) {
        rows = allRows;
        break;
      }
    }
    const isClassification =
      Boolean(labelTemplate) ||
      (anyExpected && allStringExpected && labelCounts.size >= 2 && labelCounts.size <= MAX_LABELS && labelCounts.size <= rows / 2);
    prepared.push({
      suite,
      rows,
      labels: isClassification ? { known: new Set(labelCounts.keys()), of: labelOf } : undefined,
    });
  }
  return prepared;
}

function dedupeIssues(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${path.resolve(i.file)}:${i.line}:${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
