import type { CaseRecord, LatencySummary, SuiteSummary, TokenUsage, VariantSummary } from '../types.js';
import { wilsonInterval } from '../stats/intervals.js';
import { ConfusionCounter, normalizeLabel } from '../stats/classification.js';
import { ErrorDigest } from './errorDigest.js';
import { addUsage } from '../cost/compute.js';

/** What the summary needs to know about a variant before its cases arrive. */
export interface VariantInfo {
  suite: string;
  variant: string;
  /** Model name under `models:` plus the provider's id, e.g. `fast (openai:gpt-4o-mini)`. */
  model: string;
  prompt: string;
  promptHash: string;
  /** When the suite is a classification suite: the label set and how to read a row's label. */
  labels?: { known: Set<string>; expectedOf(record: CaseRecord): string | undefined };
}

/** Nearest-rank percentile over a sorted array. */
export function percentile(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

function addTokens(into: TokenUsage, t: TokenUsage | null | undefined): void {
  if (t) Object.assign(into, addUsage(into, t));
}

/** Model calls a conversation case made (agent steps, else one per scripted turn); undefined for a plain case. */
export function caseSteps(r: Pick<CaseRecord, 'steps' | 'turns'>): number | undefined {
  if (r.steps) return r.steps.length;
  if (r.turns) return r.turns.reduce((n, t) => n + t.steps, 0);
  return undefined;
}

/** Numbers kept for exact percentiles (latencies, TTFT) in a growing Float64Array: 8 bytes each, however many cases. */
export class LatencyList {
  private values = new Float64Array(1024);
  private count = 0;

  push(x: number): void {
    if (this.count === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.count++] = x;
  }

  sorted(): Float64Array {
    return this.values.slice(0, this.count).sort();
  }
}

/**
 * Accumulates one variant's results as case records arrive, in O(1) memory per case except
 * latencies (8 bytes each, for exact percentiles). Never holds outputs.
 */
class VariantAccumulator {
  cases = 0;
  passed = 0;
  errors = 0;
  scoreSum = 0;
  costUsd = 0;
  costKnown = 0;
  unpricedAnswers = 0;
  judgeCostUsd = 0;
  judgeCostKnown = 0;
  /** Cases with a judge call of unknown cost (an unpriced judge model). */
  judgeCostUnknown = 0;
  cachedCases = 0;
  /** Tool calls: in all, cases with any, per tool name (undefined until a case has one). */
  private tools?: { calls: number; cases: number; byTool: Record<string, number> };
  /** Conversation cases and their model calls (steps). */
  stepCases = 0;
  stepTotal = 0;
  stepMax = 0;
  tokens: TokenUsage = { input: 0, output: 0, cachedInput: 0 };
  private readonly latencies = new LatencyList();
  /** Time to first token of streamed, uncached answers. */
  private readonly ttfts = new LatencyList();
  private confusion?: ConfusionCounter;
  private readonly errorDigest = new ErrorDigest();

  constructor(readonly info: VariantInfo) {
    if (info.labels) this.confusion = new ConfusionCounter(info.labels.known);
  }

  add(r: CaseRecord): void {
    this.cases++;
    if (r.pass) this.passed++;
    if (r.error) {
      this.errors++;
      this.errorDigest.add(r.error);
    }
    this.scoreSum += r.score;
    if (r.cached) this.cachedCases++;
    if (r.toolCalls && r.toolCalls.length > 0) {
      // No prototype: a tool may be named `__proto__` or `constructor`.
      const t = (this.tools ??= { calls: 0, cases: 0, byTool: Object.create(null) as Record<string, number> });
      t.cases++;
      t.calls += r.toolCalls.length;
      for (const c of r.toolCalls) t.byTool[c.name] = (t.byTool[c.name] ?? 0) + 1;
    }
    const steps = caseSteps(r);
    if (steps !== undefined) {
      this.stepCases++;
      this.stepTotal += steps;
      if (steps > this.stepMax) this.stepMax = steps;
    }
    if (r.costUsd != null) {
      this.costUsd += r.costUsd;
      this.costKnown++;
    } else if (r.output != null) this.unpricedAnswers++;
    if (r.judgeCostUsd != null) {
      this.judgeCostUsd += r.judgeCostUsd;
      this.judgeCostKnown++;
    }
    if (r.grades.some((g) => g.costUsd === null)) this.judgeCostUnknown++;
    addTokens(this.tokens, r.tokens);
    if (r.latencyMs != null && !r.cached) this.latencies.push(r.latencyMs);
    if (r.ttftMs != null && !r.cached) this.ttfts.push(r.ttftMs);
    if (this.confusion && this.info.labels && r.output != null && !r.error) {
      const expected = this.info.labels.expectedOf(r);
      if (expected !== undefined) this.confusion.add(expected, normalizeLabel(r.output, this.info.labels.known));
    }
  }

  latency(): LatencySummary {
    const sorted = this.latencies.sorted();
    return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
  }

  summary(): VariantSummary {
    const { info } = this;
    const out: VariantSummary = {
      name: info.variant,
      model: info.model,
      prompt: info.prompt,
      promptHash: info.promptHash,
      cases: this.cases,
      passed: this.passed,
      failed: this.cases - this.passed - this.errors,
      errors: this.errors,
      passRate: this.cases ? this.passed / this.cases : 0,
      passRateCI95: wilsonInterval(this.passed, this.cases),
      meanScore: this.cases ? this.scoreSum / this.cases : 0,
      // A variant is one model: its cases are all priced or all unpriced. Unpriced answers make the
      // cost unknown (null) rather than a quiet 0.
      costUsd: this.costKnown > 0 || this.unpricedAnswers === 0 ? round6(this.costUsd) : null,
      judgeCostUsd: this.judgeCostKnown ? round6(this.judgeCostUsd) : null,
      tokens: { ...this.tokens },
      latencyMs: this.latency(),
      cachedCases: this.cachedCases,
    };
    if (this.judgeCostUnknown > 0) out.judgeCostUnknown = true;
    if (this.tools) out.toolCalls = { calls: this.tools.calls, cases: this.tools.cases, byTool: { ...this.tools.byTool } };
    if (this.stepCases > 0) out.steps = { cases: this.stepCases, total: this.stepTotal, mean: Math.round((this.stepTotal / this.stepCases) * 100) / 100, max: this.stepMax };
    const ttfts = this.ttfts.sorted();
    if (ttfts.length) out.ttftMs = { p50: percentile(ttfts, 50), p95: percentile(ttfts, 95) };
    if (this.errors > 0) {
      out.errorMessages = this.errorDigest.top();
      out.distinctErrors = this.errorDigest.distinct();
    }
    if (this.confusion && this.confusion.total() > 0) out.classification = this.confusion.metrics();
    return out;
  }
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** Builds suite × variant summaries from case records, incrementally. */
export class SummaryBuilder {
  private variants = new Map<string, VariantAccumulator>();
  private order: Array<{ suite: string; variant: string }> = [];

  /** Declares a variant (so it appears even with no finished case, in config order). */
  declare(info: VariantInfo): void {
    const key = `${info.suite}\u0000${info.variant}`;
    if (this.variants.has(key)) return;
    this.variants.set(key, new VariantAccumulator(info));
    this.order.push({ suite: info.suite, variant: info.variant });
  }

  add(record: CaseRecord): void {
    const key = `${record.suite}\u0000${record.variant}`;
    let acc = this.variants.get(key);
    if (!acc) {
      this.declare({ suite: record.suite, variant: record.variant, model: record.model, prompt: `${record.prompt.name}@${record.prompt.version}`, promptHash: record.prompt.hash });
      acc = this.variants.get(key)!;
    }
    acc.add(record);
  }

  suites(): SuiteSummary[] {
    const bySuite = new Map<string, SuiteSummary>();
    for (const { suite, variant } of this.order) {
      let s = bySuite.get(suite);
      if (!s) {
        s = { name: suite, variants: [] };
        bySuite.set(suite, s);
      }
      s.variants.push(this.variants.get(`${suite}\u0000${variant}`)!.summary());
    }
    return [...bySuite.values()];
  }
}

export function totalsOf(suites: SuiteSummary[]): { cases: number; passed: number; costUsd: number | null; judgeCostUsd: number | null; tokens: TokenUsage } {
  const tokens: TokenUsage = { input: 0, output: 0, cachedInput: 0 };
  let cases = 0;
  let passed = 0;
  let cost: number | null = 0;
  let judge: number | null = null;
  for (const s of suites)
    for (const v of s.variants) {
      cases += v.cases;
      passed += v.passed;
      addTokens(tokens, v.tokens);
      if (v.costUsd == null) cost = v.cases > 0 ? null : cost;
      else if (cost != null) cost += v.costUsd;
      if (v.judgeCostUsd != null) judge = (judge ?? 0) + v.judgeCostUsd;
    }
  return { cases, passed, costUsd: cost == null ? null : round6(cost), judgeCostUsd: judge == null ? null : round6(judge), tokens };
}
