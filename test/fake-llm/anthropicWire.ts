/**
 * The Anthropic Messages wire format, as the fake server speaks it: a JSON message, the SSE
 * event sequence (message_start … message_stop, usage in message_start and message_delta),
 * tool_use blocks for a forced tool, and the API's error body.
 */
import type { FakeUsage } from './types.js';

let nextId = 0;

function messageId(): string {
  return `msg_fake${(nextId++).toString(36)}`;
}

/** A text answer, or the input of a forced tool. */
export type AnthropicContent = { kind: 'text'; text: string } | { kind: 'tool'; name: string; input: unknown };

function startUsage(u: FakeUsage): Record<string, unknown> {
  // Anthropic's input_tokens excludes tokens read from the prompt cache.
  return { input_tokens: u.input - u.cachedInput, cache_read_input_tokens: u.cachedInput, cache_creation_input_tokens: 0, output_tokens: 1 };
}

export function anthropicMessage(model: string, content: AnthropicContent, usage: FakeUsage, stopReason: string): string {
  const block =
    content.kind === 'text'
      ? { type: 'text', text: content.text }
      : { type: 'tool_use', id: 'toolu_fake', name: content.name, input: content.input };
  return JSON.stringify({
    id: messageId(),
    type: 'message',
    role: 'assistant',
    model,
    content: [block],
    stop_reason: content.kind === 'tool' ? 'tool_use' : stopReason,
    stop_sequence: null,
    usage: { ...startUsage(usage), output_tokens: usage.output },
  });
}

function event(name: string, data: Record<string, unknown>): string {
  return `event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`;
}

/** The SSE events of a streamed message; `pieces` are text deltas or partial JSON of the tool input. */
export function anthropicStreamEvents(model: string, content: AnthropicContent, pieces: string[], usage: FakeUsage, stopReason: string): string[] {
  const events: string[] = [];
  events.push(
    event('message_start', {
      message: { id: messageId(), type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: startUsage(usage) },
    }),
  );
  const isTool = content.kind === 'tool';
  const startBlock = isTool ? { type: 'tool_use', id: 'toolu_fake', name: content.name, input: {} } : { type: 'text', text: '' };
  events.push(event('content_block_start', { index: 0, content_block: startBlock }));
  for (const p of pieces) {
    const delta = isTool ? { type: 'input_json_delta', partial_json: p } : { type: 'text_delta', text: p };
    events.push(event('content_block_delta', { index: 0, delta }));
  }
  events.push(event('content_block_stop', { index: 0 }));
  events.push(event('message_delta', { delta: { stop_reason: isTool ? 'tool_use' : stopReason, stop_sequence: null }, usage: { output_tokens: usage.output } }));
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
