import type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParamsNonStreaming, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { EmbeddingResponse, GenerateOptions, ModelProvider, ModelRequest, ModelResponse, ResolvedModel, TokenUsage } from '../types.js';
import { ProviderError } from '../errors.js';
import { toProviderError, type ErrorContext } from './httpErrors.js';
import { openaiResponseFormat } from './structuredOutput.js';
import { OpenAIStreamCalls, openaiMessages, openaiReplyCalls, openaiTools } from './openaiTools.js';
import { redactUrl } from '../util/redactUrl.js';
import { openaiBatchApi } from './batch/openaiBatch.js';
import { fetchForSdk } from './nodeFetch.js';
import { batchVendorOf } from './batch/vendor.js';
import { malformedReply, openaiUsage, isEventStream, nonEventStream, requireJsonObject, type ReplySource } from './replyShape.js';

/**
 * Chat Completions through the official `openai` SDK, for `openai` and `openai-compatible`.
 * The SDK is imported when the first such model is created, never at start-up. It does not
 * retry (`maxRetries: 0`): execute/ owns retries, and two retry loops would multiply attempts.
 */

export interface OpenAIChatSetup {
  vendor: 'openai' | 'openai-compatible';
  model: ResolvedModel;
  apiKey: string;
  /** The env var the key came from (undefined: a keyless local server). */
  keyVar?: string;
  /** As configured (credentials and all): for the SDK only, written anywhere only through redactUrl. */
  baseURL: string;
  endpoint: string;
  identity: Record<string, unknown>;
  /** The environment: decides the SDK's transport (nodeFetch.ts). */
  env: NodeJS.ProcessEnv;
}

/** The request body: the user's params passed through, then the fields llm-eval owns. */
export function openaiChatBody(req: ModelRequest, stream: boolean): Record<string, unknown> {
  // Assigned rather than `{ ...params, model, ... }`, which V8 runs on a slow path (once per call).
  const body: Record<string, unknown> = Object.assign({}, req.params);
  body['model'] = req.model;
  body['messages'] = openaiMessages(req.messages);
  // `cache` marks Anthropic cache breakpoints; OpenAI caches prefixes by itself and rejects unknown message fields.
  if (req.messages.some((m) => m.cache !== undefined)) body['messages'] = (body['messages'] as object[]).map(withoutCacheMark);
  body['stream'] = stream;
  if (req.responseFormat) body['response_format'] = openaiResponseFormat(req.responseFormat);
  if (req.tools || req.toolChoice !== undefined) Object.assign(body, openaiTools(req));
  if (stream) body['stream_options'] = { include_usage: true };
  return body;
}

function withoutCacheMark(message: object): object {
  if (!('cache' in message)) return message;
  const copy: Record<string, unknown> = { ...message };
  delete copy['cache'];
  return copy;
}

/**
 * A non-streamed completion's answer: the first choice's text, or its refusal. No choice, or a
 * choice with neither text, refusal nor tool calls, is no answer: an error, never output "".
 */
function fromCompletion(data: unknown, headers: Headers, started: number, src: ReplySource): ModelResponse {
  const c = requireJsonObject(data, headers, src) as unknown as ChatCompletion;
  if (!Array.isArray(c.choices)) throw malformedReply(src, 'no `choices` array');
  const choice = c.choices[0];
  if (!choice || typeof choice !== 'object' || !choice.message || typeof choice.message !== 'object') throw malformedReply(src, '`choices` is empty: no answer');
  const { content, refusal, tool_calls: toolCalls } = choice.message;
  let text: string;
  if (typeof content === 'string') text = content;
  else if (typeof refusal === 'string' && refusal !== '') text = refusal;
  else if (Array.isArray(toolCalls) && toolCalls.length > 0) text = '';
  else throw malformedReply(src, `message.content is ${JSON.stringify(content) ?? 'missing'}: no answer`);
  const meta: Record<string, unknown> = { id: c.id, finishReason: choice.finish_reason ?? null };
  if (refusal) meta['refusal'] = refusal;
  const out: ModelResponse = { text, usage: openaiUsage(c.usage, src), latencyMs: performance.now() - started, cached: false, meta };
  const calls = openaiReplyCalls(toolCalls);
  if (calls) out.toolCalls = calls;
  return out;
}

/** An embeddings reply: one float vector per input, in input order (by `index`). */
function fromEmbeddings(data: unknown, headers: Headers, count: number, started: number, src: ReplySource): EmbeddingResponse {
  const body = requireJsonObject(data, headers, src);
  const items = body['data'];
  if (!Array.isArray(items)) throw malformedReply(src, 'no `data` array in the embeddings reply');
  const vectors: number[][] = [];
  for (const [i, item] of items.entries()) {
    const it = item as { index?: unknown; embedding?: unknown } | null;
    const at = typeof it?.index === 'number' ? it.index : i;
    const v = it?.embedding;
    if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) throw malformedReply(src, `data[${i}].embedding is not a list of numbers`);
    vectors[at] = v as number[];
  }
  if (vectors.length !== count || vectors.some((v) => v === undefined)) throw malformedReply(src, `${items.length} embeddings for ${count} texts`);
  return { vectors, usage: openaiUsage(body['usage'], src), latencyMs: performance.now() - started };
}

