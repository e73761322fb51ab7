import type { ModelPrice, TokenUsage } from '../types.js';

const PER_TOKEN = 1 / 1_000_000;

/**
 * USD for one call. `usage.input` counts every input token (the OpenAI convention; providers
 * normalise to it); of those, `cachedInput` is priced at the cache-read rate, `cacheWrite` at
 * the cache-write rate (its `cacheWrite1h` part at the 1-hour rate), the rest at the input rate.
 * A price without a cache rate bills those tokens as plain input (the vendor gives no discount
 * and charges no surcharge); a 1-hour write without a 1-hour rate bills at the 5-minute rate.
 * `reasoning` is part of `output` and is priced with it, never a second time.
 */
export function costOf(usage: TokenUsage, price: ModelPrice): number {
  const cached = Math.min(usage.cachedInput, usage.input);
  const written = Math.min(usage.cacheWrite ?? 0, usage.input - cached);
  const written1h = Math.min(usage.cacheWrite1h ?? 0, written);
  const uncached = usage.input - cached - written;
  const readRate = price.cachedInput ?? price.input;
  const writeRate = price.cacheWrite ?? price.input;
  const write1hRate = price.cacheWrite1h ?? writeRate;
  return (
    (uncached * price.input + cached * readRate + (written - written1h) * writeRate + written1h * write1hRate + usage.output * price.output) * PER_TOKEN
  );
}

/** Adds usages field by field (for totals); an optional count stays absent when neither side has it. */
export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  const sum: TokenUsage = { input: a.input + b.input, output: a.output + b.output, cachedInput: a.cachedInput + b.cachedInput };
  if (a.cacheWrite !== undefined || b.cacheWrite !== undefined) sum.cacheWrite = (a.cacheWrite ?? 0) + (b.cacheWrite ?? 0);
  if (a.cacheWrite1h !== undefined || b.cacheWrite1h !== undefined) sum.cacheWrite1h = (a.cacheWrite1h ?? 0) + (b.cacheWrite1h ?? 0);
  if (a.reasoning !== undefined || b.reasoning !== undefined) sum.reasoning = (a.reasoning ?? 0) + (b.reasoning ?? 0);
  return sum;
}
