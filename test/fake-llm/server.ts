/**
 * A fake LLM server on 127.0.0.1 that speaks the OpenAI Chat Completions and Anthropic
 * Messages wire formats (JSON and SSE, with usage) and OpenAI embeddings (`POST /v1/embeddings`:
 * hashed bag-of-words vectors, see embeddingsWire.ts), records every request, and can be told
 * to misbehave per request: 429 with Retry-After, 5xx, 401, unknown model, slow first byte,
 * a stream cut mid-way, invalid JSON, malformed 200 replies (no choice, null content, HTML,
 * bad usage), any raw body, a request that never answers. It answers with tool calls (reply
 * `toolCalls`, or `[[tool:NAME ARGS]]` in the last user message; see toolWire.ts) and checks
 * the tool turns of a request as the real APIs do (400 when a result answers no call).
 *
 * Tests drive the real `openai` and `@anthropic-ai/sdk` clients against it; the benchmark uses
 * it as a cheap target with a fixed latency (`record: false`).
 *
 *   const llm = await startFakeLlm();
 *   llm.enqueue({ type: 'rate-limit', retryAfterMs: 200 });   // next request only
 *   llm.setBehaviour((req) => (req.index % 5 === 0 ? { type: 'error', status: 500 } : { type: 'answer' }));
 *   ... new OpenAI({ baseURL: llm.openaiBaseURL, apiKey: 'sk-test' }) ...
 *   await llm.close();
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropicErrorBody, anthropicMessage, anthropicStreamEvents, type AnthropicContent } from './anthropicWire.js';
import { embeddingInputs, openaiEmbeddings } from './embeddingsWire.js';
import { malformedReply } from './malformed.js';
import { openaiCompletion, openaiErrorBody, openaiStreamEvents } from './openaiWire.js';
import { lastToolResults, toolDirectives, toolTurnProblem, wireCalls } from './toolWire.js';
import { FakeBatches } from './batches.js';
import type { FakeApi, FakeHandler, FakeLlm, FakeLlmOptions, FakeReply, FakeUsage, RecordedRequest } from './types.js';

export type * from './types.js';

const ECHO: FakeReply = { type: 'answer' };

export async function startFakeLlm(options: FakeLlmOptions = {}): Promise<FakeLlm> {
  const record = options.record ?? true;
  const maxPieces = Math.max(1, options.streamChunks ?? 4);
  let latencyMs = options.latencyMs ?? 0;
  let handler: FakeHandler | FakeReply = options.handler ?? ECHO;
  let queue: FakeReply[] = [];
  const requests: RecordedRequest[] = [];
  const stats = { total: 0, inFlight: 0, maxInFlight: 0 };
  const timers = new Set<NodeJS.Timeout>();
  const started = performance.now();

  const later = (ms: number, fn: () => void): void => {
    if (ms <= 0) return fn();
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const batches = new FakeBatches((api, body) => {
    const r: RecordedRequest = { index: stats.total, api, embeddings: false, method: 'POST', path: '(batch)', headers: {}, body, rawBody: '', stream: false, inFlightAtArrival: 0, receivedAtMs: 0 };
    const problem = toolTurnProblem(r);
    if (problem !== undefined) return { status: 400, body: JSON.parse((api === 'openai' ? openaiErrorBody : anthropicErrorBody)(400, problem)) as unknown };
    const model = typeof body['model'] === 'string' ? body['model'] : 'unknown';
    // The behaviour decides each inner request too, when it answers at once (a sync handler or a fixed reply).
    r.rawBody = JSON.stringify(body);
    const decided = typeof handler === 'function' ? handler(r) : handler;
    const reply = decided instanceof Promise ? ECHO : decided;
    if (reply.type === 'error') return { status: reply.status, body: JSON.parse((api === 'openai' ? openaiErrorBody : anthropicErrorBody)(reply.status, reply.message ?? `fake error ${reply.status}`)) as unknown };
    const spec = reply.type === 'answer' ? reply : { type: 'answer' as const };
    const content = answerContent(r, spec);
    const text = content.kind === 'tool' ? JSON.stringify(content.input) : content.text;
    const calls = content.kind === 'calls' ? content.calls : [];
    const usage = usageFor(r, text + calls.map((c) => c.name + c.rawArguments).join(''), spec.usage);
    const finish = spec.finishReason ?? (calls.length > 0 ? (api === 'openai' ? 'tool_calls' : 'tool_use') : api === 'openai' ? 'stop' : 'end_turn');
    const json = api === 'openai' ? openaiCompletion(model, text, usage, finish, calls) : anthropicMessage(model, content, usage, finish, spec.thinking);
    return { status: 200, body: JSON.parse(json) as unknown };
  });

  const server = http.createServer((req, res) => {
    if (batches.handle(req, res, url)) return;
    const route = routeOf(req.method, req.url);
    if (!route) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
      return;
    }
    stats.total++;
    stats.inFlight++;
    if (stats.inFlight > stats.maxInFlight) stats.maxInFlight = stats.inFlight;
    res.on('close', () => stats.inFlight--);
    const inFlightAtArrival = stats.inFlight;
    const index = stats.total - 1;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown> | null;
      try {
        body = JSON.parse(rawBody) as Record<string, unknown>;
      } catch {
        body = null;
      }
      const recorded: RecordedRequest = {
        index,
        api: route.api,
        embeddings: route.embeddings,
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body,
        rawBody,
        stream: body?.['stream'] === true,
        inFlightAtArrival,
        receivedAtMs: performance.now() - started,
      };
      if (record) requests.push(recorded);
      const queued = queue.shift();
      const decided = queued ?? (typeof handler === 'function' ? handler(recorded) : handler);
      void Promise.resolve(decided).then(
        (reply) => later(latencyMs + (reply.type === 'answer' ? (reply.firstByteDelayMs ?? 0) : 0), () => respond(recorded, reply, res)),
        (err: unknown) => res.writeHead(500).end(String(err)),
      );
    });
  });

  function respond(r: RecordedRequest, reply: FakeReply, res: http.ServerResponse): void {
    if (res.destroyed) return;
    const errorBody = r.api === 'openai' ? openaiErrorBody : anthropicErrorBody;
    const model = typeof r.body?.['model'] === 'string' ? (r.body['model'] as string) : 'unknown';
    switch (reply.type) {
      case 'hang':
        return;
      case 'rate-limit': {
        const headers = errorHeaders(r, reply);
        if (reply.retryAfterSeconds !== undefined) headers['retry-after'] = String(reply.retryAfterSeconds);
        if (reply.retryAfterMs !== undefined) headers['retry-after-ms'] = String(reply.retryAfterMs);
        res.writeHead(429, headers).end(errorBody(429, 'Rate limit reached for requests'));
        return;
      }
      case 'error': {
        const message = reply.message ?? (reply.status === 401 ? `Incorrect API key provided: ${presentedKey(r)}` : `fake error ${reply.status}`);
        res.writeHead(reply.status, errorHeaders(r, reply)).end(errorBody(reply.status, message));
        return;
      }
      case 'model-not-found': {
        const message = r.api === 'openai' ? `The model \`${model}\` does not exist or you do not have access to it.` : `model: ${model}`;
        res.writeHead(404, { 'content-type': 'application/json' }).end(errorBody(404, message));
        return;
      }
      case 'invalid-json':
        if (r.stream) {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.end(r.api === 'openai' ? 'data: {"id": "broken", "choices": [\n\n' : 'event: message_start\ndata: {"type": "message_start", "message": {\n\n');
        } else {
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"id": "broken", "choices": [');
        }
        return;
      case 'malformed': {
        const raw = malformedReply(r.api, r.stream, reply.kind, model);
        res.writeHead(200, { 'content-type': raw.contentType }).end(raw.body);
        return;
      }
      case 'raw':
        res.writeHead(reply.status ?? 200, { 'content-type': reply.contentType }).end(reply.body);
        return;
      case 'cut-stream':
      case 'answer':
        if (r.embeddings) return embeddingsAnswer(r, reply, model, res);
        return answer(r, reply, model, res);
    }
  }

  /**
   * An error reply's headers: the request id as each API names it (OpenAI `x-request-id`,
   * Anthropic `request-id`; `req_<index>` unless the reply names one) and `x-should-retry` when asked.
   */
  function errorHeaders(r: RecordedRequest, reply: { requestId?: string; shouldRetry?: boolean }): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    headers[r.api === 'openai' ? 'x-request-id' : 'request-id'] = reply.requestId ?? `req_${r.index}`;
    if (reply.shouldRetry !== undefined) headers['x-should-retry'] = String(reply.shouldRetry);
    return headers;
  }

  function answer(r: RecordedRequest, reply: Extract<FakeReply, { type: 'answer' | 'cut-stream' }>, model: string, res: http.ServerResponse): void {
    const problem = toolTurnProblem(r);
    if (problem !== undefined) {
      const errorBody = r.api === 'openai' ? openaiErrorBody : anthropicErrorBody;
      res.writeHead(400, { 'content-type': 'application/json' }).end(errorBody(400, problem));
      return;
    }
    const spec = reply.type === 'answer' ? reply : { type: 'answer' as const };
    const content = answerContent(r, spec);
    const text = content.kind === 'tool' ? JSON.stringify(content.input) : content.text;
    const calls = content.kind === 'calls' ? content.calls : [];
    const usage = usageFor(r, text + calls.map((c) => c.name + c.rawArguments).join(''), spec.usage);
    const finish = spec.finishReason ?? (calls.length > 0 ? (r.api === 'openai' ? 'tool_calls' : 'tool_use') : r.api === 'openai' ? 'stop' : 'end_turn');
    if (!r.stream) {
      const body = r.api === 'openai' ? openaiCompletion(model, text, usage, finish, calls) : anthropicMessage(model, content, usage, finish, spec.thinking);
      return sendJson(r, reply, body, res);
    }
    const pieces = splitText(text, maxPieces);
    const split = (t: string): string[] => splitText(t, maxPieces);
    const events =
      r.api === 'openai'
        ? openaiStreamEvents(model, pieces, usage, finish, streamOptionsIncludeUsage(r.body), calls, split)
        : anthropicStreamEvents(model, content, pieces, usage, finish, split, spec.thinking);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-request-id': `req_${r.index}` });
    if (reply.type === 'cut-stream') {
      res.write(events.slice(0, reply.afterChunks ?? 2).join(''));
      // Let the written events reach the client before the connection drops.
      later(5, () => res.destroy());
      return;
    }
    const gap = spec.interChunkDelayMs ?? 0;
    if (gap <= 0) {
      res.end(events.join(''));
      return;
    }
    const writeFrom = (i: number): void => {
      if (res.destroyed) return;
      if (i >= events.length) return void res.end();
      res.write(events[i]!);
      later(gap, () => writeFrom(i + 1));
    };
    writeFrom(0);
  }

  function embeddingsAnswer(r: RecordedRequest, reply: Extract<FakeReply, { type: 'answer' | 'cut-stream' }>, model: string, res: http.ServerResponse): void {
    sendJson(r, reply, openaiEmbeddings(model, embeddingInputs(r.body), reply.type === 'answer' ? reply.usage : undefined), res);
  }

  /** A non-streamed JSON answer; `cut-stream` sends half of it and drops the connection. */
  function sendJson(r: RecordedRequest, reply: FakeReply, body: string, res: http.ServerResponse): void {
    if (reply.type === 'cut-stream') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.write(body.slice(0, Math.floor(body.length / 2)));
      res.destroy();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': `req_${r.index}` }).end(body);
  }

  function answerContent(r: RecordedRequest, spec: Extract<FakeReply, { type: 'answer' }>): AnthropicContent {
    const forcedTool = r.api === 'anthropic' ? forcedToolName(r.body) : undefined;
    const wantsJson = forcedTool !== undefined || (r.api === 'openai' && jsonSchemaRequested(r.body));
    if (wantsJson || spec.json !== undefined) {
      const json = spec.json !== undefined ? spec.json : defaultJson(lastUserText(r));
      if (forcedTool !== undefined) return { kind: 'tool', name: forcedTool, input: json };
      return { kind: 'text', text: spec.text ?? JSON.stringify(json) };
    }
    // After tool results the default answer is their content; directives are read from a user's own turn only.
    const results = lastToolResults(r);
    const asked = results === undefined ? toolDirectives(lastUserText(r)) : { calls: [], rest: results.join('\n') };
    const calls = spec.toolCalls ?? asked.calls;
    const text = spec.text ?? asked.rest;
    if (calls.length > 0) return { kind: 'calls', text, calls: wireCalls(r.api, r.index, calls) };
    return { kind: 'text', text };
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  server.keepAliveTimeout = 30_000;
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    openaiBaseURL: `${url}/v1`,
    anthropicBaseURL: url,
    requests,
    stats,
    setBehaviour(h) {
      handler = h;
    },
    enqueue(...replies) {
      queue.push(...replies);
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    reset() {
      requests.length = 0;
      queue = [];
      handler = options.handler ?? ECHO;
      batches.reset();
      stats.total = 0;
      stats.maxInFlight = stats.inFlight;
    },
    resetStats() {
      stats.maxInFlight = stats.inFlight;
    },
    batches: batches.stats,
    setBatchBehaviour(b) {
      batches.setBehaviour(b);
    },
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function routeOf(method: string | undefined, url: string | undefined): { api: FakeApi; embeddings: boolean } | undefined {
  if (method !== 'POST' || !url) return undefined;
  const p = url.split('?', 1)[0]!;
  if (p.endsWith('/chat/completions')) return { api: 'openai', embeddings: false };
  if (p.endsWith('/embeddings')) return { api: 'openai', embeddings: true };
  if (p.endsWith('/messages')) return { api: 'anthropic', embeddings: false };
  return undefined;
}

type WireMessage = { role?: unknown; content?: unknown };

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((p: unknown) => (p && typeof p === 'object' && typeof (p as { text?: unknown }).text === 'string' ? (p as { text: string }).text : '')).join('');
  }
  return '';
}

