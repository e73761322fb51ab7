/**
 * The Anthropic Messages wire format, as the fake server speaks it: a JSON message, the SSE
 * event sequence (message_start … message_stop, usage in message_start and message_delta),
 * tool_use blocks for a forced tool, and the API's error body.
 */
import type { FakeUsage } from './types.js';
import type { WireToolCall } from './toolWire.js';

let nextId = 0;

function messageId(): string {
  return `msg_fake${(nextId++).toString(36)}`;
}

/** A text answer, the input of a forced tool, or text (possibly "") followed by tool calls. */
export type AnthropicContent =
  | { kind: 'text'; text: string }
  | { kind: 'tool'; name: string; input: unknown }
  | { kind: 'calls'; text: string; calls: WireToolCall[] };

/** A call's input: its arguments parsed, or (invalid JSON) the raw text, which no real reply holds. */
function callInput(c: WireToolCall): unknown {
  try {
    return JSON.parse(c.rawArguments) as unknown;
  } catch {
    return c.rawArguments;
  }
}

function startUsage(u: FakeUsage): Record<string, unknown> {
  // Anthropic's input_tokens excludes tokens read from and written to the prompt cache.
  const written = u.cacheWrite ?? 0;
  const written1h = u.cacheWrite1h ?? 0;
  const usage: Record<string, unknown> = { input_tokens: u.input - u.cachedInput - written, cache_read_input_tokens: u.cachedInput, cache_creation_input_tokens: written, output_tokens: 1 };
  if (u.cacheWrite !== undefined) usage['cache_creation'] = { ephemeral_5m_input_tokens: written - written1h, ephemeral_1h_input_tokens: written1h };
  return usage;
}

/** The final output counts: output_tokens, and the thinking share of them when given. */
function finalOutput(u: FakeUsage): Record<string, unknown> {
  return u.reasoning === undefined ? { output_tokens: u.output } : { output_tokens: u.output, output_tokens_details: { thinking_tokens: u.reasoning } };
}

export function anthropicMessage(model: string, content: AnthropicContent, usage: FakeUsage, stopReason: string, thinking?: string): string {
  const blocks: unknown[] =
    content.kind === 'text'
      ? [{ type: 'text', text: content.text }]
      : content.kind === 'tool'
        ? [{ type: 'tool_use', id: 'toolu_fake', name: content.name, input: content.input }]
        : [
            ...(content.text === '' ? [] : [{ type: 'text', text: content.text }]),
            ...content.calls.map((c) => ({ type: 'tool_use', id: c.id, name: c.name, input: callInput(c) })),
          ];
  return JSON.stringify({
    id: messageId(),
    type: 'message',
    role: 'assistant',
    model,
    content: thinking === undefined ? blocks : [{ type: 'thinking', thinking, signature: 'sig_fake' }, ...blocks],
    stop_reason: content.kind === 'text' ? stopReason : 'tool_use',
    stop_sequence: null,
    usage: { ...startUsage(usage), ...finalOutput(usage) },
  });
}

function event(name: string, data: Record<string, unknown>): string {
  return `event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`;
}

/**
 * The SSE events of a streamed message; `pieces` are text deltas or partial JSON of the tool input.
 * With `thinking`, a thinking block (thinking_delta, signature_delta) comes first. With tool calls,
 * a text block (when there is text) comes first, then one `tool_use` block per call whose
 * `input_json_delta`s are its arguments split by `split`.
 */
export function anthropicStreamEvents(
  model: string,
  content: AnthropicContent,
  pieces: string[],
  usage: FakeUsage,
  stopReason: string,
  split: (text: string) => string[] = (t) => [t],
  thinking?: string,
): string[] {
  if (content.kind === 'calls') return callEvents(model, content, pieces, usage, split);
  const events: string[] = [];
  events.push(
    event('message_start', {
      message: { id: messageId(), type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: startUsage(usage) },
    }),
  );
  let index = 0;
  if (thinking !== undefined) {
    events.push(event('content_block_start', { index, content_block: { type: 'thinking', thinking: '' } }));
    events.push(event('content_block_delta', { index, delta: { type: 'thinking_delta', thinking } }));
    events.push(event('content_block_delta', { index, delta: { type: 'signature_delta', signature: 'sig_fake' } }));
    events.push(event('content_block_stop', { index }));
    index++;
  }
  const isTool = content.kind === 'tool';
  const startBlock = isTool ? { type: 'tool_use', id: 'toolu_fake', name: content.name, input: {} } : { type: 'text', text: '' };
  events.push(event('content_block_start', { index, content_block: startBlock }));
  for (const p of pieces) {
    const delta = isTool ? { type: 'input_json_delta', partial_json: p } : { type: 'text_delta', text: p };
    events.push(event('content_block_delta', { index, delta }));
  }
  events.push(event('content_block_stop', { index }));
  events.push(event('message_delta', { delta: { stop_reason: isTool ? 'tool_use' : stopReason, stop_sequence: null }, usage: finalOutput(usage) }));
  events.push(event('message_stop', {}));
  return events;
}

function callEvents(model: string, content: Extract<AnthropicContent, { kind: 'calls' }>, pieces: string[], usage: FakeUsage, split: (text: string) => string[]): string[] {
  const events: string[] = [];
  events.push(
    event('message_start', {
      message: { id: messageId(), type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: startUsage(usage) },
    }),
  );
  let index = 0;
  if (content.text !== '') {
    events.push(event('content_block_start', { index, content_block: { type: 'text', text: '' } }));
    for (const p of pieces) events.push(event('content_block_delta', { index, delta: { type: 'text_delta', text: p } }));
    events.push(event('content_block_stop', { index }));
    index++;
  }
  for (const c of content.calls) {
    events.push(event('content_block_start', { index, content_block: { type: 'tool_use', id: c.id, name: c.name, input: {} } }));
    for (const p of split(c.rawArguments)) events.push(event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: p } }));
    events.push(event('content_block_stop', { index }));
    index++;
  }
  events.push(event('message_delta', { delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: usage.output } }));
  events.push(event('message_stop', {}));
  return events;
}

export function anthropicErrorBody(status: number, message: string): string {
  const type =
    status === 429
      ? 'rate_limit_error'
      : status === 401
        ? 'authentication_error'
        : status === 403
          ? 'permission_error'
          : status === 404
            ? 'not_found_error'
            : status === 529
              ? 'overloaded_error'
              : status >= 500
                ? 'api_error'
                : 'invalid_request_error';
  return JSON.stringify({ type: 'error', error: { type, message } });
}
