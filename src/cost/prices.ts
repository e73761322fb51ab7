import type { ModelPrice, ResolvedModel } from '../types.js';

/**
 * The built-in price table: USD per 1M tokens, standard (non-batch, short-context) rates as
 * the vendors' pricing pages listed them on this date. A model's `price:` in llm-eval.yaml
 * overrides it. A model missing here costs null (with a warning), never a guess.
 *
 * Not modelled: batch discounts, long-context surcharges (e.g. gpt-5.4 above 270K input
 * tokens), Anthropic cache *writes* (billed 1.25× input; llm-eval never asks for cache
 * writes, so they only occur when a proxy adds cache_control).
 */
export const PRICES_AS_OF = '2026-06-01';

/** `cachedInput` absent: the vendor gives no cache discount, cached tokens cost `input`. */
export const PRICE_TABLE: Readonly<Record<string, ModelPrice>> = {
  // ---- OpenAI
  'gpt-5.5': { input: 5, cachedInput: 0.5, output: 30 },
  'gpt-5.5-pro': { input: 30, output: 180 },
  'gpt-5.4': { input: 2.5, cachedInput: 0.25, output: 15 },
  'gpt-5.4-mini': { input: 0.75, cachedInput: 0.075, output: 4.5 },
  'gpt-5.4-nano': { input: 0.2, cachedInput: 0.02, output: 1.25 },
  'gpt-5.4-pro': { input: 30, output: 180 },
  'gpt-5.2': { input: 1.75, cachedInput: 0.175, output: 14 },
  'gpt-5.2-chat-latest': { input: 1.75, cachedInput: 0.175, output: 14 },
  'gpt-5.2-pro': { input: 21, output: 168 },
  'gpt-5.1': { input: 1.25, cachedInput: 0.125, output: 10 },
  'gpt-5.1-chat-latest': { input: 1.25, cachedInput: 0.125, output: 10 },
  'gpt-5.1-codex': { input: 1.25, cachedInput: 0.125, output: 10 },
  'gpt-5': { input: 1.25, cachedInput: 0.125, output: 10 },
  'gpt-5-chat-latest': { input: 1.25, cachedInput: 0.125, output: 10 },
  'gpt-5-codex': { input: 1.25, cachedInput: 0.125, output: 10 },
  'gpt-5-mini': { input: 0.25, cachedInput: 0.025, output: 2 },
  'gpt-5-nano': { input: 0.05, cachedInput: 0.005, output: 0.4 },
  'gpt-5-pro': { input: 15, output: 120 },
  'gpt-4.1': { input: 2, cachedInput: 0.5, output: 8 },
  'gpt-4.1-mini': { input: 0.4, cachedInput: 0.1, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, cachedInput: 0.025, output: 0.4 },
  'gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10 },
  'gpt-4o-2024-05-13': { input: 5, output: 15 },
  'chatgpt-4o-latest': { input: 5, output: 15 },
  'gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6 },
  o3: { input: 2, cachedInput: 0.5, output: 8 },
  'o3-pro': { input: 20, output: 80 },
  'o3-mini': { input: 1.1, cachedInput: 0.55, output: 4.4 },
  'o4-mini': { input: 1.1, cachedInput: 0.275, output: 4.4 },
  o1: { input: 15, cachedInput: 7.5, output: 60 },
  'o1-mini': { input: 1.1, cachedInput: 0.55, output: 4.4 },
  'gpt-4-turbo': { input: 10, output: 30 },
  'gpt-4': { input: 30, output: 60 },
  'gpt-3.5-turbo': { input: 0.5, output: 1.5 },
  // Embeddings: input only (openai.com/api/pricing).
  'text-embedding-3-small': { input: 0.02, output: 0 },
  'text-embedding-3-large': { input: 0.13, output: 0 },
  'text-embedding-ada-002': { input: 0.1, output: 0 },
  // ---- Anthropic (cachedInput = cache hits)
  'claude-opus-4-7': { input: 5, cachedInput: 0.5, output: 25 },
  'claude-opus-4-6': { input: 5, cachedInput: 0.5, output: 25 },
  'claude-opus-4-5': { input: 5, cachedInput: 0.5, output: 25 },
  'claude-opus-4-1': { input: 15, cachedInput: 1.5, output: 75 },
  'claude-opus-4': { input: 15, cachedInput: 1.5, output: 75 },
  'claude-opus-4-0': { input: 15, cachedInput: 1.5, output: 75 },
  'claude-sonnet-4-6': { input: 3, cachedInput: 0.3, output: 15 },
  'claude-sonnet-4-5': { input: 3, cachedInput: 0.3, output: 15 },
  'claude-sonnet-4': { input: 3, cachedInput: 0.3, output: 15 },
  'claude-sonnet-4-0': { input: 3, cachedInput: 0.3, output: 15 },
  'claude-3-7-sonnet': { input: 3, cachedInput: 0.3, output: 15 },
  'claude-3-5-sonnet': { input: 3, cachedInput: 0.3, output: 15 },
  'claude-haiku-4-5': { input: 1, cachedInput: 0.1, output: 5 },
  'claude-3-5-haiku': { input: 0.8, cachedInput: 0.08, output: 4 },
  'claude-3-haiku': { input: 0.25, cachedInput: 0.03, output: 1.25 },
  'claude-3-opus': { input: 15, cachedInput: 1.5, output: 75 },
};

