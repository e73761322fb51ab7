import type { CallOptions, CallResult, GenerateOptions, ModelProvider, ModelRequest, ModelResponse, ResolvedModel } from '../types.js';
import { ProviderError } from '../errors.js';
import { CostEstimator } from './budget.js';
import type { ModelState } from './models.js';

/**
 * What a call sends, whatever its kind (chat or embeddings), and how a call the cache did not
 * answer is executed. The live call (liveCall.ts) is one executor; a provider batch (submit now,
 * collect later) is another with the same shape, so the cache, spend and endpoint parts serve both.
 */

export interface CallWork {
  /** Characters of the request, for the budget's estimate and what it learns. */
  chars(): number;
  params: Record<string, unknown>;
  /** A chat request (absent for embeddings): what a provider batch sends. */
  request?: ModelRequest;
  run(provider: ModelProvider, opts: GenerateOptions): Promise<ModelResponse>;
}

export interface CallExecutor {
  execute(state: ModelState, work: CallWork, callOpts: CallOptions): Promise<CallResult>;
}

export function chatWork(request: ModelRequest): CallWork {
  return {
    chars: () => CostEstimator.requestChars(request.messages, request.responseFormat),
    params: request.params,
    request,
    run: (provider, opts) => provider.generate(request, opts),
  };
}

export function embedWork(model: ResolvedModel, text: string): CallWork {
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

/** A text on one line, cut to 60 characters: how a replay miss names its request. */
export function shortText(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? one.slice(0, 60) + '…' : one;
}

/** The last user message of a request, shortened. */
export function preview(req: Omit<ModelRequest, 'model'>): string {
  for (let i = req.messages.length - 1; i >= 0; i--) {
    const m = req.messages[i]!;
    if (m.role === 'user') return shortText(m.content);
  }
  return '';
}
