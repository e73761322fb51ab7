import { ConfigError, type Issue } from '../errors.js';
import type { PromptRenderer } from '../prompts/render.js';
import type { DatasetRow, PromptTemplate } from '../types.js';
import { readDatasetEntries } from './read.js';
import type { KeptRows } from './keptRows.js';

export { datasetHash } from './fingerprint.js';

export interface ScanOptions {
  /** Distinct problems to report before the rest are only counted (default 20). */
  maxIssues?: number;
  /** Checks of a row beyond its shape and templates (the runner's: a scripted turn's grader options). */
  checkRow?: (row: DatasetRow) => Issue[];
  /** Where a small dataset's rows are kept for the run (datasets/keptRows.ts); a kept file is checked from memory. */
  keep?: KeptRows;
}

export interface ScanResult {
  /** Rows read (well-formed ones). */
  rows: number;
  /**
   * Problems, at most `maxIssues` distinct ones (plus one line counting the rest). The same
   * problem on many rows (a variable no row provides) is one issue at its first row that lists
   * the other lines.
   */
  issues: Issue[];
  /** Every problem found, before grouping and capping. */
  issueCount: number;
}

/** Lines listed after a grouped problem before "…". */
const LISTED_LINES = 5;

interface Group {
  issue: Issue;
  lines: number[];
  more: number;
}

/**
 * Reads a dataset once and checks every row: its shape and id, and that every template renders
 * for it (no missing variable). All problems are collected, not just the first, so a user fixes
 * them in one go; nothing here calls a model.
 */
export async function scanDataset(
  file: string,
  templates: PromptTemplate[],
  renderer: PromptRenderer,
  opts: ScanOptions = {},
): Promise<ScanResult> {
  const maxIssues = opts.maxIssues ?? 20;
  const groups = new Map<string, Group>();
  let issueCount = 0;
  let dropped = 0;
  let firstDroppedLine = 0;
  const add = (issue: Issue): void => {
    issueCount++;
    const key = `${issue.file}\u0000${issue.message}`;
    const group = groups.get(key);
    if (group) {
      if (group.lines.length < LISTED_LINES) group.lines.push(issue.line);
      else group.more++;
    } else if (groups.size < maxIssues) groups.set(key, { issue, lines: [], more: 0 });
    else if (dropped++ === 0) firstDroppedLine = issue.line;
  };

  // A template that does not parse is reported once, at its own line, not once per row.
  const usable: PromptTemplate[] = [];
  for (const template of templates) {
    const syntax = renderer.syntaxIssues(template);
    syntax.forEach(add);
    if (syntax.length === 0) usable.push(template);
  }

  let rows = 0;
  const checkRow = (row: DatasetRow): void => {
    rows++;
    opts.checkRow?.(row).forEach(add);
    for (const template of usable) {
      const issue = renderer.checkRowAgainstTemplate(row, template);
      if (issue) add(issue);
    }
  };
  const kept = opts.keep?.kept(file);
  const collected: DatasetRow[] | undefined = kept === undefined && (await opts.keep?.wants(file)) ? [] : undefined;
  try {
    if (kept) kept.forEach(checkRow);
    else {
      for await (const entry of readDatasetEntries(file)) {
        if ('issue' in entry) add(entry.issue);
        else {
          collected?.push(entry.row);
          checkRow(entry.row);
        }
      }
    }
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    err.issues.forEach(add);
  }
  if (collected && issueCount === 0) opts.keep!.keep(file, collected);

  const issues = [...groups.values()].map(withOtherLines);
  if (dropped > 0) {
    // Located at the first problem not shown, so the summary line still points into the file.
    issues.push({ file, line: firstDroppedLine, message: `${dropped} more problem${dropped === 1 ? '' : 's'} not shown, the first at this line (fix the ones above first)` });
  }
  return { rows, issues, issueCount };
}

function withOtherLines({ issue, lines, more }: Group): Issue {
  if (lines.length === 0) return issue;
  const count = lines.length + more;
  const listed = lines.join(', ') + (more > 0 ? ', …' : '');
  return { ...issue, message: `${issue.message}; also ${count} more row${count === 1 ? '' : 's'} (lines ${listed})` };
}
