import { ProviderError } from '../errors.js';
import type { TokenUsage } from '../types.js';

/**
 * Checks on what a 200 reply holds before it becomes a case's output: the SDKs type their
 * results but do not check them, so a proxy's HTML page, `choices: []`, `content: null` or a
 * negative token count would otherwise be read as an empty answer (which graders such as
 * `not-contains` pass) or stored as spend. Every failure is a retryable ProviderError: the
 * server misbehaved, and after the retries it is a case error, never a pass.
 */

/** Where a reply came from, for messages: `model "fast"` and its (redacted) base URL. */
export interface ReplySource {
  who: string;
  baseURL: string;
}

export function malformedReply(src: ReplySource, what: string): ProviderError {
  return new ProviderError('transient', `malformed reply from ${src.baseURL} for ${src.who}: ${what}`);
}

/** The media type of a response (`text/html`), or `(no content type)`. */
function mediaTypeOf(headers: Headers): string {
  return headers.get('content-type')?.split(';')[0]?.trim() || '(no content type)';
}

/**
 * A non-streamed body the SDK could not read as JSON comes back as a string (or nothing):
 * name the content type and the URL instead of failing later on a missing field.
 */
export function requireJsonObject(data: unknown, headers: Headers, src: ReplySource): Record<string, unknown> {
  if (typeof data === 'string' || data === undefined || data === null) {
    throw new ProviderError('transient', `non-JSON response (${mediaTypeOf(headers)}) from ${src.baseURL} for ${src.who}`);
  }
  if (typeof data !== 'object' || Array.isArray(data)) throw malformedReply(src, `the body is ${Array.isArray(data) ? 'an array' : typeof data}, not an object`);
  return data as Record<string, unknown>;
}

/**
 * Whether a streamed reply may be read as events: an HTML page (a proxy's error page, a login
 * wall) is not one. Other types pass, as some compatible servers label their streams loosely.
 */
export function isEventStream(headers: Headers): boolean {
  const type = mediaTypeOf(headers);
  return type !== 'text/html' && type !== 'application/xhtml+xml';
}

export function nonEventStream(headers: Headers, src: ReplySource): ProviderError {
  return new ProviderError('transient', `non-JSON response (${mediaTypeOf(headers)}) from ${src.baseURL} for ${src.who}`);
}

/** A token count: absent is 0, anything but a finite integer ≥ 0 is malformed. */
function tokenCount(value: unknown, field: string, src: ReplySource): number {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw malformedReply(src, `usage.${field} is ${JSON.stringify(value) ?? String(value)}, not a token count (an integer ≥ 0)`);
  }
  return value;
}

/** OpenAI `usage` (prompt_tokens, completion_tokens, prompt_tokens_details.cached_tokens), checked. */
export function openaiUsage(u: unknown, src: ReplySource): TokenUsage | undefined {
  if (u === undefined || u === null) return undefined;
  if (typeof u !== 'object' || Array.isArray(u)) throw malformedReply(src, 'usage is not an object');
  const r = u as Record<string, unknown>;
  const details = r['prompt_tokens_details'];
  const cached = details && typeof details === 'object' ? (details as Record<string, unknown>)['cached_tokens'] : undefined;
  return {
    input: tokenCount(r['prompt_tokens'], 'prompt_tokens', src),
    output: tokenCount(r['completion_tokens'], 'completion_tokens', src),
    cachedInput: tokenCount(cached, 'prompt_tokens_details.cached_tokens', src),
  };
}

/** Anthropic usage counts, checked; the caller decides how they add up. */
export function anthropicCounts(u: unknown, src: ReplySource): { input?: number; output?: number; cacheRead: number; cacheCreation: number } {
  if (u === undefined || u === null) return { cacheRead: 0, cacheCreation: 0 };
  if (typeof u !== 'object' || Array.isArray(u)) throw malformedReply(src, 'usage is not an object');
  const r = u as Record<string, unknown>;
  const optional = (field: string): number | undefined => (r[field] === undefined || r[field] === null ? undefined : tokenCount(r[field], field, src));
  return {
    input: optional('input_tokens'),
    output: optional('output_tokens'),
    cacheRead: tokenCount(r['cache_read_input_tokens'], 'cache_read_input_tokens', src),
    cacheCreation: tokenCount(r['cache_creation_input_tokens'], 'cache_creation_input_tokens', src),
  };
}
