import type { ChatMessage, JsonSchema, ResolvedModel } from '../types.js';
import { costOf } from './compute.js';
import { resolvePrice } from './prices.js';

/**
 * Token and cost estimates before any call (`--dry-run`, and the budget's first reservations).
 * Counting uses o200k_base (the tokenizer of current OpenAI models) through js-tiktoken,
 * loaded on first use. Claude's tokenizer is not public: Anthropic counts are o200k counts
 * × ANTHROPIC_FACTOR, an approximation that errs high rather than low.
 */

export type TokenizerFamily = 'openai' | 'anthropic';

export interface TokenEstimate {
  input: number;
  output: number;
}

/** Output tokens assumed per call when nothing better is known (lowered by a smaller max_tokens). */
export const DEFAULT_OUTPUT_TOKENS = 256;
const ANTHROPIC_FACTOR = 1.2;
/** Chat framing per message and for the reply's priming (OpenAI's published counting rule). */
const TOKENS_PER_MESSAGE = 3;
const REPLY_PRIMING = 3;

type Encode = (text: string) => number;
let encoderLoad: Promise<Encode> | undefined;

/** The o200k_base counter, imported once on first use (the ranks file is large). */
export function loadTokenCounter(): Promise<Encode> {
  encoderLoad ??= (async () => {
    const [{ Tiktoken }, ranks] = await Promise.all([import('js-tiktoken/lite'), import('js-tiktoken/ranks/o200k_base')]);
    const enc = new Tiktoken(ranks.default);
    // Special-token text in a prompt is counted as ordinary text, as the API treats user content.
    return (text: string) => enc.encode(text, [], []).length;
  })();
  return encoderLoad;
}

export function tokenizerFamily(model: Pick<ResolvedModel, 'provider'>): TokenizerFamily {
  return model.provider === 'anthropic' ? 'anthropic' : 'openai';
}

/** The model's output cap from its params, under any of the APIs' names. */
export function maxOutputTokens(params: Record<string, unknown>): number | undefined {
  for (const k of ['max_tokens', 'max_completion_tokens', 'max_output_tokens']) {
    const v = params[k];
    if (typeof v === 'number' && v > 0) return v;
  }
  return undefined;
}

export function expectedOutputTokens(params: Record<string, unknown>): number {
  return Math.min(maxOutputTokens(params) ?? DEFAULT_OUTPUT_TOKENS, DEFAULT_OUTPUT_TOKENS);
}

/** Input tokens of a request (messages, framing and a JSON Schema if any) and an output guess. */
export async function estimateRequestTokens(
  messages: ChatMessage[],
  expectedOutput = DEFAULT_OUTPUT_TOKENS,
  opts: { family?: TokenizerFamily; responseFormat?: JsonSchema } = {},
): Promise<TokenEstimate> {
  const count = await loadTokenCounter();
  let input = REPLY_PRIMING;
  for (const m of messages) input += TOKENS_PER_MESSAGE + count(m.content);
  if (opts.responseFormat) input += count(JSON.stringify(opts.responseFormat));
  if (opts.family === 'anthropic') input = Math.ceil(input * ANTHROPIC_FACTOR);
  return { input, output: expectedOutput };
}

export interface CallEstimate {
  tokens: TokenEstimate;
  /** null when the model has no known price. */
  costUsd: number | null;
}

/** Estimated tokens and cost of one call to a configured model (for `--dry-run`). */
export async function estimateCall(
  model: ResolvedModel,
  req: { messages: ChatMessage[]; params: Record<string, unknown>; responseFormat?: JsonSchema },
  expectedOutput = expectedOutputTokens(req.params),
): Promise<CallEstimate> {
  const tokens = await estimateRequestTokens(req.messages, expectedOutput, { family: tokenizerFamily(model), responseFormat: req.responseFormat });
  const price = resolvePrice(model);
  const costUsd = price.kind === 'unknown' ? null : costOf({ input: tokens.input, output: tokens.output, cachedInput: 0 }, price.price);
  return { tokens, costUsd };
}
