import type { ChatMessage } from '../types.js';
import { makeCanaryToken, plantCanary } from '../graders/canary.js';

interface CanaryContext {
  suites: Map<string, { suite: { name: string; options: Record<string, unknown> } }>;
  canaries: Map<string, string | null>;
}

/**
 * The canary token of a suite with `canary: true`. It is derived from the suite's name rather
 * than drawn at random, so the planted system prompt (and with it the cache key) is the same on
 * every run: replayed CI runs still hit the cache.
 */
export function canaryFor(suite: string, ctx: CanaryContext): { token: string; plant(messages: ChatMessage[]): ChatMessage[] } | null {
  let token = ctx.canaries.get(suite);
  if (token === undefined) {
    token = ctx.suites.get(suite)?.suite.options['canary'] === true ? makeCanaryToken(suite) : null;
    ctx.canaries.set(suite, token);
  }
  if (!token) return null;
  const t = token;
  return { token: t, plant: (messages) => plantCanary(messages, t) };
}