/**
 * What may follow a table id in a snapshot id: a date (`-2024-08-06`, `-20250929`, `-0613`)
 * or `-latest`. Anything else (`gpt-5.2` after `gpt-5`, `gpt-4o-audio-preview` after
 * `gpt-4o`) is a different model with its own price, so it does not match.
 */
const SNAPSHOT_SUFFIX = /^-(\d{4}-\d{2}-\d{2}|\d{8}|\d{4}|latest)$/;

/**
 * The id of a model table (prices, retirements) that a provider model id names: the id itself,
 * or a listed id it is a dated snapshot of. Longest id first, so `gpt-4o-mini-2024-07-18`
 * finds gpt-4o-mini before gpt-4o.
 */
export function matchListedModel(modelId: string, table: Readonly<Record<string, unknown>>): string | undefined {
  if (Object.hasOwn(table, modelId)) return modelId;
  let best: string | undefined;
  for (const id of Object.keys(table)) {
    if (modelId.length > id.length && modelId.startsWith(id) && SNAPSHOT_SUFFIX.test(modelId.slice(id.length)) && (!best || id.length > best.length)) best = id;
  }
  return best;
}

export interface PriceMatch {
  /** The table id the model id matched. */
  id: string;
  price: ModelPrice;
}

/** The table price of a provider model id, matching dated snapshots of a listed model. */
export function lookupPrice(modelId: string): PriceMatch | undefined {
  const id = matchListedModel(modelId, PRICE_TABLE);
  return id === undefined ? undefined : { id, price: PRICE_TABLE[id]! };
}

/** Where a model's price comes from: its `price:` override, else the table, else unknown. */
export type PriceSource =
  | { kind: 'config'; price: ModelPrice }
  | { kind: 'table'; id: string; price: ModelPrice }
  | { kind: 'local'; price: ModelPrice }
  | { kind: 'unknown' };

const FREE: ModelPrice = { input: 0, output: 0 };

export function resolvePrice(model: ResolvedModel): PriceSource {
  if (model.price) return { kind: 'config', price: model.price };
  // echo runs in-process: nothing to pay. (script may call a paid API itself: it reports costUsd or stays unknown.)
  if (model.provider === 'echo') return { kind: 'local', price: FREE };
  const match = model.model ? lookupPrice(model.model) : undefined;
  return match ? { kind: 'table', id: match.id, price: match.price } : { kind: 'unknown' };
}

/** The one warning for a model without a price (shown once per model). */
export function unknownPriceWarning(model: ResolvedModel): string {
  const what = model.model ? `${model.provider} model ${model.model}` : `${model.provider} model`;
  return `no price known for model "${model.name}" (${what}; built-in prices as of ${PRICES_AS_OF}): its cost is reported as unknown; set \`price: { input, output }\` (USD per 1M tokens) on the model`;
}
