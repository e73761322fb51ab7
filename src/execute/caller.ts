import type { CacheMode, CallOptions, CallResult, EmbedResult, GenerateOptions, ModelCaller, ModelProvider, ModelRequest, ModelResponse, ProviderFactory, ResolvedConfig, ResolvedModel } from '../types.js';
import { ProviderError, UsageError } from '../errors.js';
import { loadProviderFactory } from '../providers/registry.js';
import { loadDotEnv } from '../providers/env.js';
import { registerSecretsFromEnv } from '../util/secrets.js';
import { costOf } from '../cost/compute.js';
import { resolvePrice, unknownPriceWarning, type PriceSource } from '../cost/prices.js';
import { ResponseCache, cacheKey, type CacheEntry, type CacheKeyParts } from './cache.js';
import { Budget, CostEstimator, type Reservation } from './budget.js';
import { AdaptiveLimiter, type LimiterStats, type SlotOutcome } from './limiter.js';
import { DEFAULT_RETRY_TIMING, withRetries, type RetryEvent, type RetryPolicy } from './retry.js';
import { DEFAULT_HEALTH, EndpointHealth, countsAgainstHealth, type HealthOptions } from './health.js';
import { withTimeout } from './timeout.js';

/**
 * The one path every model call takes:
 *
 *   cache lookup → budget reservation → retry( limiter slot → timeout( provider.generate ) )
 *     → cost (provider's own, else usage × price) → cache write
 *
 * An embeddings call (`embed`) takes the same path, one text per cached entry.
 *
 * Providers are created on first live call, so an unused SDK never loads and a fully cached
 * run (`--cache replay`) needs neither a key nor a network. Spend is tracked apart for
 * candidates and judges. Nothing here prints: warnings go to `onWarning` and `warnings()`.
 */

export interface CallerOptions {
  config: ResolvedConfig;
  cache: CacheMode;
  /** Stop starting calls once estimated spend would pass this (USD). */
  maxCostUsd?: number;
  /** Default calls in flight per endpoint (a model's `concurrency` overrides it). */
  concurrency: number;
  env: NodeJS.ProcessEnv;
  onWarning?(message: string): void;
  /** Called before each retry's backoff (for progress displays and logs). */
  onRetry?(event: RetryEvent & { model: string }): void;
  /** Read `<config dir>/.env` into `env` (no override). Default true. */
  loadEnvFile?: boolean;
  /** Backoff timing (tests shorten it); the retry count is `config.defaults.retries`. */
  retryTiming?: Partial<Omit<RetryPolicy, 'retries'>>;
  /** When an endpoint counts as down. */
  health?: Partial<HealthOptions>;
}

export interface CallerStats {
  /** Calls answered by a provider. */
  liveCalls: number;
  cacheHits: number;
  /** Attempts beyond the first, over all calls. */
  retries: number;
  /** Calls that ended in an error (after retries). */
  failedCalls: number;
  endpoints: Array<{ endpoint: string } & LimiterStats>;
}

export interface RunModelCaller extends ModelCaller {
  embed(modelName: string, texts: string[], opts?: CallOptions): Promise<EmbedResult[]>;
  /** Spend so far (USD, priced calls only), split by purpose. */
  spend(): { candidateUsd: number; judgeUsd: number };
  /** Why an endpoint is considered down (the run should stop, exit 3), or null. */
  providerDown(): string | null;
  /** One line per `--cache replay` miss, naming the model and the request. */
  replayMisses(): string[];
  /** Every warning emitted so far (also sent to `onWarning`), each once. */
  warnings(): string[];
  stats(): CallerStats;
  /** Waits for pending cache writes. */
  close(): Promise<void>;
}

/** Per configured model: what is needed to key, call and price it, computed once. */
interface ModelState {
  model: ResolvedModel;
  factory: ProviderFactory;
  /** From the factory when it can tell without creating the provider. */
  identity?: Record<string, unknown>;
  provider?: Promise<ModelProvider>;
  price: PriceSource;
  estimator?: CostEstimator;
}

interface Endpoint {
  limiter: AdaptiveLimiter;
  health: EndpointHealth;
}

const RUN_STOPPING = 'the run is stopping';

function slotOutcome(err: unknown): SlotOutcome {
  return err instanceof ProviderError && err.kind === 'rate-limit' ? 'rate-limited' : 'failed';
}

function shortText(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? one.slice(0, 60) + '…' : one;
}

function preview(req: Omit<ModelRequest, 'model'>): string {
  for (let i = req.messages.length - 1; i >= 0; i--) {
    const m = req.messages[i]!;
    if (m.role === 'user') return shortText(m.content);
  }
  return '';
}

