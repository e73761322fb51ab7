import type { CaseRecord, GateVerdict } from '../types.js';
import { redactSecrets } from '../util/secrets.js';
import { escapeControlChars } from '../util/controlChars.js';
import { chalkFor, type TerminalLike } from './console/colour.js';
import { LiveProgress, PlainProgress, type ProgressDisplay, type ProgressStats } from './console/progress.js';
import { renderErrorDigest, renderGateDetails, renderRunDetails, renderStepsLines, renderSummaryTable, renderVerdictLine } from './console/summaryTable.js';
import { fitText, terminalWidth } from './console/width.js';
import { formatCount } from './format.js';
import { FailingToolCalls } from './console/toolFailures.js';
import type { Reporter, RunStartInfo, StoredRun } from './types.js';

type OutStream = NodeJS.WritableStream & TerminalLike;

export interface ConsoleReporterOptions {
  /** Print only the verdict line at the end. */
  quiet?: boolean;
  /** Write nothing on stdout (`--json` prints the report there); progress and warnings still go to stderr. */
  silent?: boolean;
  /** Summary table and verdict (default: process.stdout); its `columns` on a terminal set the width (else $COLUMNS, else 80). */
  stdout?: OutStream;
  /** Progress and warnings (default: process.stderr), so stdout stays the result. */
  stderr?: OutStream;
  /** Read for CI, NO_COLOR, FORCE_COLOR, TERM (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Clock, for tests. */
  now?: () => number;
  /** Plain progress: a line each this many percent of the run... */
  plainEveryPercent?: number;
  /** ...or after this long without one. */
  plainEveryMs?: number;
}

/** CI=true (or any value but false/0) means a log, not a terminal, whatever isTTY says. */
export function isCi(env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/**
 * The terminal reporter: a live bar on a TTY (done/total, pass rate, spend, ETA), plain progress
 * lines in CI or a pipe, each warning once, and at the end the summary table per suite × variant
 * with the verdict (or, quiet, the verdict line alone).
 */
export class ConsoleReporter implements Reporter {
  readonly name = 'console';
  private readonly stdout: OutStream;
  private readonly stderr: OutStream;
  private readonly env: NodeJS.ProcessEnv;
  private readonly now: () => number;
  private progress: ProgressDisplay | null = null;
  private readonly warned = new Set<string>();
  private stats: ProgressStats = { done: 0, total: 0, passed: 0, doneHere: 0, spendUsd: 0, elapsedMs: 0 };
  private startedAt = 0;
  private readonly toolFailures = new FailingToolCalls();

  constructor(private readonly opts: ConsoleReporterOptions = {}) {
    this.stdout = opts.stdout ?? process.stdout;
    this.stderr = opts.stderr ?? process.stderr;
    this.env = opts.env ?? process.env;
    this.now = opts.now ?? Date.now;
  }

  /** Live bar only on an interactive terminal outside CI. */
  get live(): boolean {
    return Boolean(this.stderr.isTTY) && !isCi(this.env);
  }

  onRunStart(info: RunStartInfo): void {
    this.startedAt = this.now();
    this.stats = { done: info.resumedCases, total: info.totalCases, passed: 0, doneHere: 0, spendUsd: 0, elapsedMs: 0 };
    if (this.opts.quiet) return;
    const variants = info.suites.reduce((n, s) => n + s.variants.length, 0);
    const resumed = info.resumedCases ? `, ${formatCount(info.resumedCases)} already done` : '';
    this.stderr.write(
      `llm-eval run ${info.runId}: ${formatCount(info.totalCases)} records across ${info.suites.length} suite${info.suites.length === 1 ? '' : 's'} and ${variants} variant${variants === 1 ? '' : 's'}${resumed}\n`,
    );
    this.progress = this.live ? new LiveProgress(this.stderr) : new PlainProgress(this.stderr, this.opts.plainEveryPercent, this.opts.plainEveryMs);
    this.progress.start(this.stats);
  }

  onCaseResult(record: CaseRecord): void {
    const s = this.stats;
    s.done++;
    s.doneHere++;
    if (record.pass) s.passed++;
    this.toolFailures.add(record);
    s.spendUsd += (record.costUsd ?? 0) + (record.judgeCostUsd ?? 0);
    s.elapsedMs = this.now() - this.startedAt;
    this.progress?.update(s);
  }

  onWarning(message: string): void {
    if (this.opts.quiet || this.warned.has(message)) return;
    this.warned.add(message);
    const line = `${chalkFor(this.stderr, this.env).yellow('warning:')} ${escapeControlChars(redactSecrets(message))}`;
    if (this.progress) this.progress.log(line);
    else this.stderr.write(`${line}\n`);
  }

  onRunEnd(run: StoredRun, verdict: GateVerdict): void {
    this.progress?.stop();
    this.progress = null;
    if (this.opts.silent) return;
    const c = chalkFor(this.stdout, this.env);
    const verdictLine = renderVerdictLine(run.report, verdict, c);
    const width = terminalWidth(this.stdout, this.env);
    if (this.opts.quiet) {
      this.stdout.write(`${fitText(verdictLine, width)}\n`);
      return;
    }
    // Every line fits the terminal: the table drops or stacks columns, prose wraps at spaces.
    const lines = [
      '',
      renderSummaryTable(run.report, c, width),
      ...renderStepsLines(run.report, c),
      ...renderErrorDigest(run.report, c),
      ...this.toolFailures.render(c),
      ...renderRunDetails(run.report, c),
      ...renderGateDetails(run.report, verdict, c),
      '',
      verdictLine,
      c.dim(`Reports: ${escapeControlChars(run.dir)}`),
      '',
    ];
    this.stdout.write(fitText(redactSecrets(lines.join('\n')), width));
  }
}

export function createConsoleReporter(opts: ConsoleReporterOptions = {}): ConsoleReporter {
  return new ConsoleReporter(opts);
}
