/**
 * The one meaning of "cases" in every report (terminal, summary.md, report.html): kept in a module
 * of its own so the page's bundled script can share it without pulling in the Node reporters.
 */
export const CASES_MEANING =
  'A case is one dataset row of a suite; it runs once per variant and repeat, and each such run is a record (a line of results.jsonl). Counts, pass rates and errors count records; the case list shows one line per case.';