/** What a live call sends, whatever its kind (chat or embeddings). */
interface LiveWork {
  /** Characters of the request, for the budget's estimate and what it learns. */
  chars(): number;
  params: Record<string, unknown>;
  run(provider: ModelProvider, opts: GenerateOptions): Promise<ModelResponse>;
}

function chatWork(request: ModelRequest): LiveWork {
  return {
    chars: () => CostEstimator.requestChars(request.messages, request.responseFormat),
    params: request.params,
    run: (provider, opts) => provider.generate(request, opts),
  };
}

function embedWork(model: ResolvedModel, text: string): LiveWork {
  return {
    chars: () => text.length,
    params: {},
    async run(provider, opts) {
      if (!provider.embed) throw new ProviderError('bad-request', `model "${model.name}" (${provider.id}) has no embeddings endpoint: use an openai or openai-compatible model`);
      const r = await provider.embed([text], opts);
      return { text: '', usage: r.usage, latencyMs: r.latencyMs, cached: false, embedding: r.vectors[0] };
    },
  };
}

export function createModelCaller(opts: CallerOptions): RunModelCaller {
  const { config, env } = opts;
  if (opts.loadEnvFile ?? true) loadDotEnv(config.dir, env);
  registerSecretsFromEnv(env, Object.values(config.models).flatMap((m) => (m.apiKeyEnv ? [m.apiKeyEnv] : [])));

  const mode = opts.cache;
  const cache = mode === 'off' ? undefined : new ResponseCache(config.cacheDir, warnOnce);
  const budget = opts.maxCostUsd !== undefined ? new Budget(opts.maxCostUsd) : undefined;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_TIMING, ...opts.retryTiming, retries: config.defaults.retries };
  const healthOpts: HealthOptions = { ...DEFAULT_HEALTH, ...opts.health };
  const timeoutMs = config.defaults.timeoutMs;
  const ctx = { configDir: config.dir, env };

  const states = new Map<string, Promise<ModelState>>();
  const endpoints = new Map<string, Endpoint>();
  /** Health of models whose provider could not even be created (e.g. missing key). */
  const setupHealth = new Map<string, EndpointHealth>();
  const pendingWrites = new Set<Promise<void>>();
  /** Live calls whose answer is not yet in the cache, by cache key. */
  const inflight = new Map<string, Promise<CallResult>>();
  const warned = new Set<string>();
  const warningList: string[] = [];
  const misses: string[] = [];
  let downReason: string | null = null;
  let candidateUsd = 0;
  let judgeUsd = 0;
  const counters = { liveCalls: 0, cacheHits: 0, retries: 0, failedCalls: 0 };

  function warnOnce(message: string): void {
    if (warned.has(message)) return;
    warned.add(message);
    warningList.push(message);
    opts.onWarning?.(message);
  }

  function stateOf(modelName: string): Promise<ModelState> {
    let s = states.get(modelName);
    if (!s) {
      const model = config.models[modelName];
      if (!model) throw new UsageError(`unknown model "${modelName}"; configured: ${Object.keys(config.models).join(', ') || '(none)'}`);
      s = (async (): Promise<ModelState> => {
        const factory = await loadProviderFactory(model.provider);
        if (!factory) throw new UsageError(`unknown provider "${model.provider}" for model "${modelName}"`);
        const state: ModelState = { model, factory, price: resolvePrice(model) };
        if (factory.identity) state.identity = factory.identity(model, ctx);
        if (budget && state.price.kind !== 'unknown') state.estimator = new CostEstimator(state.price.price);
        if (budget && state.price.kind === 'unknown') {
          warnOnce(`--max-cost cannot account for model "${modelName}": its price is unknown (set \`price:\` on the model)`);
        }
        return state;
      })();
      states.set(modelName, s);
    }
    return s;
  }

  function providerOf(state: ModelState): Promise<ModelProvider> {
    state.provider ??= Promise.resolve().then(() => state.factory.create(state.model, ctx));
    return state.provider;
  }

  function endpointOf(provider: ModelProvider, model: ResolvedModel): Endpoint {
    let e = endpoints.get(provider.endpoint);
    if (!e) {
      const label = `${provider.id} (${provider.endpoint.split('#')[0]})`;
      const max = model.concurrency ?? opts.concurrency;
      const limiter = new AdaptiveLimiter(max, 1, (_limit, why) => {
        if (why === 'rate-limited') warnOnce(`${label} is rate limiting (429): fewer calls are sent to it at once, and more again as calls succeed`);
      });
      e = { limiter, health: new EndpointHealth(label, healthOpts) };
      endpoints.set(provider.endpoint, e);
    }
    return e;
  }

  function noteFailure(health: EndpointHealth, err: unknown): void {
    // A call stopped because the run is stopping did not fail.
    if (err instanceof ProviderError && err.kind === 'aborted') return;
    counters.failedCalls++;
    if (err instanceof ProviderError && countsAgainstHealth(err)) {
      health.record(true, err);
      downReason ??= health.down();
    }
  }

  function costFor(state: ModelState, response: { usage?: CallResult['usage']; costUsd?: number | null }): number | null {
    if (response.costUsd !== undefined && response.costUsd !== null) return response.costUsd;
    if (state.price.kind === 'unknown') {
      warnOnce(unknownPriceWarning(state.model));
      return null;
    }
    if (!response.usage) {
      warnOnce(`model "${state.model.name}" returned no token usage: its cost is unknown`);
      return null;
    }
    return costOf(response.usage, state.price.price);
  }

  async function cachedAnswer(key: string): Promise<CallResult | undefined> {
    const hit = await cache!.get(key);
    if (!hit) return undefined;
    counters.cacheHits++;
    const r = hit.response;
    const out: CallResult = { text: r.text, usage: r.usage, latencyMs: r.latencyMs, ttftMs: r.ttftMs, meta: r.meta, cached: true, costUsd: 0, attempts: 0 };
    if (r.embedding) out.embedding = r.embedding;
    if (r.toolCalls) out.toolCalls = r.toolCalls;
    return out;
  }

  async function live(state: ModelState, work: LiveWork, callOpts: CallOptions): Promise<CallResult> {
    const { model } = state;
    let provider: ModelProvider;
    try {
      provider = await providerOf(state);
    } catch (err) {
      let h = setupHealth.get(model.name);
      if (!h) setupHealth.set(model.name, (h = new EndpointHealth(`model "${model.name}"`, healthOpts)));
      noteFailure(h, err);
      throw err;
    }
    const endpoint = endpointOf(provider, model);
    const down = endpoint.health.down();
    // Not started, so not finished: the runner leaves the case for a resume.
    if (down) throw new ProviderError('aborted', `not started: ${down}`);

    let reservation: Reservation | undefined;
    let chars = 0;
    if (budget) {
      chars = state.estimator ? work.chars() : 0;
      reservation = await budget.acquire(state.estimator ? state.estimator.estimate(chars, work.params) : 0, `model "${model.name}"`, callOpts.signal);
    }

    const who = `model "${model.name}"`;
    let result: { value: ModelResponse; attempts: number };
    try {
      result = await withRetries(
        async (attempt) => {
          const slot = await endpoint.limiter.acquire(callOpts.signal, attempt > 1);
          try {
            const response = await withTimeout((signal) => work.run(provider, { timeoutMs, vars: callOpts.vars, signal }), timeoutMs, callOpts.signal, who);
            endpoint.limiter.release(slot, 'ok');
            return response;
          } catch (err) {
            endpoint.limiter.release(slot, slotOutcome(err));
            throw err;
          }
        },
        policy,
        callOpts.signal,
        (e) => {
          counters.retries++;
          opts.onRetry?.({ ...e, model: model.name });
        },
      );
    } catch (err) {
      if (reservation) budget!.settle(reservation, 0);
      noteFailure(endpoint.health, err);
      throw err;
    }
    counters.liveCalls++;
    endpoint.health.record(false);
    const response = result.value;
    const costUsd = costFor(state, response);
    if (reservation) budget!.settle(reservation, costUsd);
    if (state.estimator && response.usage) state.estimator.learn(chars || work.chars(), response.usage);
    if (costUsd !== null) {
      if (callOpts.purpose === 'judge') judgeUsd += costUsd;
      else candidateUsd += costUsd;
    }
    // Object.assign then plain sets: `{ ...response, more }` takes a slow path in V8, once per call.
    const out = Object.assign({}, response) as CallResult;
    out.cached = false;
    out.costUsd = costUsd;
    out.attempts = result.attempts;
    return out;
  }

  function entryOf(key: string, parts: CacheKeyParts, model: ResolvedModel, r: CallResult): CacheEntry {
    return {
      version: 1,
      key,
      createdAt: new Date().toISOString(),
      model: model.name,
      request: parts,
      response: { text: r.text, usage: r.usage, latencyMs: r.latencyMs, ttftMs: r.ttftMs, meta: r.meta, ...(r.embedding ? { embedding: r.embedding } : {}), ...(r.toolCalls ? { toolCalls: r.toolCalls } : {}) },
    };
  }

  /**
   * A live call whose answer will be cached. Until its entry is on disk, the same request
   * waits for it instead of calling again: identical requests in one run cost one call, and
   * a run reads its own writes.
   */
  function liveAndCached(key: string, parts: CacheKeyParts, state: ModelState, work: LiveWork, callOpts: CallOptions): Promise<CallResult> {
    const p = live(state, work, callOpts);
    inflight.set(key, p);
    const settled = p.then(
      (r) => cache!.set(entryOf(key, parts, state.model, r)),
      () => undefined,
    );
    const done = settled.finally(() => {
      if (inflight.get(key) === p) inflight.delete(key);
      pendingWrites.delete(done);
    });
    pendingWrites.add(done);
    return p;
  }

  /** The same request's live call, shared as a cached answer; if that call fails, this one calls itself. */
  async function shareInflight(p: Promise<CallResult>, retry: () => Promise<CallResult>): Promise<CallResult> {
    const r = await p.catch(() => undefined);
    if (!r) return retry();
    counters.cacheHits++;
    return { ...r, cached: true, costUsd: 0, attempts: 0 };
  }

  /**
   * One request through cache → live call → cache write. `partsOf` gives the request's cache key
   * parts for the endpoint's identity; `shown` names the request in a replay miss.
   */
  async function through(
    modelName: string,
    state: ModelState,
    partsOf: (identity: Record<string, unknown>) => CacheKeyParts,
    work: LiveWork,
    shown: () => string,
    callOpts: CallOptions,
  ): Promise<CallResult> {
    let key: string | undefined;
    let parts: CacheKeyParts | undefined;
    if (cache) {
      // Providers that cannot name their identity from config (echo, script) are local: not cached.
      const identity = state.identity ?? (await providerOf(state).then((p) => (p.cacheable === false ? undefined : p.identity)));
      if (identity) {
        parts = partsOf(identity);
        key = cacheKey(parts);
        if (mode === 'on' || mode === 'replay') {
          const hit = await cachedAnswer(key);
          if (hit) return hit;
          if (mode === 'replay') {
            misses.push(`no cached answer for model "${modelName}" (cache key ${key.slice(0, 12)}): "${shown()}"`);
            throw new ProviderError(
              'cache-miss',
              `no cached answer for model "${modelName}" (cache key ${key.slice(0, 12)}) and --cache replay calls no model; record it first with --cache on`,
            );
          }
        }
      }
    }

    if (!key || !parts) return live(state, work, callOpts);
    // Checked and registered with no await in between, so concurrent identical requests make one call.
    const pending = inflight.get(key);
    if (pending) return shareInflight(pending, () => live(state, work, callOpts));
    return liveAndCached(key, parts, state, work, callOpts);
  }

  return {
    async call(modelName, req, callOpts = {}): Promise<CallResult> {
      if (callOpts.signal?.aborted) throw new ProviderError('aborted', RUN_STOPPING);
      const state = await stateOf(modelName);
      const request = Object.assign({}, req) as ModelRequest;
      request.model = state.model.model;
      return through(
        modelName,
        state,
        (identity) => ({ identity, messages: req.messages, params: req.params, responseFormat: req.responseFormat, sample: callOpts.sample }),
        chatWork(request),
        () => preview(req),
        callOpts,
      );
    },
    async embed(modelName, texts, callOpts = {}): Promise<EmbedResult[]> {
      if (callOpts.signal?.aborted) throw new ProviderError('aborted', RUN_STOPPING);
      const state = await stateOf(modelName);
      return Promise.all(
        texts.map(async (text): Promise<EmbedResult> => {
          const r = await through(
            modelName,
            state,
            (identity) => ({ identity, messages: [], params: {}, embeddingInput: text }),
            embedWork(state.model, text),
            () => shortText(text),
            callOpts,
          );
          if (!r.embedding) throw new ProviderError('transient', `model "${modelName}" returned no embedding (a cached entry that is not an embedding?)`);
          return { embedding: r.embedding, usage: r.usage, costUsd: r.costUsd, cached: r.cached, attempts: r.attempts };
        }),
      );
    },
    spend: () => ({ candidateUsd, judgeUsd }),
    providerDown: () => downReason,
    replayMisses: () => [...misses],
    warnings: () => [...warningList],
    stats: () => ({
      ...counters,
      endpoints: [...endpoints].map(([endpoint, e]) => ({ endpoint, ...e.limiter.stats() })),
    }),
    async close() {
      while (pendingWrites.size > 0) await Promise.all([...pendingWrites]);
    },
  };
}
