import type { Message, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import type { ChatMessage, GenerateOptions, ModelProvider, ModelRequest, ModelResponse, ProviderContext, ProviderFactory, ResolvedModel, TokenUsage, ToolCall } from '../types.js';
import { ProviderError } from '../errors.js';
import { keyVarOf, requireApiKey, resolveBaseURL } from './env.js';
import { toProviderError, type ErrorContext } from './httpErrors.js';
import { anthropicStructuredTool, toolInputText } from './structuredOutput.js';
import { AnthropicStreamCalls, anthropicCall, anthropicToolChoice, anthropicToolDefs, anthropicTurns, textBlock } from './anthropicTools.js';
import { anthropicBatchApi } from './batch/anthropicBatch.js';
import { redactUrl } from '../util/redactUrl.js';
import { fetchForSdk } from './nodeFetch.js';
import { anthropicCounts, isEventStream, malformedReply, nonEventStream, requireJsonObject, type ReplySource } from './replyShape.js';

/** What the SDK returns for `stream: true`: events, and the controller that cancels the request. */
type EventStream = AsyncIterable<unknown> & { controller: AbortController };

/**
 * `provider: anthropic`: the Messages API through `@anthropic-ai/sdk`, imported when the first
 * Anthropic model is created. System messages become the top-level `system`; `max_tokens`
 * (required by the API) defaults to DEFAULT_MAX_TOKENS; a `responseFormat` becomes a forced
 * tool (see structuredOutput.ts). No SDK retries: execute/ owns them.
 *
 * Requests go through `client.post('/v1/messages')`, the SDK's public raw-request method,
 * rather than `messages.create`: the latter prints a deprecation notice to the console on
 * every call for some models, which would flood a 10,000-call run and its progress bar.
 */

const KEY_VAR = 'ANTHROPIC_API_KEY';
const BASE_URL_VAR = 'ANTHROPIC_BASE_URL';
const DEFAULT_BASE_URL = 'https://api.anthropic.com';
export const DEFAULT_MAX_TOKENS = 1024;

interface Prepared {
  body: Record<string, unknown>;
  /** Set when the answer is a forced tool's input. */
  tool?: { name: string; wrapped: boolean };
}

/**
 * `max_tokens` when the params set none: the default, plus the thinking budget when
 * `thinking: { type: enabled, budget_tokens }` is set (the API requires max_tokens > budget_tokens).
 */
function defaultMaxTokens(params: Record<string, unknown>): number {
  const thinking = params['thinking'];
  const budget = thinking && typeof thinking === 'object' ? (thinking as Record<string, unknown>)['budget_tokens'] : undefined;
  return typeof budget === 'number' && Number.isFinite(budget) && budget > 0 ? budget + DEFAULT_MAX_TOKENS : DEFAULT_MAX_TOKENS;
}

/**
 * The request body: the user's params, then the fields llm-eval owns. Messages marked `cache`
 * become blocks with `cache_control`. With both user tools and a `responseFormat`, the answer
 * tool joins the user's tools and `tool_choice` defaults to `any` (some tool: a user tool, or the
 * answer); a call of the answer tool is the output, never a tool call.
 */
export function anthropicBody(req: ModelRequest, stream: boolean): Prepared {
  const { system, turns } = anthropicTurns(req.messages);
  const body: Record<string, unknown> = { max_tokens: defaultMaxTokens(req.params), ...req.params, model: req.model, messages: turns, stream };
  if (system.some((m: ChatMessage) => m.cache)) body['system'] = system.map(textBlock);
  else if (system.length > 0) body['system'] = system.map((m) => m.content).join('\n\n');
  const userTools = req.tools && req.tools.length > 0 ? anthropicToolDefs(req.tools) : undefined;
  if (userTools) body['tools'] = userTools;
  if (req.toolChoice !== undefined) body['tool_choice'] = anthropicToolChoice(req.toolChoice);
  if (!req.responseFormat) return { body };
  const tool = anthropicStructuredTool(req.responseFormat);
  body['tools'] = userTools ? [...userTools, ...tool.tools] : tool.tools;
  if (!userTools) body['tool_choice'] = tool.tool_choice;
  else body['tool_choice'] ??= { type: 'any' };
  return { body, tool: { name: tool.name, wrapped: tool.wrapped } };
}

/**
 * Anthropic's input_tokens excludes cache reads and writes; TokenUsage.input counts them all.
 * Thinking tokens are part of output_tokens: `reasoning` reports them, it adds nothing.
 */
function usageOf(u: unknown, src: ReplySource): TokenUsage {
  const c = anthropicCounts(u, src);
  const usage: TokenUsage = { input: (c.input ?? 0) + c.cacheRead + c.cacheCreation, output: c.output ?? 0, cachedInput: c.cacheRead };
  if (c.cacheCreation > 0) usage.cacheWrite = c.cacheCreation;
  if (c.cacheCreation1h > 0) usage.cacheWrite1h = c.cacheCreation1h;
  if (c.thinking !== undefined) usage.reasoning = c.thinking;
  return usage;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** A non-streamed message's answer: its text blocks, or the forced tool's input. No such block is no answer. */
function fromMessage(data: unknown, headers: Headers, tool: Prepared['tool'], started: number, src: ReplySource): ModelResponse {
  const msg = requireJsonObject(data, headers, src) as unknown as Message;
  if (!Array.isArray(msg.content)) throw malformedReply(src, 'no `content` array');
  let text = '';
  let answered = false;
  const calls: ToolCall[] = [];
  for (const block of msg.content as unknown[]) {
    if (!isObject(block)) continue;
    if (tool && block['type'] === 'tool_use' && block['name'] === tool.name) {
      text = toolInputText(block['input'], tool.wrapped);
      answered = true;
      break;
    }
    if (block['type'] === 'text' && typeof block['text'] === 'string') {
      text += block['text'];
      answered = true;
    }
    const call = block['type'] === 'tool_use' ? anthropicCall(block) : undefined;
    if (call) {
      calls.push(call);
      answered = true;
    }
  }
  if (!answered) throw malformedReply(src, msg.content.length === 0 ? '`content` is empty: no answer' : '`content` holds no text block: no answer');
  const out: ModelResponse = { text, usage: usageOf(msg.usage, src), latencyMs: performance.now() - started, cached: false, meta: { id: msg.id, finishReason: msg.stop_reason } };
  if (calls.length > 0) out.toolCalls = calls;
  return out;
}

async function readStream(stream: AsyncIterable<unknown>, tool: Prepared['tool'], started: number, signal: AbortSignal | undefined, src: ReplySource): Promise<ModelResponse> {
  const { who } = src;
  let text = '';
  let json = '';
  let toolIndex = -1;
  let blocks = 0;
  let ttftMs: number | undefined;
  let usage: TokenUsage = { input: 0, output: 0, cachedInput: 0 };
  let id: string | undefined;
  let finishReason: string | null = null;
  let stopped = false;
  const calls = new AnthropicStreamCalls();
  for await (const raw of stream) {
    // The SDK parses each event's JSON but checks nothing else.
    if (!isObject(raw)) throw malformedReply(src, `a stream event is ${JSON.stringify(raw)}, not an event`);
    const ev = raw as unknown as RawMessageStreamEvent;
    switch (ev.type) {
      case 'message_start':
        if (!isObject(ev.message)) throw malformedReply(src, 'message_start without a message');
        id = ev.message.id;
        usage = usageOf(ev.message.usage, src);
        break;
      case 'content_block_start':
        if (!isObject(ev.content_block)) throw malformedReply(src, 'content_block_start without a content_block');
        blocks++;
        if (tool && ev.content_block.type === 'tool_use' && ev.content_block.name === tool.name) toolIndex = ev.index;
        else if (ev.content_block.type === 'tool_use') calls.start(ev.index, ev.content_block as unknown as Record<string, unknown>);
        break;
      case 'content_block_delta':
        if (!isObject(ev.delta)) throw malformedReply(src, 'content_block_delta without a delta');
        if (ev.delta.type === 'text_delta' && typeof ev.delta.text === 'string' && ev.delta.text) {
          ttftMs ??= performance.now() - started;
          text += ev.delta.text;
        } else if (ev.delta.type === 'input_json_delta' && ev.index === toolIndex && typeof ev.delta.partial_json === 'string' && ev.delta.partial_json) {
          ttftMs ??= performance.now() - started;
          json += ev.delta.partial_json;
        } else if (ev.delta.type === 'input_json_delta' && typeof ev.delta.partial_json === 'string' && calls.delta(ev.index, ev.delta.partial_json)) {
          ttftMs ??= performance.now() - started;
        }
        break;
      case 'message_delta': {
        // Counts in message_delta are cumulative; input counts appear there only on newer API versions.
        const c = anthropicCounts(ev.usage, src);
        if (c.input !== undefined) usage = usageOf(ev.usage, src);
        else {
          usage = { ...usage, output: c.output ?? usage.output };
          if (c.thinking !== undefined) usage.reasoning = c.thinking;
        }
        finishReason = (isObject(ev.delta) && typeof ev.delta.stop_reason === 'string' ? ev.delta.stop_reason : null) ?? finishReason;
        break;
      }
      case 'message_stop':
        stopped = true;
        break;
    }
  }
  // The SDK ends iteration quietly when its signal aborts mid-stream: a partial answer is no answer.
  if (signal?.aborted) throw new ProviderError('aborted', `call to ${who} was aborted`);
  if (!stopped) throw new ProviderError('transient', `stream from ${who} ended before the answer was complete`);
  if (blocks === 0) throw malformedReply(src, 'the stream held no content block: no answer');
  if (toolIndex >= 0) {
    let input: unknown;
    try {
      input = json ? JSON.parse(json) : {};
    } catch {
      throw new ProviderError('transient', `${who} sent a tool input that is not JSON`);
    }
    text = toolInputText(input, tool!.wrapped);
  }
  const out: ModelResponse = { text, usage, latencyMs: performance.now() - started, ttftMs, cached: false, meta: { id, finishReason } };
  const toolCalls = calls.calls();
  if (toolCalls) out.toolCalls = toolCalls;
  return out;
}

function baseURLOf(model: ResolvedModel, ctx: ProviderContext): string {
  return resolveBaseURL(model, ctx.env, BASE_URL_VAR, DEFAULT_BASE_URL);
}

const anthropic: ProviderFactory = {
  name: 'anthropic',
  validate(model) {
    return model.model ? [] : [{ field: 'model', message: 'an anthropic model needs `model:` (e.g. claude-sonnet-4-6)' }];
  },
  identity(model, ctx) {
    return { provider: 'anthropic', model: model.model, baseURL: redactUrl(baseURLOf(model, ctx)) };
  },
  async create(model, ctx): Promise<ModelProvider> {
    const apiKey = requireApiKey(model, ctx.env, KEY_VAR);
    const baseURL = baseURLOf(model, ctx);
    const sdk = await import('@anthropic-ai/sdk');
    const client = new sdk.Anthropic({ apiKey, baseURL, maxRetries: 0, logLevel: 'off', fetch: fetchForSdk(ctx.env) });
    const shownURL = redactUrl(baseURL);
    const errors: ErrorContext = { vendor: 'anthropic', model, keyVar: keyVarOf(model, KEY_VAR), baseURL: shownURL };
    const src: ReplySource = { who: `model "${model.name}"`, baseURL: shownURL };
    const jsonHeaders = new Headers({ 'content-type': 'application/json' });
    return {
      batch: anthropicBatchApi(client, (req, body) => fromMessage(body, jsonHeaders, anthropicBody(req, false).tool, performance.now(), src), (err) => toProviderError(err, sdk, errors)),
      id: `anthropic:${model.model}`,
      identity: { provider: 'anthropic', model: model.model, baseURL: shownURL },
      // Anthropic rate-limits per model: a 429 on one model should not slow another.
      endpoint: `${shownURL}#${model.model}`,
      cacheable: true,
      async generate(req: ModelRequest, opts: GenerateOptions): Promise<ModelResponse> {
        const started = performance.now();
        const { body, tool } = anthropicBody(req, model.stream);
        // The SDK's own timeout is a backstop only: execute/ aborts the signal at timeoutMs.
        const request = { body, stream: model.stream, signal: opts.signal, timeout: opts.timeoutMs + 1000 };
        try {
          if (model.stream) {
            const { data: stream, response } = await client.post<EventStream>('/v1/messages', request).withResponse();
            if (!isEventStream(response.headers)) {
              stream.controller.abort();
              throw nonEventStream(response.headers, src);
            }
            return await readStream(stream, tool, started, opts.signal, src);
          }
          const { data, response } = await client.post<unknown>('/v1/messages', request).withResponse();
          return fromMessage(data, response.headers, tool, started, src);
        } catch (err) {
          throw toProviderError(err, sdk, errors);
        }
      },
    };
  },
};

export default anthropic;
