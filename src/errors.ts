import path from 'node:path';

/**
 * One error hierarchy. A `LlmEvalError` is a known user-facing condition: the CLI prints its
 * message on one line and exits with its `exitCode`. Anything else is a bug: a stack and a
 * request for a report.
 */

export class LlmEvalError extends Error {
  readonly code: string;
  readonly exitCode: number;
  constructor(code: string, message: string, exitCode = 2) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** One problem in a config, prompt, dataset or grader option, located in its file. */
export interface Issue {
  file: string;
  /** 1-based; 0 when the whole file is concerned. */
  line: number;
  /** Dotted key path inside the file, when known (`suites.tickets.graders[1].value`). */
  path?: string;
  message: string;
}

/** A path as the user would type it: relative to the working folder when inside it. */
export function displayFile(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

export function formatIssue(issue: Issue): string {
  const file = displayFile(issue.file);
  const where = issue.line > 0 ? `${file}:${issue.line}` : file;
  return `${where}: ${issue.message}`;
}

/** Input that cannot be used: reported before any model is called, exit 2. */
export class ConfigError extends LlmEvalError {
  readonly issues: Issue[];
  constructor(issues: Issue[]) {
    super('CONFIG_INVALID', issues.map(formatIssue).join('\n'), 2);
    this.issues = issues;
  }
  static at(file: string, line: number, message: string, path?: string): ConfigError {
    return new ConfigError([{ file, line, message, path }]);
  }
}

/** A wrong command line (unknown suite, bad flag value). */
export class UsageError extends LlmEvalError {
  constructor(message: string) {
    super('USAGE', message, 2);
  }
}

export type ProviderErrorKind =
  | 'rate-limit' // 429: retried, honours Retry-After
  | 'transient' // 5xx, 408, 409, dropped connection, broken stream: retried
  | 'timeout' // per-call timeout: retried
  | 'auth' // 401/403, missing key: not retried
  | 'not-found' // 404 (unknown model): not retried
  | 'bad-request' // 400/422: not retried
  | 'cache-miss' // --cache replay with no entry: not retried
  | 'aborted'; // the run is stopping

export class ProviderError extends LlmEvalError {
  readonly kind: ProviderErrorKind;
  readonly status?: number;
  /** Server's Retry-After, in ms. */
  readonly retryAfterMs?: number;
  /** The provider's id for the failed request (OpenAI `x-request-id`, Anthropic `request-id`), for its support. */
  readonly requestId?: string;
  /** The server's `x-should-retry` header: when set, it decides retrying instead of the kind. */
  readonly shouldRetry?: boolean;
  constructor(kind: ProviderErrorKind, message: string, opts: ProviderErrorDetails & { cause?: unknown } = {}) {
    super(`PROVIDER_${kind.toUpperCase().replace('-', '_')}`, message, 3);
    this.kind = kind;
    this.status = opts.status;
    this.retryAfterMs = opts.retryAfterMs;
    if (opts.requestId !== undefined) this.requestId = opts.requestId;
    if (opts.shouldRetry !== undefined) this.shouldRetry = opts.shouldRetry;
    if (opts.cause !== undefined) (this as { cause?: unknown }).cause = opts.cause;
  }
  /** Retried by kind alone (rate limits, server errors, timeouts); execute/retry.ts also weighs `shouldRetry`. */
  get retryable(): boolean {
    return this.kind === 'rate-limit' || this.kind === 'transient' || this.kind === 'timeout';
  }
  /** What a wrapping error (same kind, new message) keeps of this one. */
  details(): ProviderErrorDetails {
    return { status: this.status, retryAfterMs: this.retryAfterMs, requestId: this.requestId, shouldRetry: this.shouldRetry };
  }
}

/** What a ProviderError says beyond its kind and message. */
export interface ProviderErrorDetails {
  status?: number;
  retryAfterMs?: number;
  requestId?: string;
  shouldRetry?: boolean;
}

/** A grader could not produce a grade (bad judge verdict, script threw). Recorded, never a pass. */
export class GraderError extends LlmEvalError {
  readonly grader: string;
  constructor(grader: string, message: string) {
    super('GRADER_FAILED', message, 1);
    this.grader = grader;
  }
}

/** The run could not finish: budget, interrupt, provider down. Exit 3, results kept. */
export class RunAbortedError extends LlmEvalError {
  constructor(code: string, message: string) {
    super(code, message, 3);
  }
}

/** The error of a call not started, or cut short, because the run is stopping (an interrupt). */
export function runStopping(): ProviderError {
  return new ProviderError('aborted', 'the run is stopping');
}

/**
 * Is this error the run stopping rather than a case failing? A budget stop (RunAbortedError) or
 * a call not made or cut short because the run is stopping (interrupt, an endpoint that is down:
 * ProviderError 'aborted'). A stop is passed up, never recorded as the case's or grader's error.
 */
export function isStop(err: unknown): boolean {
  return err instanceof RunAbortedError || (err instanceof ProviderError && err.kind === 'aborted');
}
