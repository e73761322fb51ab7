import type { CacheMode, CallOptions, CallResult, EmbedResult, ModelCaller, ModelRequest, ResolvedConfig } from '../types.js';
import { ProviderError, runStopping } from '../errors.js';
import { loadDotEnv } from '../providers/env.js';
import { registerSecretsFromEnv } from '../util/secrets.js';
import { ResponseCache, chatKeyParts, type CacheKeyParts } from './cache.js';
import type { LimiterStats } from './limiter.js';
import { DEFAULT_RETRY_TIMING, type RetryEvent, type RetryPolicy } from './retry.js';
import type { HealthOptions } from './health.js';
import { Warnings } from './warnings.js';
import { ModelRegistry, type ModelState } from './models.js';
import { EndpointRegistry } from './endpoints.js';
import { Spend } from './spend.js';
import { LiveCall } from './liveCall.js';
import { CachedCalls } from './cachedCalls.js';
import { BatchCall, type BatchModeOptions, type BatchPasses } from './batch/batchCall.js';
import { chatWork, embedWork, preview, shortText, type CallWork } from './work.js';

/**
 * The one path every model call takes, assembled from parts with one job each:
 *
 *   cache lookup / in-flight sharing (cachedCalls.ts)
 *     → live call (liveCall.ts): endpoint up? (endpoints.ts) → budget reservation (spend.ts)
 *         → retry( limiter slot → timeout( provider.generate ) ) → cost (spend.ts)
 *     → cache write
 *
 * An embeddings call (`embed`) takes the same path, one text per cached entry. Models and their
 * lazily created providers are in models.ts. Nothing here prints: warnings go to `onWarning`
 * and `warnings()`.
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
  /** Batch mode (execute/batch/): uncached calls of batch models go out as provider batches. */
  batch?: Omit<BatchModeOptions, 'warn' | 'policy'>;
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
  /** Calls left waiting on provider batches still running (the run is `batch-pending`). */
  batchPending(): number;
  /** Batch mode's passes (submit, then collect), driven by the runner; absent outside batch mode. */
  batch?: BatchPasses;
  /** Waits for pending cache writes. */
  close(): Promise<void>;
}

export function createModelCaller(opts: CallerOptions): RunModelCaller {
  const { config, env } = opts;
  if (opts.loadEnvFile ?? true) loadDotEnv(config.dir, env);
  registerSecretsFromEnv(env, Object.values(config.models).flatMap((m) => (m.apiKeyEnv ? [m.apiKeyEnv] : [])));

  const warnings = new Warnings(opts.onWarning);
  const warn = (m: string): void => warnings.warn(m);
  const models = new ModelRegistry(config, env);
  const endpoints = new EndpointRegistry(opts.concurrency, opts.health, warn);
  const spend = new Spend(opts.maxCostUsd, warn);
  const policy = { ...DEFAULT_RETRY_TIMING, ...opts.retryTiming, retries: config.defaults.retries };
  const live = new LiveCall({
    models,
    endpoints,
    spend,
    policy,
    timeoutMs: config.defaults.timeoutMs,
    onRetry: opts.onRetry,
  });
  const batch = opts.batch ? new BatchCall(live, models, spend, { ...opts.batch, policy, warn }) : undefined;
  const executor = batch ?? live;
  const cached = opts.cache === 'off' ? undefined : new CachedCalls(new ResponseCache(config.cacheDir, warn), opts.cache);

  async function stateOf(modelName: string, callOpts: CallOptions): Promise<ModelState> {
    if (callOpts.signal?.aborted) throw runStopping();
    const state = await models.stateOf(modelName);
    spend.estimatorOf(state);
    return state;
  }

  /** One request through the cache (when on and the model can be keyed) to the executor. */
  async function through(state: ModelState, partsOf: (identity: Record<string, unknown>) => CacheKeyParts, work: CallWork, shown: () => string, callOpts: CallOptions): Promise<CallResult> {
    const call = (): Promise<CallResult> => executor.execute(state, work, callOpts);
    const identity = cached ? await models.cacheIdentity(state) : undefined;
    if (!cached || !identity) return call();
    return cached.answer({ modelName: state.model.name, parts: partsOf(identity), shown }, call);
  }

  return {
    async call(modelName, req, callOpts = {}): Promise<CallResult> {
      const state = await stateOf(modelName, callOpts);
      const request = Object.assign({}, req) as ModelRequest;
      request.model = state.model.model;
      return through(
        state,
        (identity) => chatKeyParts(identity, req, callOpts.sample),
        chatWork(request),
        () => preview(req),
        callOpts,
      );
    },
    async embed(modelName, texts, callOpts = {}): Promise<EmbedResult[]> {
      const state = await stateOf(modelName, callOpts);
      return Promise.all(
        texts.map(async (text): Promise<EmbedResult> => {
          const r = await through(state, (identity) => ({ identity, messages: [], params: {}, embeddingInput: text }), embedWork(state.model, text), () => shortText(text), callOpts);
          if (!r.embedding) throw new ProviderError('transient', `model "${modelName}" returned no embedding (a cached entry that is not an embedding?)`);
          return { embedding: r.embedding, usage: r.usage, costUsd: r.costUsd, cached: r.cached, attempts: r.attempts };
        }),
      );
    },
    spend: () => spend.totals(),
    providerDown: () => endpoints.down(),
    replayMisses: () => cached?.replayMisses() ?? [],
    warnings: () => warnings.all(),
    stats: () => ({
      liveCalls: live.liveCalls,
      cacheHits: cached?.hits ?? 0,
      retries: live.retries,
      failedCalls: endpoints.failedCalls,
      endpoints: endpoints.stats(),
    }),
    batchPending: () => batch?.pending ?? 0,
    batch,
    async close() {
      await cached?.close();
    },
  };
}
