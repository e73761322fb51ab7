import type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParamsNonStreaming, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { GenerateOptions, ModelProvider, ModelRequest, ModelResponse, ResolvedModel, TokenUsage } from '../types.js';
import { ProviderError } from '../errors.js';
import { toProviderError, type ErrorContext } from './httpErrors.js';
import { openaiResponseFormat } from './structuredOutput.js';

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
  baseURL: string;
  endpoint: string;
  identity: Record<string, unknown>;
}

/** The request body: the user's params passed through, then the fields llm-eval owns. */
export function openaiChatBody(req: ModelRequest, stream: boolean): Record<string, unknown> {
  // Assigned rather than `{ ...params, model, ... }`, which V8 runs on a slow path (once per call).
  const body: Record<string, unknown> = Object.assign({}, req.params);
  body['model'] = req.model;
  body['messages'] = req.messages;
  body['stream'] = stream;
  if (req.responseFormat) body['response_format'] = openaiResponseFormat(req.responseFormat);
  if (stream) body['stream_options'] = { include_usage: true };
  return body;
}

function usageOf(u: ChatCompletion['usage'] | null | undefined): TokenUsage | undefined {
  if (!u) return undefined;
  return { input: u.prompt_tokens, output: u.completion_tokens, cachedInput: u.prompt_tokens_details?.cached_tokens ?? 0 };
}

function fromCompletion(c: ChatCompletion, started: number): ModelResponse {
  const choice = c.choices[0];
  const meta: Record<string, unknown> = { id: c.id, finishReason: choice?.finish_reason ?? null };
  if (choice?.message.refusal) meta['refusal'] = choice.message.refusal;
  return { text: choice?.message.content ?? '', usage: usageOf(c.usage), latencyMs: performance.now() - started, cached: false, meta };
}

async function readStream(stream: AsyncIterable<ChatCompletionChunk>, started: number, signal: AbortSignal | undefined, who: string): Promise<ModelResponse> {
  let text = '';
  let ttftMs: number | undefined;
  let finishReason: string | null = null;
  let usage: TokenUsage | undefined;
  let id: string | undefined;
  let refusal = '';
  for await (const chunk of stream) {
    id ??= chunk.id;
    const choice = chunk.choices[0];
    if (choice) {
      const piece = choice.delta?.content;
      if (piece) {
        ttftMs ??= performance.now() - started;
        text += piece;
      }
      if (choice.delta?.refusal) refusal += choice.delta.refusal;
      if (choice.finish_reason) finishReason = choice.finish_reason;
    }
    if (chunk.usage) usage = usageOf(chunk.usage);
  }
  // The SDK ends iteration quietly when its signal aborts mid-stream: a partial answer is no answer.
  if (signal?.aborted) throw new ProviderError('aborted', `call to ${who} was aborted`);
  if (finishReason === null) throw new ProviderError('transient', `stream from ${who} ended before the answer was complete`);
  const meta: Record<string, unknown> = { id, finishReason };
  if (refusal) meta['refusal'] = refusal;
  return { text, usage, latencyMs: performance.now() - started, ttftMs, cached: false, meta };
}

export async function createOpenAIChatProvider(setup: OpenAIChatSetup): Promise<ModelProvider> {
  const sdk = await import('openai');
  const client = new sdk.OpenAI({ apiKey: setup.apiKey, baseURL: setup.baseURL, maxRetries: 0, logLevel: 'off' });
  const { model } = setup;
  const errors: ErrorContext = { vendor: setup.vendor, model, keyVar: setup.keyVar, baseURL: setup.baseURL };
  const who = `model "${model.name}"`;

  return {
    id: `${setup.vendor}:${model.model}`,
    identity: setup.identity,
    endpoint: setup.endpoint,
    cacheable: true,
    async generate(req: ModelRequest, opts: GenerateOptions): Promise<ModelResponse> {
      const started = performance.now();
      // The SDK's own timeout is a backstop only: execute/ aborts the signal at timeoutMs.
      const requestOptions = { signal: opts.signal, timeout: opts.timeoutMs + 1000 };
      try {
        if (model.stream) {
          // Params are the user's pass-through for this API; the SDK's typings cannot know them.
          const body = openaiChatBody(req, true) as unknown as ChatCompletionCreateParamsStreaming;
          const stream = await client.chat.completions.create(body, requestOptions);
          return await readStream(stream, started, opts.signal, who);
        }
        const body = openaiChatBody(req, false) as unknown as ChatCompletionCreateParamsNonStreaming;
        return fromCompletion(await client.chat.completions.create(body, requestOptions), started);
      } catch (err) {
        throw toProviderError(err, sdk, errors);
      }
    },
  };
}
