import type { ResolvedModel } from '../../types.js';

/**
 * The batch API a model's provider offers, named by its price-table key, or undefined: `openai`
 * and `anthropic` always; an `openai-compatible` server only with `batch: true` on the model (it
 * then claims the OpenAI Batch API); any other provider none. The providers build their batch API
 * by this rule, and the dry run prices by it.
 */
export function batchVendorOf(model: Pick<ResolvedModel, 'provider' | 'batch'>): 'openai' | 'anthropic' | undefined {
  if (model.provider === 'openai') return 'openai';
  if (model.provider === 'anthropic') return 'anthropic';
  if (model.provider === 'openai-compatible' && model.batch === true) return 'openai';
  return undefined;
}
