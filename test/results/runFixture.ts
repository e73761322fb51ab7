import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CaseRecord, RunReport, VariantFingerprint } from '../../src/types.js';
import { SummaryBuilder, totalsOf } from '../../src/results/summary.js';
import type { Shard } from '../../src/plan/shard.js';
import type { CaseOutcome, OutcomeSet, VariantOutcomes } from '../../src/results/outcomes.js';
import { EMPTY_FINGERPRINT } from '../../src/results/fingerprint.js';
import { recordLine } from '../../src/results/recordFormat.js';

/** Test fixtures: run folders as the runner writes them, and in-memory outcome sets. */

export function tempDir(prefix = 'llm-eval-stats-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export interface RecordSpec {
  suite?: string;
  variant?: string;
  caseId: string;
  repeat?: number;
  pass: boolean;
  model?: string;
  costUsd?: number | null;
  latencyMs?: number | null;
  vars?: Record<string, unknown>;
  expected?: unknown;
  promptHash?: string;
  error?: boolean;
}

export function record(s: RecordSpec): CaseRecord {
  return {
    suite: s.suite ?? 'tickets',
    variant: s.variant ?? 'v1',
    caseId: s.caseId,
    repeat: s.repeat ?? 0,
    vars: s.vars ?? { text: `text of ${s.caseId}` },
    ...(s.expected !== undefined ? { expected: s.expected } : { expected: `label-${s.caseId}` }),
    prompt: { name: 'classify', version: 'v1', hash: s.promptHash ?? 'p1hash' },
    model: s.model ?? 'echo',
    output: s.error ? null : s.pass ? 'right' : 'wrong',
    pass: s.pass && !s.error,
    score: s.pass && !s.error ? 1 : 0,
    grades: [],
    tokens: { input: 10, output: 2, cachedInput: 0 },
    costUsd: s.costUsd === undefined ? 0.001 : s.costUsd,
    latencyMs: s.latencyMs === undefined ? 100 : s.latencyMs,
    cached: false,
    error: s.error ? { kind: 'provider', message: 'boom' } : null,
  };
}

/** Ids c01, c02, … so that sorting by id is sorting by number. */
export function caseIds(n: number, prefix = 'c'): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${String(i + 1).padStart(2, '0')}`);
}

export interface RunSpec {
  runId: string;
  records: CaseRecord[];
  shard?: Shard;
  /** Config-side fingerprints the runner would store, by `suite/variant`. */
  fingerprints?: Record<string, Partial<VariantFingerprint>>;
  status?: RunReport['status'];
  /** Write report.json (default true). */
  report?: boolean;
}

/** Writes reports/<runId>/{run.json, results.jsonl, report.json} like the runner does. */
export function writeRun(outDir: string, spec: RunSpec): string {
  const dir = path.join(outDir, spec.runId);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'run.json'),
    JSON.stringify({ runId: spec.runId, createdAt: '2026-01-01T00:00:00.000Z', configFile: 'llm-eval.yaml', configHash: 'cfg1', options: spec.shard ? { shard: spec.shard } : {}, status: spec.status ?? 'completed' }),
  );
  writeFileSync(path.join(dir, 'results.jsonl'), spec.records.map((r) => recordLine(r)).join('\n') + (spec.records.length ? '\n' : ''));
  if (spec.report !== false) {
    const b = new SummaryBuilder();
    for (const r of spec.records) b.add(r);
    const suites = b.suites();
    for (const s of suites) {
      for (const v of s.variants) {
        const fp = spec.fingerprints?.[`${s.name}/${v.name}`];
        if (fp) v.fingerprint = { ...EMPTY_FINGERPRINT, ...fp };
      }
    }
    const report: RunReport = {
      schemaVersion: 1,
      runId: spec.runId,
      createdAt: '2026-01-01T00:00:00.000Z',
      status: spec.status ?? 'completed',
      config: { hash: 'cfg1', file: 'llm-eval.yaml' },
      gate: { passed: true, failures: [] },
      suites,
      totals: totalsOf(suites),
      warnings: [],
    };
    writeFileSync(path.join(dir, 'report.json'), JSON.stringify(report, null, 2));
  }
  return dir;
}

/** Records for one variant: `passes[i]` lists the pass/fail of case i's repeats. */
export function variantRecords(ids: string[], passes: boolean[][], base: Omit<RecordSpec, 'caseId' | 'pass' | 'repeat'> = {}): CaseRecord[] {
  return ids.flatMap((caseId, i) => passes[i]!.map((pass, repeat) => record({ ...base, caseId, pass, repeat })));
}

/** An in-memory side: cases as [passes, n]. */
export function outcomeSet(label: string, variants: Array<{ suite?: string; variant?: string; model?: string; cases: Record<string, [number, number]>; meanCostUsd?: number | null; p50?: number | null; fingerprint?: Partial<VariantFingerprint> }>, shard: Shard | null = null): OutcomeSet {
  return {
    label,
    source: 'run',
    runId: label,
    shard,
    variants: variants.map((v): VariantOutcomes => {
      const cases = new Map<string, CaseOutcome>();
      for (const [id, [passes, n]] of Object.entries(v.cases)) cases.set(id, { passes, n, scoreSum: passes, errors: 0, content: `content-${id}` });
      return {
        suite: v.suite ?? 'tickets',
        variant: v.variant ?? 'v1',
        model: v.model ?? 'echo',
        fingerprint: { ...EMPTY_FINGERPRINT, model: v.model ?? 'echo', ...v.fingerprint },
        cases,
        meanCostUsd: v.meanCostUsd ?? 0.001,
        latencyMs: { p50: v.p50 ?? 100, p95: v.p50 ?? 100 },
      };
    }),
  };
}

/** `n` cases with ids c01…; the first `failing` fail (one sample each). */
export function singleSampleCases(ids: string[], fails: Set<string>): Record<string, [number, number]> {
  return Object.fromEntries(ids.map((id) => [id, [fails.has(id) ? 0 : 1, 1] as [number, number]]));
}
