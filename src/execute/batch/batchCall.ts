import { setTimeout as sleep } from 'node:timers/promises';
import type { BatchOutcome, BatchProgress, CallOptions, CallResult, ModelRequest, ProviderBatchApi } from '../../types.js';
import { ProviderError } from '../../errors.js';
import { batchPrice } from '../../cost/prices.js';
import { costOf } from '../../cost/compute.js';
import { valueHash } from '../../util/hash.js';
import { withRetries, type RetryPolicy } from '../retry.js';
import type { LiveCall } from '../liveCall.js';
import type { ModelRegistry, ModelState } from '../models.js';
import type { Spend } from '../spend.js';
import type { CallExecutor, CallWork } from '../work.js';
import { readBatchRecords, writeBatchRecord, type BatchRecord } from './state.js';

/**
 * The batch executor: a call the cache did not answer, for a model in batch mode whose provider
 * has a batch API, joins its model's queue; a queue is submitted as one provider batch when no
 * call joined it for `idleMs` or when the next call would pass the batch limits. The batch id is
 * recorded in the run folder (state.ts) before anything waits on it. Then the batch is polled
 * (with `wait`) or left running (without: the call ends as pending, the run is `batch-pending`).
 * A call whose request is already in a recorded batch (a resume) waits on that batch: nothing is
 * submitted twice. Answers are priced at the batch rate; failed or expired requests are retried
 * interactively, in a follow-up batch, or recorded as errors (`retry`).
 */

export interface BatchModeOptions {
  runDir: string;
  /** `run --batch`: every model with a batch API; else only these (`batch: true` on the model or a suite using it). */
  all: boolean;
  models: ReadonlySet<string>;
  /** Poll until batches end; without it, the run stops after submitting. */
  wait: boolean;
  pollMs: number;
  /** Status reads and result downloads are retried on transient errors (at least 5 times). */
  policy: RetryPolicy;
  retry: 'interactive' | 'batch' | 'none';
  maxRequests?: number;
  maxBytes?: number;
  /** Quiet time after the last queued call before a queue is submitted. Default 500 ms (a loaded machine pauses 100 ms between cases). */
  idleMs?: number;
  /** Stops waiting (Ctrl-C): the batches keep running at the provider. */
  signal?: AbortSignal;
  onProgress?(p: BatchRunProgress): void;
  warn(message: string): void;
}

export interface BatchRunProgress {
  batches: number;
  ended: number;
  succeeded: number;
  failed: number;
  elapsedMs: number;
}

/** Thrown to a call whose batch is still running when the run stops waiting: the case is left for a resume. */
export class BatchPendingError extends ProviderError {
  constructor(batchId: string) {
    super('aborted', `provider batch ${batchId} is still running`);
  }
}

interface Queued {
  customId: string;
  entry: Record<string, unknown>;
  bytes: number;
  purpose: 'candidate' | 'judge';
  placed(batch: Promise<Collected>): void;
}

interface Queue {
  api: ProviderBatchApi;
  items: Queued[];
  /** custom_id → its collection, for the items queued: an identical request joins rather than repeating a custom_id. */
  ids: Map<string, Promise<Collected>>;
  bytes: number;
  timer?: NodeJS.Timeout;
}

type Collected = Map<string, BatchOutcome> | 'pending';

export class BatchCall implements CallExecutor {
  /** Batches this process submitted, and calls it left pending. */
  submitted = 0;
  pending = 0;
  private readonly queues = new Map<string, Queue>();
  /** custom_id → its (newest) batch's collection. */
  private readonly known = new Map<string, Promise<Collected>>();
  private readonly progress = new Map<string, BatchProgress>();
  private loaded?: Promise<Map<string, BatchRecord>>;
  private readonly noBatchWarned = new Set<string>();
  private readonly started = performance.now();

  constructor(
    private readonly live: LiveCall,
    private readonly models: ModelRegistry,
    private readonly spend: Spend,
    private readonly o: BatchModeOptions,
  ) {}

  async execute(state: ModelState, work: CallWork, callOpts: CallOptions): Promise<CallResult> {
    const request = work.request;
    if (!request || !(this.o.all || this.o.models.has(state.model.name))) return this.live.execute(state, work, callOpts);
    const provider = await this.models.providerOf(state);
    const api = provider.batch;
    if (!api) {
      if (!this.noBatchWarned.has(state.model.name)) {
        this.noBatchWarned.add(state.model.name);
        this.o.warn(`model "${state.model.name}" (${state.model.provider}) has no batch API: its calls run interactively at the full price`);
      }
      return this.live.execute(state, work, callOpts);
    }
    const entry = api.entry('', request);
    // The same request in every process gets the same id; repeats (`sample`) are distinct requests, as in the cache key.
    const customId = `le-${valueHash({ model: state.model.name, identity: provider.identity, entry, sample: callOpts.sample ?? null }, 32)}`;
    entry['custom_id'] = customId;
    const outcome = await this.outcomeOf(state, api, customId, entry, callOpts.purpose ?? 'candidate', true);
    if (outcome.body !== undefined) return this.answer(state, api, request, work, outcome.body, callOpts);
    const why = `batch request ${customId} of model "${state.model.name}" ${outcome.error?.kind === 'expired' ? 'expired' : 'failed'}: ${outcome.error?.message ?? 'no result'}`;
    if (this.o.retry === 'interactive') return this.live.execute(state, work, callOpts);
    if (this.o.retry === 'batch') {
      const again = await this.outcomeOf(state, api, customId, entry, callOpts.purpose ?? 'candidate', false);
      if (again.body !== undefined) return this.answer(state, api, request, work, again.body, callOpts);
    }
    throw new ProviderError('transient', why);
  }

