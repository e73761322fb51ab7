import type { CacheMode, CallResult } from '../types.js';
import { ProviderError } from '../errors.js';
import { cacheKey, type CacheEntry, type CacheKeyParts, type ResponseCache } from './cache.js';

/**
 * Calls through the response cache: `on` and `replay` answer from it when they can (`replay`
 * never calls: a miss is an error), `on` and `refresh` write each live answer to it. Until an
 * answer's entry is on disk, the same request waits for it instead of calling again: identical
 * requests in one run, even concurrent ones, cost one call, and a run reads its own writes.
 */

export interface CachedRequest {
  modelName: string;
  parts: CacheKeyParts;
  /** Names the request in a replay miss. */
  shown(): string;
}

export class CachedCalls {
  /** Calls answered by the cache or by an identical call in flight. */
  hits = 0;
  private readonly inflight = new Map<string, Promise<CallResult>>();
  private readonly pendingWrites = new Set<Promise<void>>();
  private readonly misses: string[] = [];

  constructor(
    private readonly cache: ResponseCache,
    private readonly mode: Exclude<CacheMode, 'off'>,
  ) {}

  /** The request's answer: cached, shared with the same request in flight, or `call()`ed and cached. */
  async answer(req: CachedRequest, call: () => Promise<CallResult>): Promise<CallResult> {
    const key = cacheKey(req.parts);
    if (this.mode === 'on' || this.mode === 'replay') {
      const hit = await this.cached(key);
      if (hit) return hit;
      if (this.mode === 'replay') {
        this.misses.push(`no cached answer for model "${req.modelName}" (cache key ${key.slice(0, 12)}): "${req.shown()}"`);
        throw new ProviderError(
          'cache-miss',
          `no cached answer for model "${req.modelName}" (cache key ${key.slice(0, 12)}) and --cache replay calls no model; record it first with --cache on`,
        );
      }
    }
    // Checked and registered with no await in between, so concurrent identical requests make one call.
    const pending = this.inflight.get(key);
    if (pending) return this.share(pending, call);
    return this.callAndStore(key, req, call);
  }

  /** One line per `--cache replay` miss. */
  replayMisses(): string[] {
    return [...this.misses];
  }

  /** Waits for pending cache writes. */
  async close(): Promise<void> {
    while (this.pendingWrites.size > 0) await Promise.all([...this.pendingWrites]);
  }

  private async cached(key: string): Promise<CallResult | undefined> {
    const hit = await this.cache.get(key);
    if (!hit) return undefined;
    this.hits++;
    const r = hit.response;
    const out: CallResult = { text: r.text, usage: r.usage, latencyMs: r.latencyMs, ttftMs: r.ttftMs, meta: r.meta, cached: true, costUsd: 0, attempts: 0 };
    if (r.toolCalls) out.toolCalls = r.toolCalls;
    if (r.embedding) out.embedding = r.embedding;
    return out;
  }

  private callAndStore(key: string, req: CachedRequest, call: () => Promise<CallResult>): Promise<CallResult> {
    const p = call();
    this.inflight.set(key, p);
    const settled = p.then(
      (r) => this.cache.set(entryOf(key, req, r)),
      () => undefined,
    );
    const done = settled.finally(() => {
      if (this.inflight.get(key) === p) this.inflight.delete(key);
      this.pendingWrites.delete(done);
    });
    this.pendingWrites.add(done);
    return p;
  }

  /** The same request's call, shared as a cached answer; if that call fails, this one calls itself. */
  private async share(p: Promise<CallResult>, call: () => Promise<CallResult>): Promise<CallResult> {
    const r = await p.catch(() => undefined);
    if (!r) return call();
    this.hits++;
    return { ...r, cached: true, costUsd: 0, attempts: 0 };
  }
}

function entryOf(key: string, req: CachedRequest, r: CallResult): CacheEntry {
  return {
    version: 1,
    key,
    createdAt: new Date().toISOString(),
    model: req.modelName,
    request: req.parts,
    response: { text: r.text, ...(r.toolCalls ? { toolCalls: r.toolCalls } : {}), usage: r.usage, latencyMs: r.latencyMs, ttftMs: r.ttftMs, meta: r.meta, ...(r.embedding ? { embedding: r.embedding } : {}) },
  };
}
