import path from 'node:path';
import { ConfigError, UsageError, type Issue } from '../errors.js';
import type { DatasetRow, ResolvedConfig, ResolvedSuite } from '../types.js';
import { KeptRows } from '../datasets/keptRows.js';
import { scanDataset } from '../datasets/validate.js';
import { PromptRenderer } from '../prompts/render.js';
import { rowMatcher, selectSuites, type Selection } from '../plan/select.js';
import { inShard, type Shard } from '../plan/shard.js';
import { expectedNeed } from '../graders/needsExpected.js';
import { DEFAULT_MAX_LABELS, classificationDecision, looksLikeLabel } from '../stats/classification.js';
import { pushAll } from '../util/arrays.js';
import { turnGraderIssues } from './conversation/checks.js';
import { agentSuiteIssues } from './conversation/toolResults.js';

/** A suite ready to run: validated, with its selected row count and classification labels. */
export interface PreparedSuite {
  suite: ResolvedSuite;
  /** Rows selected by --filter and --shard. */
  rows: number;
  /** Set when the suite is a classification suite: the label of a row, and all labels. */
  labels?: { known: Set<string>; of(row: Pick<DatasetRow, 'vars' | 'expected'>): string | undefined };
  /** Why the suite is (or is not) treated as classification (stats/classification.ts). */
  classificationReason: string;
  /** The dataset's rows: the ones the check read when it kept them (a small file), else streamed again. */
  readRows(): AsyncIterable<DatasetRow>;
}

/** Rows without `expected` reported per suite: enough to see the pattern. */
const MAX_ROW_ISSUES = 20;

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
  const keptRows = new KeptRows();
  const issues: Issue[] = [];
  const scanned = new Map<string, Issue[]>();
  /** Well-formed rows per dataset file, as the scan counted them. */
  const scannedRows = new Map<string, number>();
  for (const suite of suites) {
    const templates = [...new Map(suite.variants.map((v) => [v.prompt.ref, v.prompt])).values()];
    const key = `${suite.dataset}\u0000${templates.map((t) => t.ref).join(',')}`;
    pushAll(issues, agentSuiteIssues(suite, config));
    if (!scanned.has(key)) {
      const scan = await scanDataset(suite.dataset, templates, renderer, { checkRow: (row) => turnGraderIssues(row, config), keep: keptRows });
      scanned.set(key, scan.issues);
      scannedRows.set(suite.dataset, scan.rows);
    }
    pushAll(issues, scanned.get(key)!);
  }
  if (issues.length) throw new ConfigError(dedupeIssues(issues));

  const prepared: PreparedSuite[] = [];
  const missingExpected: Issue[] = [];
  for (const suite of suites) {
    const keep = rowMatcher(opts.filter);
    // Graders that compare with the row's `expected`: a row without one is an input error.
    const needs = suite.graders.map((g) => expectedNeed(g, config.dir)).filter((n): n is string => n !== undefined);
    let reported = 0;
    let rows = 0;
    let labelRows = 0;
    const labelCounts = new Map<string, number>();
    const labelConfig = suite.labels;
    const labelTemplate = typeof labelConfig === 'object' ? labelConfig.expected : undefined;
    const maxLabels = (typeof labelConfig === 'object' ? labelConfig.max : undefined) ?? DEFAULT_MAX_LABELS;
    const labelOf = (row: Pick<DatasetRow, 'vars' | 'expected'>): string | undefined => {
      if (labelTemplate) return renderer.renderString(labelTemplate, { ...row.vars, vars: row.vars, expected: row.expected }).trim();
      return typeof row.expected === 'string' ? row.expected.trim() : undefined;
    };
    // Every row counts when nothing narrows the selection: the scan already counted them, so
    // this pass may stop as soon as the labels show the suite is not a classification suite.
    const allRows = !opts.filter && !opts.shard ? scannedRows.get(suite.dataset) : undefined;
    const forced = labelConfig === true || labelTemplate !== undefined;
    for await (const row of keptRows.read(suite.dataset)) {
      if (!keep(row) || (opts.shard && !inShard(row.id, opts.shard))) continue;
      rows++;
      if (needs.length && (row.expected === undefined || row.expected === null) && reported++ < MAX_ROW_ISSUES) {
        missingExpected.push({ file: row.source.file, line: row.source.line, message: `row ${row.id} has no \`expected\`, but in suite "${suite.name}" ${needs[0]}; add \`expected\` to the row, or set the grader's \`value\` (a judge's \`reference\`)` });
      }
      if (labelConfig === false) continue;
      const label = row.expected === undefined && !labelTemplate ? undefined : labelOf(row);
      if (label !== undefined && (forced || looksLikeLabel(label))) {
        labelRows++;
        if (labelCounts.size <= maxLabels || labelCounts.has(label)) labelCounts.set(label, (labelCounts.get(label) ?? 0) + 1);
      }
      // Not a classification suite (and nothing else needs every row): the scan counted the rows.
      if (allRows !== undefined && !forced && !needs.length && (labelRows < rows || labelCounts.size > maxLabels)) {
        rows = allRows;
        break;
      }
    }
    const decision = classificationDecision(labelConfig, { rows, labelRows, labels: labelCounts });
    prepared.push({
      suite,
      rows,
      labels: decision.classification ? { known: new Set(labelCounts.keys()), of: labelOf } : undefined,
      classificationReason: decision.reason,
      readRows: () => keptRows.read(suite.dataset),
    });
  }
  if (missingExpected.length) throw new ConfigError(dedupeIssues(missingExpected));
  checkSomethingSelected(prepared, opts);
  return prepared;
}

/**
 * Selecting nothing is an input error, never "PASSED, 0 cases": a suite whose dataset has no
 * rows (an empty file, a header-only CSV), or a `--filter` that matches no row of any suite.
 * A shard may be empty (more shards than rows), so a sharded selection is not checked.
 */
function checkSomethingSelected(prepared: PreparedSuite[], opts: PrepareOptions): void {
  if (opts.shard) return;
  if (!opts.filter) {
    const empty = prepared.filter((p) => p.rows === 0);
    if (empty.length) {
      throw new ConfigError(empty.map((p) => ({ file: p.suite.dataset, line: 0, message: `suite "${p.suite.name}" selects no cases: the dataset has no rows; add rows, or remove the suite` })));
    }
    return;
  }
  if (prepared.every((p) => p.rows === 0)) {
    const names = prepared.map((p) => `"${p.suite.name}"`).join(', ');
    throw new UsageError(`--filter ${JSON.stringify(opts.filter)} matches no row of suite${prepared.length === 1 ? '' : 's'} ${names}: nothing to run (it matches a row's id, tags or vars)`);
  }
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