async function readStream(stream: AsyncIterable<ChatCompletionChunk>, started: number, signal: AbortSignal | undefined, src: ReplySource): Promise<ModelResponse> {
  const { who } = src;
  let text = '';
  let ttftMs: number | undefined;
  let finishReason: string | null = null;
  let usage: TokenUsage | undefined;
  let id: string | undefined;
  let refusal = '';
  const calls = new OpenAIStreamCalls();
  // Whether any delta carried content (even ""), a refusal or tool calls: a stream of `content: null` is no answer.
  let answered = false;
  for await (const chunk of stream) {
    // The SDK parses each event's JSON but checks nothing else: a stray `null` or string event is malformed.
    if (!chunk || typeof chunk !== 'object') throw malformedReply(src, `a stream event is ${JSON.stringify(chunk)}, not a chunk`);
    id ??= chunk.id;
    const choice: unknown = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
    if (choice && typeof choice === 'object') {
      const { delta, finish_reason: finish } = choice as ChatCompletionChunk.Choice;
      const piece = delta?.content;
      if (typeof piece === 'string' || Array.isArray(delta?.tool_calls)) answered = true;
      if (delta?.tool_calls) {
        ttftMs ??= performance.now() - started;
        calls.add(delta.tool_calls);
      }
      if (typeof piece === 'string' && piece !== '') {
        ttftMs ??= performance.now() - started;
        text += piece;
      }
      if (typeof delta?.refusal === 'string') {
        refusal += delta.refusal;
        answered = true;
      }
      if (typeof finish === 'string' && (finish as string) !== '') finishReason = finish;
    }
    if (chunk.usage) usage = openaiUsage(chunk.usage, src);
  }
  // The SDK ends iteration quietly when its signal aborts mid-stream: a partial answer is no answer.
  if (signal?.aborted) throw new ProviderError('aborted', `call to ${who} was aborted`);
  if (finishReason === null) throw new ProviderError('transient', `stream from ${who} ended before the answer was complete`);
  if (!answered) throw malformedReply(src, 'no delta in the stream carried content: no answer');
  if (text === '' && refusal !== '') text = refusal;
  const meta: Record<string, unknown> = { id, finishReason };
  if (refusal) meta['refusal'] = refusal;
  const out: ModelResponse = { text, usage, latencyMs: performance.now() - started, ttftMs, cached: false, meta };
  const toolCalls = calls.calls();
  if (toolCalls) out.toolCalls = toolCalls;
  return out;
}

export async function createOpenAIChatProvider(setup: OpenAIChatSetup): Promise<ModelProvider> {
  const sdk = await import('openai');
  const client = new sdk.OpenAI({ apiKey: setup.apiKey, baseURL: setup.baseURL, maxRetries: 0, logLevel: 'off', fetch: fetchForSdk(setup.env) });
  const { model } = setup;
  const errors: ErrorContext = { vendor: setup.vendor, model, keyVar: setup.keyVar, baseURL: redactUrl(setup.baseURL) };
  const src: ReplySource = { who: `model "${model.name}"`, baseURL: errors.baseURL };

  // openai-compatible servers have a Batch API only when the model opts in (`batch: true`).
  const jsonHeaders = new Headers({ 'content-type': 'application/json' });
  const batch = batchVendorOf(model) ? openaiBatchApi(client, (body) => fromCompletion(body, jsonHeaders, performance.now(), src), (err) => toProviderError(err, sdk, errors)) : undefined;
  return {
    id: `${setup.vendor}:${model.model}`,
    identity: setup.identity,
    endpoint: setup.endpoint,
    cacheable: true,
    ...(batch ? { batch } : {}),
    async generate(req: ModelRequest, opts: GenerateOptions): Promise<ModelResponse> {
      const started = performance.now();
      // The SDK's own timeout is a backstop only: execute/ aborts the signal at timeoutMs.
      const requestOptions = { signal: opts.signal, timeout: opts.timeoutMs + 1000 };
      try {
        if (model.stream) {
          // Params are the user's pass-through for this API; the SDK's typings cannot know them.
          const body = openaiChatBody(req, true) as unknown as ChatCompletionCreateParamsStreaming;
          const { data: stream, response } = await client.chat.completions.create(body, requestOptions).withResponse();
          if (!isEventStream(response.headers)) {
            stream.controller.abort();
            throw nonEventStream(response.headers, src);
          }
          return await readStream(stream, started, opts.signal, src);
        }
        const body = openaiChatBody(req, false) as unknown as ChatCompletionCreateParamsNonStreaming;
        const { data, response } = await client.chat.completions.create(body, requestOptions).withResponse();
        return fromCompletion(data, response.headers, started, src);
      } catch (err) {
        throw toProviderError(err, sdk, errors);
      }
    },
    async embed(texts: string[], opts: GenerateOptions): Promise<EmbeddingResponse> {
      const started = performance.now();
      try {
        // Floats asked for explicitly: the SDK's default (base64) is decoded by it, but not every compatible server sends it.
        const { data, response } = await client.embeddings
          .create({ model: model.model ?? '', input: texts, encoding_format: 'float' }, { signal: opts.signal, timeout: opts.timeoutMs + 1000 })
          .withResponse();
        return fromEmbeddings(data, response.headers, texts.length, started, src);
      } catch (err) {
        throw toProviderError(err, sdk, errors);
      }
    },
  };
}
