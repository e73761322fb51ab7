/**
 * The OpenAI Chat Completions wire format, as the fake server speaks it: a JSON completion,
 * an SSE stream of chunks (with the final usage chunk when `stream_options.include_usage`),
 * and the API's error body.
 */
import type { FakeUsage } from './types.js';
import type { WireToolCall } from './toolWire.js';

let nextId = 0;

function completionId(): string {
  return `chatcmpl-fake${(nextId++).toString(36)}`;
}

function usageBody(u: FakeUsage): Record<string, unknown> {
  const body: Record<string, unknown> = {
    prompt_tokens: u.input,
    completion_tokens: u.output,
    total_tokens: u.input + u.output,
    prompt_tokens_details: { cached_tokens: u.cachedInput },
  };
  if (u.reasoning !== undefined) body['completion_tokens_details'] = { reasoning_tokens: u.reasoning };
  return body;
}

export function openaiCompletion(model: string, text: string, usage: FakeUsage, finishReason: string, calls: WireToolCall[] = []): string {
  const message: Record<string, unknown> = { role: 'assistant', content: text, refusal: null };
  if (calls.length > 0) {
    // The API sends `content: null` beside tool calls when the model wrote no text.
    if (text === '') message['content'] = null;
    message['tool_calls'] = calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.rawArguments } }));
  }
  return JSON.stringify({
    id: completionId(),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message, finish_reason: finishReason, logprobs: null }],
    usage: usageBody(usage),
  });
}

/**
 * The SSE events of a streamed completion, each a complete `data: …\n\n` frame. Tool calls
 * follow the text: a first delta with id, name and `arguments: ""`, then the arguments split
 * by `split` across further deltas of the same `index`, as the API streams them.
 */
export function openaiStreamEvents(
  model: string,
  pieces: string[],
  usage: FakeUsage,
  finishReason: string,
  includeUsage: boolean,
  calls: WireToolCall[] = [],
  split: (text: string) => string[] = (t) => [t],
): string[] {
  const id = completionId();
  const created = Math.floor(Date.now() / 1000);
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}): string =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices, ...extra })}\n\n`;
  const events: string[] = [];
  events.push(chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }], includeUsage ? { usage: null } : {}));
  for (const p of pieces) events.push(chunk([{ index: 0, delta: { content: p }, finish_reason: null }], includeUsage ? { usage: null } : {}));
  for (const [index, c] of calls.entries()) {
    const first = { index, id: c.id, type: 'function', function: { name: c.name, arguments: '' } };
    events.push(chunk([{ index: 0, delta: { tool_calls: [first] }, finish_reason: null }], includeUsage ? { usage: null } : {}));
    for (const p of split(c.rawArguments)) {
      events.push(chunk([{ index: 0, delta: { tool_calls: [{ index, function: { arguments: p } }] }, finish_reason: null }], includeUsage ? { usage: null } : {}));
    }
  }
  events.push(chunk([{ index: 0, delta: {}, finish_reason: finishReason }], includeUsage ? { usage: null } : {}));
  if (includeUsage) events.push(chunk([], { usage: usageBody(usage) }));
  events.push('data: [DONE]\n\n');
  return events;
}

export function openaiErrorBody(status: number, message: string): string {
  const type = status === 429 ? 'rate_limit_exceeded' : status === 401 ? 'invalid_request_error' : status >= 500 ? 'server_error' : 'invalid_request_error';
  const code = status === 404 ? 'model_not_found' : status === 401 ? 'invalid_api_key' : null;
  return JSON.stringify({ error: { message, type, param: null, code } });
}