  private async records(): Promise<Map<string, BatchRecord>> {
    this.loaded ??= readBatchRecords(this.o.runDir).then((list) => {
      const byId = new Map<string, BatchRecord>();
      for (const rec of list) for (const id of Object.keys(rec.requests)) byId.set(id, rec);
      return byId;
    });
    return this.loaded;
  }

  private async outcomeOf(state: ModelState, api: ProviderBatchApi, customId: string, entry: Record<string, unknown>, purpose: 'candidate' | 'judge', reuse: boolean): Promise<BatchOutcome> {
    let collected = reuse ? this.known.get(customId) : undefined;
    if (!collected && reuse) {
      const rec = (await this.records()).get(customId);
      if (rec) collected = this.collectorOf(api, rec);
    }
    const result = await (collected ?? this.enqueue(state, api, customId, entry, purpose));
    if (result === 'pending') {
      this.pending++;
      throw new BatchPendingError(customId);
    }
    return result.get(customId) ?? { customId, error: { kind: 'failed', message: 'the batch returned no result for it' } };
  }

  private readonly collectors = new Map<string, Promise<Collected>>();

  private collectorOf(api: ProviderBatchApi, rec: BatchRecord): Promise<Collected> {
    let c = this.collectors.get(rec.batchId);
    if (!c) {
      c = this.collect(api, rec.batchId);
      this.collectors.set(rec.batchId, c);
      for (const id of Object.keys(rec.requests)) this.known.set(id, c);
    }
    return c;
  }

  private enqueue(state: ModelState, api: ProviderBatchApi, customId: string, entry: Record<string, unknown>, purpose: 'candidate' | 'judge'): Promise<Collected> {
    const name = state.model.name;
    let q = this.queues.get(name);
    if (!q) {
      q = { api, items: [], ids: new Map(), bytes: 0 };
      this.queues.set(name, q);
    }
    const same = q.ids.get(customId);
    if (same) return same;
    const maxRequests = Math.min(api.limits.maxRequests, this.o.maxRequests ?? Infinity);
    const maxBytes = Math.min(api.limits.maxBytes, this.o.maxBytes ?? Infinity);
    const bytes = Buffer.byteLength(JSON.stringify(entry)) + 1;
    if (q.items.length > 0 && (q.items.length + 1 > maxRequests || q.bytes + bytes > maxBytes)) this.flush(name, q);
    const queued = new Promise<Collected>((placed) => {
      q.items.push({ customId, entry, bytes, purpose, placed });
      q.bytes += bytes;
      clearTimeout(q.timer);
      q.timer = setTimeout(() => this.flush(name, q), this.o.idleMs ?? 500);
    });
    q.ids.set(customId, queued);
    return queued;
  }

  /** Submits the queue as one batch and records it; each queued call then waits on its collection. */
  private flush(modelName: string, q: Queue): void {
    clearTimeout(q.timer);
    const items = q.items;
    q.items = [];
    q.ids = new Map();
    q.bytes = 0;
    if (items.length === 0) return;
    const submitted = (async (): Promise<Collected> => {
      const batchId = await q.api.submit(items.map((i) => i.entry));
      this.submitted++;
      const requests: BatchRecord['requests'] = {};
      for (const i of items) requests[i.customId] = i.purpose;
      const rec: BatchRecord = { v: 1, model: modelName, vendor: q.api.vendor, batchId, createdAt: new Date().toISOString(), requests };
      await writeBatchRecord(this.o.runDir, rec);
      this.collectors.delete(batchId);
      return this.collectorOf(q.api, rec);
    })();
    for (const i of items) i.placed(submitted);
  }

  /** Polls a batch until it ends (or once, without `wait`), then reads every outcome. */
  private async collect(api: ProviderBatchApi, batchId: string): Promise<Collected> {
    for (;;) {
      const p = (await withRetries(() => api.status(batchId), this.readPolicy(), this.o.signal)).value;
      this.progress.set(batchId, p);
      this.o.onProgress?.(this.totals());
      if (p.ended) break;
      if (!this.o.wait || this.o.signal?.aborted) return 'pending';
      try {
        await sleep(this.o.pollMs, undefined, { signal: this.o.signal });
      } catch {
        return 'pending';
      }
    }
    const read = async (): Promise<Map<string, BatchOutcome>> => {
      const out = new Map<string, BatchOutcome>();
      for await (const r of api.results(batchId)) out.set(r.customId, r);
      return out;
    };
    return (await withRetries(read, this.readPolicy(), this.o.signal)).value;
  }

  private readPolicy(): RetryPolicy {
    return { ...this.o.policy, retries: Math.max(5, this.o.policy.retries) };
  }

  private totals(): BatchRunProgress {
    let ended = 0;
    let succeeded = 0;
    let failed = 0;
    for (const p of this.progress.values()) {
      if (p.ended) ended++;
      succeeded += p.succeeded;
      failed += p.failed;
    }
    return { batches: this.progress.size, ended, succeeded, failed, elapsedMs: performance.now() - this.started };
  }

  /** A batch answer as a call result, priced at the provider's batch rate. */
  private answer(state: ModelState, api: ProviderBatchApi, request: ModelRequest, work: CallWork, body: unknown, callOpts: CallOptions): CallResult {
    const response = api.parse(request, body);
    if (state.price.kind !== 'unknown' && response.usage) response.costUsd = costOf(response.usage, batchPrice(state.price.price, api.vendor));
    const costUsd = this.spend.settle({ chars: 0 }, state, work, response, callOpts.purpose);
    const out = Object.assign({}, response) as CallResult;
    out.cached = false;
    out.costUsd = costUsd;
    out.attempts = 1;
    out.latencyMs = 0;
    return out;
  }
}
