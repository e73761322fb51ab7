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
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { resolveIntents } from './intents.js';
import { mkdir } from 'node:fs/promises';
import { BATCHES_DIR, readBatchRecords, removeBatchIntent, writeBatchIntent, writeBatchRecord, type BatchRecord } from './state.js';
import { LineSpool, OutcomeSpool } from './spool.js';
import { CustomIdIndex } from './customIds.js';
import { StringTable } from '../../util/stringTable.js';

/**
 * The batch executor. A run in batch mode goes in passes (runner/runEval.ts):
 *
 * - A call the cache did not answer, for a model in batch mode whose provider has a batch API,
 *   and whose request is in no recorded batch, joins its model's queue (as one JSON line) and
 *   ends at once as pending: the case is released, only its request stays, in the queue. A
 *   queue is submitted as one provider batch when the next request would pass the batch limits
 *   and, for the rest, when the pass ends (`flush`): never after a quiet time.
 * - Before a batch is created, a submission intent is written to the run folder; the batch id is
 *   recorded (state.ts) the moment the provider returns it; a resume resolves a leftover intent
 *   (intents.ts). Nothing is submitted twice.
 * - A call whose request is in a recorded batch waits on that batch's collection: polled until
 *   it ends (with `wait`; else read once, and the call is pending while it runs), its outcomes
 *   read line by line. An outcome is dropped once every call that asked for it has it, and the
 *   collection once all its outcomes are taken; `newPass` drops what is left.
 *
 * Answers are priced at the batch rate; failed or expired requests are retried interactively,
 * in one follow-up batch, or recorded as errors (`retry`).
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

/** What the runner drives between passes (runner/runEval.ts). */
export interface BatchPasses {
  /** Batches this process submitted so far. */
  readonly submitted: number;
  /** Calls of the current pass left pending (queued, or waiting on a batch still running). */
  readonly pending: number;
  /** A submission failed this run: its calls stay pending for a resume. */
  readonly submitFailed: boolean;
  /** Resolves the submission intents a stopped process left (intents.ts; exit 2 when one cannot be) and reads the records: before the first pass. */
  resolve(): Promise<void>;
  /** Starts a pass: the pending count restarts. */
  newPass(): void;
  /** Submits every queue (the pass ended: no more requests will join them), waits for their records, drops the collections left. */
  flush(): Promise<void>;
}

const PURPOSES = ['candidate', 'judge'] as const;
type Purpose = (typeof PURPOSES)[number];

/** A model's requests waiting to be submitted: each as its JSON line on disk, nothing else of its case. */
interface Queue {
  model: string;
  api: ProviderBatchApi;
  intentId: string;
  lines: LineSpool;
  /** custom_id → what asked for it (its place in PURPOSES), compactly: an identical request joins rather than repeating a custom_id. */
  requests: StringTable;
  /** custom_id → calls that asked for it, where more than one. */
  uses: Map<string, number>;
  /** `--max-cost`: the USD its requests reserved (spend.ts `reserveBatched`). */
  reservedUsd: number;
}

/** A recorded batch as the run holds it: its custom_ids compactly (customIds.ts), not the record's map of them. */
interface HeldBatch {
  batchId: string;
  uses?: Record<string, number>;
  ids: CustomIdIndex;
  /**
   * `--max-cost`, for a batch this process submitted: the budget its requests still hold, freed a
   * request's share at a time as their answers are taken, the rest once all are.
   */
  reserved?: { perRequest: number; left: number };
}

/** An ended batch's outcomes not yet taken by every call that asked for them ('pending': still running). */
interface Collection {
  batchId: string;
  /** Which read of the batch it is: a dropped collection is never confused with a newer one. */
  gen: number;
  outcomes: OutcomeSpool | 'pending';
  uses: Map<string, number>;
}