/** The text of the last user message: the default answer, so a test can predict it. */
export function lastUserText(r: RecordedRequest): string {
  const messages = (r.body?.['messages'] as WireMessage[] | undefined) ?? [];
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.role === 'user') return contentText(messages[i]!.content);
  return '';
}

function promptChars(r: RecordedRequest): number {
  let n = contentText(r.body?.['system']).length;
  for (const m of (r.body?.['messages'] as WireMessage[] | undefined) ?? []) n += contentText(m.content).length;
  return n;
}

function usageFor(r: RecordedRequest, text: string, given: Partial<FakeUsage> | undefined): FakeUsage {
  const usage: FakeUsage = {
    input: given?.input ?? Math.max(1, Math.ceil(promptChars(r) / 4)),
    output: given?.output ?? Math.max(1, Math.ceil(text.length / 4)),
    cachedInput: given?.cachedInput ?? 0,
  };
  if (given?.cacheWrite !== undefined) usage.cacheWrite = given.cacheWrite;
  if (given?.cacheWrite1h !== undefined) usage.cacheWrite1h = given.cacheWrite1h;
  if (given?.reasoning !== undefined) usage.reasoning = given.reasoning;
  return usage;
}

function splitText(text: string, maxPieces: number): string[] {
  if (text.length === 0) return [];
  const size = Math.ceil(text.length / maxPieces);
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function streamOptionsIncludeUsage(body: Record<string, unknown> | null): boolean {
  const so = body?.['stream_options'] as { include_usage?: unknown } | undefined;
  return so?.include_usage === true;
}

function forcedToolName(body: Record<string, unknown> | null): string | undefined {
  const choice = body?.['tool_choice'] as { type?: unknown; name?: unknown } | undefined;
  return choice?.type === 'tool' && typeof choice.name === 'string' ? choice.name : undefined;
}

function jsonSchemaRequested(body: Record<string, unknown> | null): boolean {
  const rf = body?.['response_format'] as { type?: unknown } | undefined;
  return rf?.type === 'json_schema' || rf?.type === 'json_object';
}

function defaultJson(userText: string): unknown {
  try {
    return JSON.parse(userText) as unknown;
  } catch {
    return { text: userText };
  }
}

function presentedKey(r: RecordedRequest): string {
  const auth = r.headers['authorization'];
  if (typeof auth === 'string') return auth.replace(/^Bearer /, '');
  const key = r.headers['x-api-key'];
  return typeof key === 'string' ? key : '(none)';
}
