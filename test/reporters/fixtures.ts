import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { openStoredRun } from '../../src/reporters/storedRun.js';
import type { StoredRun } from '../../src/reporters/types.js';
import type { CaseRecord, RunReport, SuiteSummary, VariantSummary } from '../../src/types.js';
import { wilsonInterval } from '../../src/stats/intervals.js';
import { decideVerdict } from '../../src/gate/decide.js';
import { writeFixtureRun, type FixtureOptions } from './fixtureRun.mjs';

export { HOSTILE_OUTPUTS, HOSTILE_CASE_ID } from './fixtureRun.mjs';

/** A temporary folder per test file, removed by `cleanup()`. */
export async function tempDir(prefix = 'llm-eval-reporters-'): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Writes a generated run folder under `parent` and opens it as the runner would hand it over. */
export async function fixtureRun(parent: string, name: string, opts: Omit<FixtureOptions, 'decideVerdict'> = {}): Promise<StoredRun> {
  const dir = path.join(parent, name);
  await writeFixtureRun(dir, { ...opts, decideVerdict });
  return openStoredRun(dir);
}

/** A writable that keeps what is written, optionally posing as a terminal. */
export class CapturedStream extends Writable {
  chunks: string[] = [];
  isTTY: boolean;
  columns = 100;
  rows = 30;
  constructor(opts: { tty?: boolean } = {}) {
    super();
    this.isTTY = opts.tty ?? false;
  }
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.chunks.push(chunk.toString());
    done();
  }
  get text(): string {
    return this.chunks.join('');
  }
  /** The text without ANSI escape sequences. */
  get plain(): string {
    return this.text.replace(/\u001b(\[[0-9;?]*[A-Za-z]|[78])/g, '');
  }
  getColorDepth(): number {
    return 8;
  }
  hasColors(): boolean {
    return this.isTTY;
  }
  // cli-progress moves the cursor through readline on TTY streams.
  cursorTo(x: number, y?: number | (() => void), cb?: () => void): boolean {
    this.write(`\u001b[${x + 1}G`);
    const done = typeof y === 'function' ? y : cb;
    done?.();
    return true;
  }
  clearLine(_dir: number, cb?: () => void): boolean {
    this.write('\u001b[2K');
    cb?.();
    return true;
  }
  moveCursor(_dx: number, _dy: number, cb?: () => void): boolean {
    cb?.();
    return true;
  }
  clearScreenDown(cb?: () => void): boolean {
    cb?.();
    return true;
  }
}

/** One case record with plausible defaults; `overrides` sets what a test is about. */
export function makeRecord(overrides: Partial<CaseRecord> = {}): CaseRecord {
  return {
    suite: 'tickets',
    variant: 'v1',
    caseId: 'case-1',
    repeat: 0,
    vars: { ticket: 'my invoice is wrong' },
    expected: 'billing',
    tags: [],
    prompt: { name: 'classify-ticket', version: 'v1', hash: 'a1b2c3d4e5f6' },
    model: 'fast (openai:gpt-4o-mini)',
    output: 'billing',
    pass: true,
    score: 1,
    grades: [{ grader: 'exact', pass: true, score: 1, reason: 'matches "billing"' }],
    tokens: { input: 100, output: 2, cachedInput: 0 },
    costUsd: 0.000016,
    latencyMs: 420,
    cached: false,
    error: null,
    ...overrides,
  };
}

/** A StoredRun over records held in memory (for hand-made edge cases), with a report summarising them. */
export function storedRunOf(records: CaseRecord[], dir: string, reportOverrides: Partial<RunReport> = {}): StoredRun {
  const variants = new Map<string, Map<string, CaseRecord[]>>();
  for (const r of records) {
    const bySuite = variants.get(r.suite) ?? new Map<string, CaseRecord[]>();
    variants.set(r.suite, bySuite);
    bySuite.set(r.variant, [...(bySuite.get(r.variant) ?? []), r]);
  }
  const suites: SuiteSummary[] = [...variants].map(([name, byVariant]) => ({
    name,
    variants: [...byVariant].map(([variant, list]): VariantSummary => {
      const passed = list.filter((r) => r.pass).length;
      const errors = list.filter((r) => r.error).length;
      return {
        name: variant,
        model: list[0]!.model,
        prompt: `${list[0]!.prompt.name}@${list[0]!.prompt.version}`,
        promptHash: list[0]!.prompt.hash,
        cases: list.length,
        passed,
        failed: list.length - passed - errors,
        errors,
        passRate: passed / list.length,
        passRateCI95: wilsonInterval(passed, list.length),
        meanScore: list.reduce((s, r) => s + r.score, 0) / list.length,
        costUsd: list.reduce((s, r) => s + (r.costUsd ?? 0), 0),
        judgeCostUsd: null,
        tokens: { input: 0, output: 0, cachedInput: 0 },
        latencyMs: { p50: 400, p95: 900, p99: 1000 },
        cachedCases: 0,
      };
    }),
  }));
  const passed = records.filter((r) => r.pass).length;
  const report: RunReport = {
    schemaVersion: 1,
    runId: 'run-edge',
    createdAt: '2026-02-03T04:05:06.789Z',
    status: 'completed',
    config: { hash: 'c0ffee123456', file: '/project/llm-eval.yaml' },
    gate: { passed: passed === records.length, failures: [] },
    suites,
    totals: { cases: records.length, passed, costUsd: 0.01, judgeCostUsd: null, tokens: { input: 0, output: 0, cachedInput: 0 } },
    warnings: [],
    ...reportOverrides,
  };
  return {
    dir,
    report,
    async *cases() {
      yield* records;
    },
  };
}