export class BatchCall implements CallExecutor, BatchPasses {
  submitted = 0;
  pending = 0;
  submitFailed = false;
  private readonly queues = new Map<string, Queue>();
  private dirReady?: Promise<unknown>;
  /** The submissions under way, one after another: one upload at a time. */
  private uploads: Promise<void> = Promise.resolve();
  /** The recorded batches, newest first; each one's custom_ids are the lookup (no index of every custom_id). */
  private records?: Promise<HeldBatch[]>;
  private readonly collections = new Map<string, { gen: number; collection: Promise<Collection> }>();
  private gens = 0;
  private readonly progress = new Map<string, BatchProgress>();
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
    const purpose = callOpts.purpose ?? 'candidate';
    const records = await this.recorded();
    const rec = records.find((r) => r.ids.has(customId));
    if (!rec) return this.release(state, work, api, customId, JSON.stringify(entry), purpose);
    const outcome = await this.outcomeOf(api, rec, customId);
    if (outcome.body !== undefined) return this.answer(state, api, request, work, outcome.body, callOpts);
    const why = `batch request ${customId} of model "${state.model.name}" ${outcome.error?.kind === 'expired' ? 'expired' : 'failed'}: ${outcome.error?.message ?? 'no result'}`;
    if (this.o.retry === 'interactive') return this.live.execute(state, work, callOpts);
    // One follow-up batch per request: a request that failed in two batches is an error.
    if (this.o.retry === 'batch' && records.filter((r) => r.ids.has(customId)).length < 2) return this.release(state, work, api, customId, JSON.stringify(entry), purpose);
    throw new ProviderError('transient', why);
  }

  async resolve(): Promise<void> {
    await this.recorded();
  }

  newPass(): void {
    this.pending = 0;
  }

  async flush(): Promise<void> {
    for (const q of [...this.queues.values()]) void this.submit(q);
    await this.uploads;
    const left = [...this.collections.values()];
    this.collections.clear();
    for (const held of left) {
      const c = await held.collection.catch(() => undefined);
      if (c && c.outcomes !== 'pending') await c.outcomes.close();
    }
  }

  /** The request joins its model's queue (submitted when full, else at the pass end); the call ends as pending. */
  private async release(state: ModelState, work: CallWork, api: ProviderBatchApi, customId: string, line: string, purpose: Purpose): Promise<never> {
    // Under --max-cost a new request reserves its batch-rate estimate first: one that does not fit
    // stops the run (RunAbortedError) before it is queued; the queues already filled still go out.
    const queued = this.queues.get(state.model.name)?.requests.has(customId) === true;
    const reservedUsd = queued ? 0 : this.spend.reserveBatched(state, work, api.vendor);
    this.pending++;
    const full = this.enqueue(state.model.name, api, customId, line, purpose, reservedUsd);
    // Backpressure: the call that filled a queue waits for its upload, so at most a few queues are held.
    if (full) await full;
    throw new BatchPendingError(customId);
  }

  private async enqueue(model: string, api: ProviderBatchApi, customId: string, line: string, purpose: Purpose, reservedUsd: number): Promise<void> {
    // The folder first: from here on the queue is updated without a pause, so no other call slips in.
    await (this.dirReady ??= mkdir(path.join(this.o.runDir, BATCHES_DIR), { recursive: true }));
    let q = this.queues.get(model);
    if (q?.requests.has(customId)) {
      q.uses.set(customId, (q.uses.get(customId) ?? 1) + 1);
      q.reservedUsd += reservedUsd;
      return;
    }
    const maxRequests = Math.min(api.limits.maxRequests, this.o.maxRequests ?? Infinity);
    const maxBytes = Math.min(api.limits.maxBytes, this.o.maxBytes ?? Infinity);
    const bytes = Buffer.byteLength(line) + 1;
    let submitted: Promise<void> | undefined;
    if (q && q.lines.bytes + bytes > maxBytes) {
      submitted = this.submit(q);
      q = undefined;
    }
    if (!q) {
      const intentId = `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`;
      q = { model, api, intentId, lines: new LineSpool(path.join(this.o.runDir, BATCHES_DIR, `${intentId}.queue`), api.framing), requests: new StringTable(), uses: new Map(), reservedUsd: 0 };
      this.queues.set(model, q);
    }
    q.lines.push(line, bytes);
    q.requests.set(customId, PURPOSES.indexOf(purpose));
    q.reservedUsd += reservedUsd;
    if (q.lines.lines >= maxRequests) submitted = this.submit(q);
    return submitted;
  }

  /** Submits a queue as one batch: intent, create, record (state.ts). A failure is a warning; its calls stay pending. */
  private submit(q: Queue): Promise<void> {
    if (this.queues.get(q.model) === q) this.queues.delete(q.model);
    if (q.lines.lines === 0) return Promise.resolve();
    this.uploads = this.uploads.then(() =>
      this.create(q).catch((err: unknown) => {
        this.submitFailed = true;
        this.o.warn(`submitting a batch of ${q.lines.lines} requests for model "${q.model}" failed: ${(err as Error).message}; its cases stay pending: resume the run to submit them again`);
      }),
    );
    return this.uploads;
  }

  private async create(q: Queue): Promise<void> {
    const records = await this.recorded();
    const { intentId } = q;
    const head = { v: 1 as const, model: q.model, vendor: q.api.vendor, createdAt: new Date().toISOString() };
    // Each file is written from the queue's maps: a batch's up to 100,000 entries are not held a
    // second time, as an object, while it uploads.
    const entries = (): Pick<BatchRecord, 'requests' | 'uses'> => ({ requests: Object.fromEntries(Array.from(q.requests.entries(), ([id, p]) => [id, PURPOSES[p]!])), ...(q.uses.size > 0 ? { uses: Object.fromEntries(q.uses) } : {}) });
    await writeBatchIntent(this.o.runDir, { ...head, intentId, ...entries() });
    const tag = { run: path.basename(this.o.runDir), intent: intentId };
    let batchId: string;
    try {
      batchId = await q.api.submit(await q.lines.body(), tag, async (inputFileId) => writeBatchIntent(this.o.runDir, { ...head, intentId, ...entries(), inputFileId }));
    } catch (err) {
      // The provider refused it (4xx other than 408/409): no batch was created, the intent goes. A
      // dropped connection or a 5xx leaves it for a resume to resolve (intents.ts).
      const status = err instanceof ProviderError ? err.status : undefined;
      if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 409) await removeBatchIntent(this.o.runDir, intentId);
      // Nothing of it will be answered in this process: its budget is free again.
      this.spend.releaseUsd(q.reservedUsd);
      throw err;
    } finally {
      await q.lines.remove();
    }
    const rec: BatchRecord = { ...head, ...entries(), batchId, intentId };
    await writeBatchRecord(this.o.runDir, rec);
    await removeBatchIntent(this.o.runDir, intentId);
    this.submitted++;
    const h = held(rec);
    if (q.reservedUsd > 0) h.reserved = { perRequest: q.reservedUsd / q.lines.lines, left: q.reservedUsd };
    records.unshift(h);
  }

  /** Every recorded batch, newest first, once intents a stopped process left are resolved (intents.ts). */
  private recorded(): Promise<HeldBatch[]> {
    this.records ??= (async () => {
      await resolveIntents(this.o.runDir, async (model) => (await this.models.providerOf(await this.models.stateOf(model))).batch);
      return (await readBatchRecords(this.o.runDir)).reverse().map(held);
    })();
    return this.records;
  }

  /** A request's outcome in its recorded batch; taking it drops it once every call that asked for it has it. */
  private async outcomeOf(api: ProviderBatchApi, rec: HeldBatch, customId: string, again = false): Promise<BatchOutcome> {
    const c = await this.collection(api, rec);
    if (c.outcomes === 'pending') {
      this.pending++;
      throw new BatchPendingError(rec.batchId);
    }
    const spool = c.outcomes;
    const outcome = await spool.get(customId);
    if (!outcome && spool.taken(customId) && !again) {
      // Asked once more than counted (an identical request answered by now elsewhere): read the batch again.
      this.drop(c);
      return this.outcomeOf(api, rec, customId, true);
    }
    if (!outcome) return { customId, error: { kind: 'failed', message: 'the batch returned no result for it' } };
    const left = (c.uses.get(customId) ?? 1) - 1;
    if (left > 0) c.uses.set(customId, left);
    else if (spool.has(customId)) {
      spool.take(customId);
      this.releaseShare(rec, spool.size === 0);
      if (spool.size === 0) this.drop(c);
    }
    return outcome;
  }

  /** `--max-cost`: frees one request's share of a batch's reservation, or all that is left once every answer is taken. */
  private releaseShare(rec: HeldBatch, all: boolean): void {
    const r = rec.reserved;
    if (!r) return;
    const usd = all ? r.left : Math.min(r.perRequest, r.left);
    r.left -= usd;
    this.spend.releaseUsd(usd);
  }

  /** A collection every call has taken from: its spool goes (unless a newer read of the batch replaced it). */
  private drop(c: Collection): void {
    if (this.collections.get(c.batchId)?.gen !== c.gen) return;
    this.collections.delete(c.batchId);
    if (c.outcomes !== 'pending') void c.outcomes.close();
  }

  private collection(api: ProviderBatchApi, rec: HeldBatch): Promise<Collection> {
    let held = this.collections.get(rec.batchId);
    if (!held) {
      const gen = ++this.gens;
      held = { gen, collection: this.collect(api, rec, gen) };
      this.collections.set(rec.batchId, held);
    }
    return held.collection;
  }

  /** Polls a batch until it ends (or once, without `wait`), then reads its outcomes line by line. */
  private async collect(api: ProviderBatchApi, rec: HeldBatch, gen: number): Promise<Collection> {
    const batchId = rec.batchId;
    const none = (): Collection => ({ batchId, gen, outcomes: 'pending', uses: new Map() });
    for (;;) {
      const p = (await withRetries(() => api.status(batchId), this.readPolicy(), this.o.signal)).value;
      this.progress.set(batchId, p);
      this.o.onProgress?.(this.totals());
      if (p.ended) break;
      if (!this.o.wait || this.o.signal?.aborted) return none();
      try {
        await sleep(this.o.pollMs, undefined, { signal: this.o.signal });
      } catch {
        return none();
      }
    }
    const file = path.join(this.o.runDir, BATCHES_DIR, `${batchId.replace(/[^A-Za-z0-9_.-]/g, '_')}.${gen}.outcomes`);
    const read = (): Promise<OutcomeSpool> => OutcomeSpool.fill(file, api.results(batchId));
    const outcomes = (await withRetries(read, this.readPolicy(), this.o.signal)).value;
    return { batchId, gen, outcomes, uses: new Map(Object.entries(rec.uses ?? {})) };
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

function held(rec: BatchRecord): HeldBatch {
  return { batchId: rec.batchId, ...(rec.uses ? { uses: rec.uses } : {}), ids: CustomIdIndex.of(Object.keys(rec.requests)) };
}
