import type { CallResult, CacheMode, ModelCaller, ModelProvider, ModelRequest, ResolvedConfig } from '../types.js';
import { UsageError, ProviderError } from '../errors.js';
import { loadProviderFactory } from '../providers/registry.js';

export interface CallerOptions {
  config: ResolvedConfig;
  cache: CacheMode;
  /** Stop starting calls once estimated spend would pass this. */
  maxCostUsd?: number;
  concurrency: number;
  env: NodeJS.ProcessEnv;
  onWarning?(message: string): void;
}

export interface RunModelCaller extends ModelCaller {
  /** Spend so far, split by purpose. */
  spend(): { candidateUsd: number; judgeUsd: number };
  close(): Promise<void>;
}

/**
 * The one path every model call takes: provider lookup → (cache → budget → limiter → retry) →
 * provider.generate → cost. Providers are created on first use so an unused SDK never loads.
 */
export function createModelCaller(opts: CallerOptions): RunModelCaller {
  const providers = new Map<string, Promise<ModelProvider>>();
  let candidateUsd = 0;
  let judgeUsd = 0;

  function providerFor(modelName: string): Promise<ModelProvider> {
    let p = providers.get(modelName);
    if (!p) {
      const model = opts.config.models[modelName];
      if (!model) throw new UsageError(`unknown model "${modelName}"`);
      p = (async () => {
        const factory = await loadProviderFactory(model.provider);
        if (!factory) throw new UsageError(`unknown provider "${model.provider}" for model "${modelName}"`);
        return factory.create(model, { configDir: opts.config.dir, env: opts.env });
      })();
      providers.set(modelName, p);
    }
    return p;
  }

  return {
    async call(modelName, req, callOpts = {}): Promise<CallResult> {
      const model = opts.config.models[modelName];
      if (!model) throw new UsageError(`unknown model "${modelName}"`);
      const provider = await providerFor(modelName);
      if (callOpts.signal?.aborted) throw new ProviderError('aborted', 'the run is stopping');
      const request: ModelRequest = { ...req, model: model.model };
      const response = await provider.generate(request, { signal: callOpts.signal, timeoutMs: opts.config.defaults.timeoutMs });
      const costUsd = response.costUsd ?? null;
      if (costUsd != null) {
        if (callOpts.purpose === 'judge') judgeUsd += costUsd;
        else candidateUsd += costUsd;
      }
      return { ...response, costUsd, attempts: 1 };
    },
    spend: () => ({ candidateUsd, judgeUsd }),
    async close() {},
  };
}
