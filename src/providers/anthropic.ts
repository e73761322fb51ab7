import type { Message, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import type { GenerateOptions, ModelProvider, ModelRequest, ModelResponse, ProviderContext, ProviderFactory, ResolvedModel, TokenUsage } from '../types.js';
import { ProviderError } from '../errors.js';
import { keyVarOf, requireApiKey, resolveBaseURL } from './env.js';
import { toProviderError, type ErrorContext } from './httpErrors.js';
import { anthropicStructuredTool, toolInputText } from './structuredOutput.js';

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

/** The request body: the user's params, then the fields llm-eval owns. */
export function anthropicBody(req: ModelRequest, stream: boolean): Prepared {
  const system: string[] = [];
  const messages: Array<{ role: 'user' | 'assistant'; content: string }> = [];
  for (const m of req.messages) {
    if (m.role === 'system') system.push(m.content);
    else messages.push({ role: m.role, content: m.content });
  }
  const body: Record<string, unknown> = { max_tokens: DEFAULT_MAX_TOKENS, ...req.params, model: req.model, messages, stream };
  if (system.length > 0) body['system'] = system.join('\n\n');
  if (!req.responseFormat) return { body };
  const tool = anthropicStructuredTool(req.responseFormat);
  body['tools'] = tool.tools;
  body['tool_choice'] = tool.tool_choice;
  return { body, tool: { name: tool.name, wrapped: tool.wrapped } };
}

/** Anthropic's input_tokens excludes cache reads and writes; TokenUsage.input counts them all. */
function usageOf(u: { input_tokens?: number | null; output_tokens?: number | null; cache_read_input_tokens?: number | null; cache_creation_input_tokens?: number | null }): TokenUsage {
  const cachedInput = u.cache_read_input_tokens ?? 0;
  return { input: (u.input_tokens ?? 0) + cachedInput + (u.cache_creation_input_tokens ?? 0), output: u.output_tokens ?? 0, cachedInput };
}

function fromMessage(msg: Message, tool: Prepared['tool'], started: number): ModelResponse {
  let text = '';
  for (const block of msg.content) {
    if (tool && block.type === 'tool_use' && block.name === tool.name) {
      text = toolInputText(block.input, tool.wrapped);
      break;
    }
    if (block.type === 'text') text += block.text;
  }
  return { text, usage: usageOf(msg.usage), latencyMs: performance.now() - started, cached: false, meta: { id: msg.id, finishReason: msg.stop_reason } };
}

async function readStream(
  stream: AsyncIterable<RawMessageStreamEvent>,
  tool: Prepared['tool'],
  started: number,
  signal: AbortSignal | undefined,
  who: string,
): Promise<ModelResponse> {
  let text = '';
  let json = '';
  let toolIndex = -1;
  let ttftMs: number | undefined;
  let usage: TokenUsage = { input: 0, output: 0, cachedInput: 0 };
  let id: string | undefined;
  let finishReason: string | null = null;
  let stopped = false;
  for await (const ev of stream) {
    switch (ev.type) {
      case 'message_start':
        id = ev.message.id;
        usage = usageOf(ev.message.usage);
        break;
      case 'content_block_start':
        if (tool && ev.content_block.type === 'tool_use' && ev.content_block.name === tool.name) toolIndex = ev.index;
        break;
      case 'content_block_delta':
        if (ev.delta.type === 'text_delta' && ev.delta.text) {
          ttftMs ??= performance.now() - started;
          text += ev.delta.text;
        } else if (ev.delta.type === 'input_json_delta' && ev.index === toolIndex && ev.delta.partial_json) {
          ttftMs ??= performance.now() - started;
          json += ev.delta.partial_json;
        }
        break;
      case 'message_delta': {
        // Counts in message_delta are cumulative; input counts appear there only on newer API versions.
        const u = ev.usage;
        usage = u.input_tokens != null ? usageOf(u) : { ...usage, output: u.output_tokens };
        finishReason = ev.delta.stop_reason ?? finishReason;
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
  if (toolIndex >= 0) {
    let input: unknown;
    try {
      input = json ? JSON.parse(json) : {};
    } catch {
      throw new ProviderError('transient', `${who} sent a tool input that is not JSON`);
    }
    text = toolInputText(input, tool!.wrapped);
  }
  return { text, usage, latencyMs: performance.now() - started, ttftMs, cached: false, meta: { id, finishReason } };
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
    return { provider: 'anthropic', model: model.model, baseURL: baseURLOf(model, ctx) };
  },
  async create(model, ctx): Promise<ModelProvider> {
    const apiKey = requireApiKey(model, ctx.env, KEY_VAR);
    const baseURL = baseURLOf(model, ctx);
    const sdk = await import('@anthropic-ai/sdk');
    const client = new sdk.Anthropic({ apiKey, baseURL, maxRetries: 0, logLevel: 'off' });
    const errors: ErrorContext = { vendor: 'anthropic', model, keyVar: keyVarOf(model, KEY_VAR), baseURL };
    const who = `model "${model.name}"`;
    return {
      id: `anthropic:${model.model}`,
      identity: { provider: 'anthropic', model: model.model, baseURL },
      // Anthropic rate-limits per model: a 429 on one model should not slow another.
      endpoint: `${baseURL}#${model.model}`,
      cacheable: true,
      async generate(req: ModelRequest, opts: GenerateOptions): Promise<ModelResponse> {
        const started = performance.now();
        const { body, tool } = anthropicBody(req, model.stream);
        // The SDK's own timeout is a backstop only: execute/ aborts the signal at timeoutMs.
        const request = { body, stream: model.stream, signal: opts.signal, timeout: opts.timeoutMs + 1000 };
        try {
          if (model.stream) {
            const stream = await client.post<AsyncIterable<RawMessageStreamEvent>>('/v1/messages', request);
            return await readStream(stream, tool, started, opts.signal, who);
          }
          return fromMessage(await client.post<Message>('/v1/messages', request), tool, started);
        } catch (err) {
          throw toProviderError(err, sdk, errors);
        }
      },
    };
  },
};

export default anthropic;
