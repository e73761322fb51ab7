import type { ModelPrice, TokenUsage } from '../types.js';

const PER_TOKEN = 1 / 1_000_000;

/**
 * USD for one call. `usage.input` counts every input token, cached ones included (the OpenAI
 * convention; providers normalise to it); the `cachedInput` part is priced at the cached rate,
 * or at the input rate when the price has no cached rate.
 */
export function costOf(usage: TokenUsage, price: ModelPrice): number {
  const cached = Math.min(usage.cachedInput, usage.input);
  const uncached = usage.input - cached;
  const cachedRate = price.cachedInput ?? price.input;
  return (uncached * price.input + cached * cachedRate + usage.output * price.output) * PER_TOKEN;
}

/** Adds usages field by field (for totals). */
export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return { input: a.input + b.input, output: a.output + b.output, cachedInput: a.cachedInput + b.cachedInput };
}
