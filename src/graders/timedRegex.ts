import { Worker } from 'node:worker_threads';

/**
 * Runs user regular expressions with a time limit. A JavaScript RegExp backtracks: a pattern such
 * as `^(a+)+$` on 40 "a"s and "!" takes minutes, and on the main thread it would block the event
 * loop (and SIGTERM) for all that time. Matching therefore happens in one worker thread; when a
 * match runs past the limit the worker is terminated (a fresh one takes the next request) and the
 * match fails with RegexTimeoutError. JavaScript regex semantics are kept (lookarounds,
 * backreferences), which a linear-time engine could not.
 */

/** How long one match may take. */
export const REGEX_TIME_LIMIT_MS = 2000;

export class RegexTimeoutError extends Error {
  constructor(readonly re: RegExp, readonly limitMs: number) {
    super(`matching ${re} took longer than ${limitMs / 1000} s (catastrophic backtracking?): simplify the pattern, e.g. avoid nested quantifiers like (a+)+`);
    this.name = 'RegexTimeoutError';
  }
}

export interface TimedMatch {
  index: number;
  text: string;
}

interface Request {
  id: number;
  source: string;
  flags: string;
  text: string;
}

type Reply = { id: number; match: TimedMatch | null } | { id: number; error: string };

interface Pending {
  req: Request;
  re: RegExp;
  resolve(m: TimedMatch | null): void;
  reject(err: Error): void;
}

// The worker compiles each pattern once (a small cache) and answers in order.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const cache = new Map();
parentPort.on('message', (req) => {
  try {
    const key = req.flags + '/' + req.source;
    let re = cache.get(key);
    if (!re) {
      re = new RegExp(req.source, req.flags);
      if (cache.size >= 1000) cache.clear();
      cache.set(key, re);
    }
    re.lastIndex = 0;
    const m = re.exec(req.text);
    parentPort.postMessage({ id: req.id, match: m ? { index: m.index, text: m[0] } : null });
  } catch (err) {
    parentPort.postMessage({ id: req.id, error: err instanceof Error ? err.message : String(err) });
  }
});
`;

class RegexRunner {
  private worker: Worker | undefined;
  private readonly queue: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private nextId = 0;

  constructor(private readonly limitMs: number) {}

  exec(re: RegExp, text: string): Promise<TimedMatch | null> {
    return new Promise((resolve, reject) => {
      const req: Request = { id: this.nextId++, source: re.source, flags: re.flags, text };
      this.queue.push({ req, re, resolve, reject });
      this.ensureWorker().postMessage(req);
      if (this.queue.length === 1) this.armTimer();
      this.worker!.ref();
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.on('message', (reply: Reply) => this.settle(reply));
    worker.on('error', (err) => this.failAll(err));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  /** The worker answers in order, so the oldest request is the one running: only it is timed. */
  private armTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const head = this.queue[0];
    if (!head) return;
    this.timer = setTimeout(() => this.timeOut(head), this.limitMs);
    this.timer.unref();
  }

  private settle(reply: Reply): void {
    const head = this.queue[0];
    if (!head || head.req.id !== reply.id) return; // a reply from a worker that was replaced
    this.queue.shift();
    if ('error' in reply) head.reject(new Error(reply.error));
    else head.resolve(reply.match);
    this.armTimer();
    if (this.queue.length === 0) this.worker?.unref();
  }

  private timeOut(head: Pending): void {
    if (this.queue[0] !== head) return;
    this.queue.shift();
    const old = this.worker;
    this.worker = undefined;
    void old?.terminate();
    head.reject(new RegexTimeoutError(head.re, this.limitMs));
    // The requests behind it start again on a fresh worker.
    if (this.queue.length) {
      const worker = this.ensureWorker();
      for (const p of this.queue) worker.postMessage(p.req);
      worker.ref();
    }
    this.armTimer();
  }

  private failAll(err: Error): void {
    this.worker = undefined;
    clearTimeout(this.timer);
    for (const p of this.queue.splice(0)) p.reject(err);
  }
}

const runners = new Map<number, RegexRunner>();

/** `re.exec(text)` (first match only) in the regex worker, failing with RegexTimeoutError after `limitMs`. */
export function execWithTimeLimit(re: RegExp, text: string, limitMs = REGEX_TIME_LIMIT_MS): Promise<TimedMatch | null> {
  let runner = runners.get(limitMs);
  if (!runner) runners.set(limitMs, (runner = new RegexRunner(limitMs)));
  return runner.exec(re, text);
}
