/**
 * Public types of the fake LLM server: what a test records and what it can make the server do.
 */

export type FakeApi = 'openai' | 'anthropic';

/** One request as the server received it. */
export interface RecordedRequest {
  /** 0-based arrival order across both APIs. */
  index: number;
  api: FakeApi;
  /** `POST …/embeddings` (api 'openai'): answered with embeddings, failed like any request. */
  embeddings: boolean;
  method: string;
  path: string;
  /** Lower-cased header names, as node:http gives them. */
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body (null when the body was not JSON). */
  body: Record<string, unknown> | null;
  /** The raw body text, for scanning (e.g. that no secret was sent where it should not be). */
  rawBody: string;
  stream: boolean;
  /** Requests in flight when this one arrived, itself included. */
  inFlightAtArrival: number;
  /** ms since the server started. */
  receivedAtMs: number;
}

export interface FakeUsage {
  input: number;
  output: number;
  /** OpenAI `prompt_tokens_details.cached_tokens` / Anthropic `cache_read_input_tokens`. */
  cachedInput: number;
  /** Anthropic `cache_creation_input_tokens` (part of `input`; sent with the `cache_creation` 5m/1h split). */
  cacheWrite?: number;
  /** Of `cacheWrite`, `cache_creation.ephemeral_1h_input_tokens`. */
  cacheWrite1h?: number;
  /** Part of `output`: OpenAI `completion_tokens_details.reasoning_tokens` / Anthropic `output_tokens_details.thinking_tokens`. */
  reasoning?: number;
}

/** A tool call the server answers with. `arguments` as a string is sent verbatim (may be invalid JSON). */
export interface FakeToolCall {
  name: string;
  arguments?: unknown;
  /** Default: `call_<request index>_<i>` (OpenAI) / `toolu_<request index>_<i>` (Anthropic). */
  id?: string;
}

/** What the server does with one request. */
export type FakeReply =
  /** A normal answer. `json` is sent as the forced tool's input (Anthropic) or as the text (OpenAI). */
  | {
      type: 'answer';
      text?: string;
      json?: unknown;
      /** Exact usage to report; by default derived from the request and answer lengths. */
      usage?: Partial<FakeUsage>;
      /** Anthropic: a thinking block with this text before the answer (extended thinking). */
      thinking?: string;
      /** Delay before the first byte, on top of the server's `latencyMs`. */
      firstByteDelayMs?: number;
      /** Streams only: delay between SSE events (default 0: the whole stream in one write). */
      interChunkDelayMs?: number;
      finishReason?: string;
      /** Tool calls to answer with (after `text`, if any); overrides `[[tool:…]]` directives. */
      toolCalls?: FakeToolCall[];
    }
  /** 429 with `retry-after` (seconds) and/or `retry-after-ms`. */
  | ({ type: 'rate-limit'; retryAfterSeconds?: number; retryAfterMs?: number } & FakeErrorHeaders)
  /** Any HTTP error status in the API's error body shape (500, 401, 403, 400...). */
  | ({ type: 'error'; status: number; message?: string } & FakeErrorHeaders)
  /** 404 naming the requested model, as the real APIs answer an unknown model. */
  | { type: 'model-not-found' }
  /** Streams: sends `afterChunks` events then destroys the socket. Non-stream: destroys it before a body. */
  | { type: 'cut-stream'; afterChunks?: number }
  /** 200 with a body that is not JSON (or, streamed, an SSE event whose data is not JSON). */
  | { type: 'invalid-json' }
  /** Never answers (until the client gives up or the server closes): for timeouts. */
  | { type: 'hang' }
  /** A 200 reply broken in one way (see MalformedKind), streamed or not as the request asked. */
  | { type: 'malformed'; kind: MalformedKind }
  /** Exactly this status, content type and body (default 200): for fuzzing the reply parsers. */
  | { type: 'raw'; status?: number; contentType: string; body: string };

/** Headers of a `rate-limit` or `error` reply beyond its status. */
export interface FakeErrorHeaders {
  /** Sent as `x-request-id` (OpenAI) or `request-id` (Anthropic); default `req_<index>`. */
  requestId?: string;
  /** Sent as `x-should-retry: true|false` (the server's word on retrying, as OpenAI sends it). */
  shouldRetry?: boolean;
}

/**
 * How a `malformed` reply is broken:
 * - `no-choices`: OpenAI `choices: []` (every stream chunk too); Anthropic `content: []` (a stream without content blocks);
 * - `null-content`: OpenAI `message.content: null` (stream deltas `content: null`); Anthropic `content: null` (no blocks);
 * - `empty-content`: as `null-content` for OpenAI; Anthropic `content: []`;
 * - `html`: a 200 `text/html` error page, as a proxy sends;
 * - `negative-usage` / `text-usage`: a token count of -5 / `"many"` (OpenAI prompt_tokens, Anthropic output_tokens).
 */
export type MalformedKind = 'no-choices' | 'null-content' | 'empty-content' | 'html' | 'negative-usage' | 'text-usage';

/** Decides the reply to a request; may be async (e.g. to wait on a test's signal). */
export type FakeHandler = (req: RecordedRequest) => FakeReply | Promise<FakeReply>;

export interface FakeLlmOptions {
  /** Delay before every response's first byte (benchmark target: e.g. 50). Default 0. */
  latencyMs?: number;
  /** Default reply for requests with nothing queued. Default: an answer echoing the last user message. */
  handler?: FakeHandler | FakeReply;
  /** Keep every request in `requests` (default true; a benchmark turns it off to save memory). */
  record?: boolean;
  /** Port on 127.0.0.1 (default 0: a free one). */
  port?: number;
  /** Split streamed text into at most this many deltas (default 4). */
  streamChunks?: number;
}

export interface FakeLlmStats {
  /** Requests received so far. */
  total: number;
  inFlight: number;
  /** Highest number of requests in flight at once since start or `resetStats()`. */
  maxInFlight: number;
}

export interface FakeLlm {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** Base URL for the `openai` SDK (`…/v1`). */
  openaiBaseURL: string;
  /** Base URL for `@anthropic-ai/sdk` (the SDK appends `/v1/messages`). */
  anthropicBaseURL: string;
  /** Every request received, in arrival order (empty when `record: false`). */
  readonly requests: RecordedRequest[];
  readonly stats: FakeLlmStats;
  /** Replace the default reply (a fixed reply or a handler). */
  setBehaviour(handler: FakeHandler | FakeReply): void;
  /** Replies used once each, in order, before falling back to the default. */
  enqueue(...replies: FakeReply[]): void;
  /** Set the latency applied before every response. */
  setLatency(ms: number): void;
  /** Forget recorded requests, queued replies and stats; restore the default echo behaviour. */
  reset(): void;
  resetStats(): void;
  /** Provider batch endpoints (batches.ts): what they were sent, and how batches behave. */
  readonly batches: FakeBatchStats;
  setBatchBehaviour(b: FakeBatchBehaviour): void;
  close(): Promise<void>;
}

/** How batches behave: status reads before a batch ends (default 1), each request's fate (default ok). */
export interface FakeBatchBehaviour {
  pollsUntilDone?: number;
  outcome?(customId: string, body: Record<string, unknown>): 'ok' | 'error' | 'expired';
}

export interface FakeBatchStats {
  /** Batches created. */
  submissions: number;
  /** Requests over all created batches. */
  submittedRequests: number;
  /** Times each custom_id was submitted (a resume must never submit one twice). */
  customIds: Map<string, number>;
  statusReads: number;
  /** Output, error or results files downloaded. */
  downloads: number;
}
