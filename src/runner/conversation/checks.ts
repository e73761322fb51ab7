import type { Issue } from '../../errors.js';
import type { DatasetRow, ResolvedConfig } from '../../types.js';
import { validateGraderOptions } from '../../graders/validateOptions.js';

/** A scripted turn's graders checked like a suite's, each problem at the row's line. */
export function turnGraderIssues(row: DatasetRow, config: Pick<ResolvedConfig, 'dir' | 'models'>): Issue[] {
  const issues: Issue[] = [];
  for (const [i, turn] of (row.turns ?? []).entries()) {
    for (const [j, grader] of (turn.graders ?? []).entries()) {
      for (const problem of validateGraderOptions(grader, { configDir: config.dir, models: config.models })) {
        const field = problem.field ? `.${problem.field}` : '';
        issues.push({ file: row.source.file, line: row.source.line, message: `turns[${i}].graders[${j}]${field}: grader ${grader.type}: ${problem.message}` });
      }
    }
  }
  return issues;
}
