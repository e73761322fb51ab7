import type { ModelProvider, ProviderFactory, ResolvedConfig, ResolvedModel } from '../types.js';
import { UsageError } from '../errors.js';
import { loadProviderFactory } from '../providers/registry.js';
import { resolvePrice, type PriceSource } from '../cost/prices.js';

/** Per configured model: what is needed to key, call and price it, computed once. */
export interface ModelState {
  model: ResolvedModel;
  factory: ProviderFactory;
  /** From the factory when it can tell without creating the provider. */
  identity?: Record<string, unknown>;
  provider?: Promise<ModelProvider>;
  price: PriceSource;
}

/**
 * The configured models by name. A model's provider factory loads on its first call and its
 * provider is created on its first live call, so an unused SDK never loads and a fully cached
 * run (`--cache replay`) needs neither a key nor a network.
 */
export class ModelRegistry {
  private readonly states = new Map<string, Promise<ModelState>>();
  private readonly ctx: { configDir: string; env: NodeJS.ProcessEnv };

  constructor(
    private readonly config: ResolvedConfig,
    env: NodeJS.ProcessEnv,
  ) {
    this.ctx = { configDir: config.dir, env };
  }

  /** Throws UsageError (synchronously) for a model that is not configured. */
  stateOf(modelName: string): Promise<ModelState> {
    let s = this.states.get(modelName);
    if (!s) {
      const model = this.config.models[modelName];
      if (!model) throw new UsageError(`unknown model "${modelName}"; configured: ${Object.keys(this.config.models).join(', ') || '(none)'}`);
      s = (async (): Promise<ModelState> => {
        const factory = await loadProviderFactory(model.provider);
        if (!factory) throw new UsageError(`unknown provider "${model.provider}" for model "${modelName}"`);
        const state: ModelState = { model, factory, price: resolvePrice(model) };
        if (factory.identity) state.identity = factory.identity(model, this.ctx);
        return state;
      })();
      this.states.set(modelName, s);
    }
    return s;
  }

  providerOf(state: ModelState): Promise<ModelProvider> {
    state.provider ??= Promise.resolve().then(() => state.factory.create(state.model, this.ctx));
    return state.provider;
  }

  /**
   * What keys the model's answers in the cache: the factory's identity, else the provider's.
   * Undefined for local providers that cannot name one (echo, script): they are not cached.
   */
  async cacheIdentity(state: ModelState): Promise<Record<string, unknown> | undefined> {
    if (state.identity) return state.identity;
    const p = await this.providerOf(state);
    return p.cacheable === false ? undefined : p.identity;
  }
}
