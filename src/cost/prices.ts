import type { ModelPrice, ResolvedModel } from '../types.js';

/**
 * The built-in price table: USD per 1M tokens, standard (interactive, short-context) rates as
 * the vendors' pricing pages listed them on PRICES_AS_OF. A model's `price:` in llm-eval.yaml
 * overrides it. A model missing here costs null (with a warning), never a guess.
 *
 * Sources (read on PRICES_AS_OF; test/cost/vendorPrices.json is the same figures copied by hand
 * from these pages, and test/cost/prices.test.ts checks every row against it):
 *  - OpenAI: developers.openai.com/api/docs/pricing ("Standard" text tokens: Input, Cached
 *    input, Output). OpenAI bills no cache writes. Batch API: "save 50% on inputs and outputs".
 *  - Anthropic: platform.claude.com/docs/en/about-claude/pricing ("Model pricing": Base input,
 *    5m cache writes, 1h cache writes, Cache hits & refreshes, Output; the page's multipliers
 *    are 1.25×, 2× and 0.1× of base input) and docs.anthropic.com/en/docs/build-with-claude/
 *    batch-processing ("Batch input / Batch output" at 50%, for all usage including caching).
 *  - Claude Sonnet 3.5 is no longer on the pricing page: its row is Sonnet 3.7's ($3 tier, the
 *    batch page's "Claude Sonnet 3.5 (deprecated) $1.50 / $7.50" confirms the tier).
 *
 * Not modelled: long-context surcharges (e.g. gpt-5.4 above 270K input tokens), data
 * residency and priority/flex tiers.
 */
export const PRICES_AS_OF = '2026-06-01';

/**
 * Batch API price as a fraction of the interactive one, per provider, applied to every rate
 * (input, cache reads and writes, output). OpenAI: "Batch API: save 50% on inputs and outputs";
 * Anthropic: "50% discount" on all usage (batch-processing page).
 */
export const BATCH_DISCOUNT: Readonly<Record<'openai' | 'anthropic', number>> = { openai: 0.5, anthropic: 0.5 };

/** A model's batch price: every rate of its interactive price times the provider's batch factor. */
export function batchPrice(price: ModelPrice, provider: keyof typeof BATCH_DISCOUNT): ModelPrice {
  const f = BATCH_DISCOUNT[provider];
  const out: ModelPrice = { input: price.input * f, output: price.output * f };
  if (price.cachedInput !== undefined) out.cachedInput = price.cachedInput * f;
  if (price.cacheWrite !== undefined) out.cacheWrite = price.cacheWrite * f;
  if (price.cacheWrite1h !== undefined) out.cacheWrite1h = price.cacheWrite1h * f;
  return out;
}

/**
 * `cachedInput` absent: the vendor gives no cache discount, cached tokens cost `input`.
 * `cacheWrite` / `cacheWrite1h`: Anthropic only (5-minute and 1-hour cache writes).
 */
export const PRICE_TABLE: Readonly<Record<string, ModelPrice>> = {
  // ---- OpenAI (Standard tier; cachedInput = Cached input)
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
  // ---- Anthropic (cachedInput = cache hits and refreshes; cacheWrite = 5m cache writes; cacheWrite1h = 1h cache writes)
  'claude-opus-4-7': { input: 5, cachedInput: 0.5, cacheWrite: 6.25, cacheWrite1h: 10, output: 25 },
  'claude-opus-4-6': { input: 5, cachedInput: 0.5, cacheWrite: 6.25, cacheWrite1h: 10, output: 25 },
  'claude-opus-4-5': { input: 5, cachedInput: 0.5, cacheWrite: 6.25, cacheWrite1h: 10, output: 25 },
  'claude-opus-4-1': { input: 15, cachedInput: 1.5, cacheWrite: 18.75, cacheWrite1h: 30, output: 75 },
  'claude-opus-4': { input: 15, cachedInput: 1.5, cacheWrite: 18.75, cacheWrite1h: 30, output: 75 },
  'claude-opus-4-0': { input: 15, cachedInput: 1.5, cacheWrite: 18.75, cacheWrite1h: 30, output: 75 },
  'claude-sonnet-4-6': { input: 3, cachedInput: 0.3, cacheWrite: 3.75, cacheWrite1h: 6, output: 15 },
  'claude-sonnet-4-5': { input: 3, cachedInput: 0.3, cacheWrite: 3.75, cacheWrite1h: 6, output: 15 },
  'claude-sonnet-4': { input: 3, cachedInput: 0.3, cacheWrite: 3.75, cacheWrite1h: 6, output: 15 },
  'claude-sonnet-4-0': { input: 3, cachedInput: 0.3, cacheWrite: 3.75, cacheWrite1h: 6, output: 15 },
  'claude-3-7-sonnet': { input: 3, cachedInput: 0.3, cacheWrite: 3.75, cacheWrite1h: 6, output: 15 },
  'claude-3-5-sonnet': { input: 3, cachedInput: 0.3, cacheWrite: 3.75, cacheWrite1h: 6, output: 15 },
  'claude-haiku-4-5': { input: 1, cachedInput: 0.1, cacheWrite: 1.25, cacheWrite1h: 2, output: 5 },
  'claude-3-5-haiku': { input: 0.8, cachedInput: 0.08, cacheWrite: 1, cacheWrite1h: 1.6, output: 4 },
  'claude-3-haiku': { input: 0.25, cachedInput: 0.03, cacheWrite: 0.3, cacheWrite1h: 0.5, output: 1.25 },
  'claude-3-opus': { input: 15, cachedInput: 1.5, cacheWrite: 18.75, cacheWrite1h: 30, output: 75 },
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
