import type { ResolvedModel } from '../types.js';
import { ProviderError, type ProviderErrorDetails } from '../errors.js';
import { redactSecrets } from '../util/secrets.js';
import { redactUrlsIn } from '../util/redactUrl.js';

/**
 * One mapping from what the SDKs throw to ProviderError kinds, shared by the OpenAI and
 * Anthropic providers (both SDKs have the same error hierarchy, keyed on HTTP status). The
 * messages name the model and say what to fix; they never carry a key (redacted).
 */

/** The SDK's error classes, handed over by a provider after it loaded its SDK. */
export interface SdkErrorClasses {
  APIError: abstract new (...args: never[]) => Error;
  APIUserAbortError: abstract new (...args: never[]) => Error;
  APIConnectionError: abstract new (...args: never[]) => Error;
  APIConnectionTimeoutError: abstract new (...args: never[]) => Error;
}

export interface ErrorContext {
  /** `openai`, `anthropic`, `openai-compatible`. */
  vendor: string;
  model: ResolvedModel;
  /** The env var the key came from, for the 401 hint (undefined: no key needed). */
  keyVar?: string;
  /** Already redacted (redactUrl): it is quoted in messages. */
  baseURL: string;
}

interface HttpErrorShape {
  status?: number;
  headers?: Headers;
  error?: unknown;
  message: string;
  /** Both SDKs: the response's request id header. */
  requestID?: string | null;
}

const MAX_MESSAGE = 300;

/** `retry-after-ms` (ms, OpenAI) or `retry-after` (seconds or an HTTP date), in ms. */
export function retryAfterMsFrom(headers: Headers | undefined): number | undefined {
  if (!headers || typeof headers.get !== 'function') return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null) {
    const v = Number.parseFloat(ms);
    if (Number.isFinite(v) && v >= 0) return v;
  }
  const ra = headers.get('retry-after');
  if (ra !== null) {
    const seconds = Number(ra);
    if (ra.trim() !== '' && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(ra);
    if (Number.isFinite(date)) return Math.max(0, date - Date.now());
  }
  return undefined;
}

/**
 * The provider's id for the failed request, for its support: the SDK's `requestID` (OpenAI
 * `x-request-id`, Anthropic `request-id` header), else the header itself, else the error body's
 * `request_id`. Only a plain token is kept: it is quoted in records and messages.
 */
export function requestIdFrom(err: HttpErrorShape): string | undefined {
  const headers = err.headers && typeof err.headers.get === 'function' ? err.headers : undefined;
  const body = err.error as { request_id?: unknown } | undefined;
  const candidates = [err.requestID, headers?.get('x-request-id'), headers?.get('request-id'), body?.request_id];
  for (const c of candidates) if (typeof c === 'string' && /^[\w.:-]{1,200}$/.test(c)) return c;
  return undefined;
}

/** `x-should-retry: true|false` (openai-node semantics: it overrides the status), or undefined. */
export function shouldRetryFrom(headers: Headers | undefined): boolean | undefined {
  if (!headers || typeof headers.get !== 'function') return undefined;
  const v = headers.get('x-should-retry');
  return v === 'true' ? true : v === 'false' ? false : undefined;
}

/** The API's own explanation from the error body (OpenAI `{error:{message}}`, Anthropic `{type, error:{message}}`). */
function apiMessage(err: HttpErrorShape): string {
  const body = err.error as { message?: unknown; error?: { message?: unknown } } | undefined;
  const text =
    typeof body?.error?.message === 'string' ? body.error.message : typeof body?.message === 'string' ? body.message : err.message;
  const clean = redactUrlsIn(redactSecrets(text.replace(/\s+/g, ' ').trim()));
  return clean.length > MAX_MESSAGE ? clean.slice(0, MAX_MESSAGE) + '…' : clean;
}

function fromStatus(status: number, err: HttpErrorShape, ctx: ErrorContext): ProviderError {
  const detail = apiMessage(err);
  const who = `model "${ctx.model.name}"`;
  const retryAfterMs = retryAfterMsFrom(err.headers);
  const id: ProviderErrorDetails = { status };
  const requestId = requestIdFrom(err);
  if (requestId !== undefined) id.requestId = requestId;
  const shouldRetry = shouldRetryFrom(err.headers);
  if (shouldRetry !== undefined) id.shouldRetry = shouldRetry;
  if (status === 429) return new ProviderError('rate-limit', `${ctx.vendor} rate limit (429) for ${who}: ${detail}`, { ...id, retryAfterMs });
  if (status === 401 || status === 403) {
    const hint = ctx.keyVar ? `check ${ctx.keyVar}` : 'set apiKeyEnv if this endpoint needs a key';
    return new ProviderError('auth', `${ctx.vendor} refused the key (${status}) for ${who}: ${detail}; ${hint}`, id);
  }
  if (status === 404) {
    return new ProviderError(
      'not-found',
      `model ${ctx.model.model ?? '(none)'} not found: check \`model:\` for ${who} (or its base URL ${ctx.baseURL}); ${ctx.vendor} said: ${detail}`,
      id,
    );
  }
  if (status === 408 || status === 409 || status >= 500) {
    return new ProviderError('transient', `${ctx.vendor} error ${status} for ${who}: ${detail}`, { ...id, retryAfterMs });
  }
  return new ProviderError('bad-request', `${ctx.vendor} rejected the request (${status}) for ${who}: ${detail}`, id);
}

/** Socket-level failures that surface as plain errors while a body or stream is read. */
function isDroppedConnection(err: Error): boolean {
  if (err.message === 'terminated' || err.message === 'other side closed') return true;
  const code = (err as { code?: unknown; cause?: { code?: unknown } }).cause?.code ?? (err as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('UND_ERR_') || code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNREFUSED');
}

export function toProviderError(err: unknown, sdk: SdkErrorClasses, ctx: ErrorContext): ProviderError {
  if (err instanceof ProviderError) return err;
  const who = `model "${ctx.model.name}"`;
  if (err instanceof sdk.APIUserAbortError || (err instanceof Error && err.name === 'AbortError')) {
    return new ProviderError('aborted', `call to ${who} was aborted`);
  }
  if (err instanceof sdk.APIConnectionTimeoutError) return new ProviderError('timeout', `${ctx.vendor} did not answer in time for ${who}`);
  if (err instanceof sdk.APIConnectionError) {
    const cause = (err as { cause?: { message?: string; cause?: { message?: string } } }).cause;
    const why = redactUrlsIn(redactSecrets(cause?.cause?.message ?? cause?.message ?? err.message));
    return new ProviderError('transient', `cannot reach ${ctx.vendor} at ${ctx.baseURL} for ${who}: ${why}`);
  }
  if (err instanceof sdk.APIError) {
    const e = err as unknown as HttpErrorShape;
    if (typeof e.status === 'number') return fromStatus(e.status, e, ctx);
    // An error event inside a stream carries no status: the server failed mid-answer.
    const requestId = requestIdFrom(e);
    return new ProviderError('transient', `${ctx.vendor} failed mid-stream for ${who}: ${apiMessage(e)}`, requestId !== undefined ? { requestId } : {});
  }
  if (err instanceof SyntaxError) return new ProviderError('transient', `${ctx.vendor} sent invalid JSON for ${who}: ${redactUrlsIn(redactSecrets(err.message))}`);
  if (err instanceof Error && isDroppedConnection(err)) {
    return new ProviderError('transient', `connection to ${ctx.vendor} dropped mid-response for ${who}`);
  }
  // Anything else is a bug on our side: let it surface with its stack.
  throw err;
}
