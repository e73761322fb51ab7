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

/** A nested object's field (`prompt_tokens_details.cached_tokens`), or undefined when either is absent. */
function nested(r: Record<string, unknown>, object: string, field: string): unknown {
  const o = r[object];
  return o && typeof o === 'object' ? (o as Record<string, unknown>)[field] : undefined;
}

/**
 * OpenAI `usage` (prompt_tokens, completion_tokens, prompt_tokens_details.cached_tokens,
 * completion_tokens_details.reasoning_tokens), checked. Reasoning tokens are part of
 * completion_tokens: `reasoning` reports them, it adds nothing.
 */
export function openaiUsage(u: unknown, src: ReplySource): TokenUsage | undefined {
  if (u === undefined || u === null) return undefined;
  if (typeof u !== 'object' || Array.isArray(u)) throw malformedReply(src, 'usage is not an object');
  const r = u as Record<string, unknown>;
  const usage: TokenUsage = {
    input: tokenCount(r['prompt_tokens'], 'prompt_tokens', src),
    output: tokenCount(r['completion_tokens'], 'completion_tokens', src),
    cachedInput: tokenCount(nested(r, 'prompt_tokens_details', 'cached_tokens'), 'prompt_tokens_details.cached_tokens', src),
  };
  const reasoning = nested(r, 'completion_tokens_details', 'reasoning_tokens');
  if (reasoning !== undefined && reasoning !== null) usage.reasoning = tokenCount(reasoning, 'completion_tokens_details.reasoning_tokens', src);
  return usage;
}

/** Anthropic usage counts, checked; the caller decides how they add up. */
export interface AnthropicCounts {
  input?: number;
  output?: number;
  cacheRead: number;
  /** cache_creation_input_tokens (all TTLs). */
  cacheCreation: number;
  /** cache_creation.ephemeral_1h_input_tokens, when the split is sent. */
  cacheCreation1h: number;
  /** output_tokens_details.thinking_tokens (part of output_tokens), when sent. */
  thinking?: number;
}

export function anthropicCounts(u: unknown, src: ReplySource): AnthropicCounts {
  if (u === undefined || u === null) return { cacheRead: 0, cacheCreation: 0, cacheCreation1h: 0 };
  if (typeof u !== 'object' || Array.isArray(u)) throw malformedReply(src, 'usage is not an object');
  const r = u as Record<string, unknown>;
  const optional = (value: unknown, field: string): number | undefined => (value === undefined || value === null ? undefined : tokenCount(value, field, src));
  const split5m = tokenCount(nested(r, 'cache_creation', 'ephemeral_5m_input_tokens'), 'cache_creation.ephemeral_5m_input_tokens', src);
  const split1h = tokenCount(nested(r, 'cache_creation', 'ephemeral_1h_input_tokens'), 'cache_creation.ephemeral_1h_input_tokens', src);
  const counts: AnthropicCounts = {
    input: optional(r['input_tokens'], 'input_tokens'),
    output: optional(r['output_tokens'], 'output_tokens'),
    cacheRead: tokenCount(r['cache_read_input_tokens'], 'cache_read_input_tokens', src),
    // The total and its split should agree; if a server sends only the split, the split is the total.
    cacheCreation: Math.max(tokenCount(r['cache_creation_input_tokens'], 'cache_creation_input_tokens', src), split5m + split1h),
    cacheCreation1h: split1h,
  };
  const thinking = optional(nested(r, 'output_tokens_details', 'thinking_tokens'), 'output_tokens_details.thinking_tokens');
  if (thinking !== undefined) counts.thinking = thinking;
  return counts;
}
