import type { ChatMessage, ModelRequest, ToolCall, ToolChoice } from '../types.js';
import { toolCallOf } from './toolCall.js';

/**
 * Tools in the Chat Completions wire format: `tools: [{ type: 'function', function: { name,
 * description, parameters } }]`, `tool_choice` (`auto` / `none` / `required` / one function),
 * assistant turns with `tool_calls`, `role: 'tool'` turns with `tool_call_id`, and the calls
 * of a reply (whole, or streamed as deltas keyed by `index`).
 */

export function openaiTools(req: ModelRequest): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (req.tools && req.tools.length > 0) {
    out['tools'] = req.tools.map((t) => {
      const fn: Record<string, unknown> = { name: t.name };
      if (t.description !== undefined) fn['description'] = t.description;
      fn['parameters'] = t.parameters;
      return { type: 'function', function: fn };
    });
  }
  if (req.toolChoice !== undefined) out['tool_choice'] = openaiToolChoice(req.toolChoice);
  return out;
}

function openaiToolChoice(choice: ToolChoice): unknown {
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
}

/** The messages as sent: unchanged unless a turn carries tool calls or is a tool result. */
export function openaiMessages(messages: ChatMessage[]): unknown[] {
  if (!messages.some((m) => m.role === 'tool' || m.toolCalls)) return messages;
  return messages.map((m) => {
    if (m.role === 'tool') return { role: 'tool', tool_call_id: m.toolCallId ?? '', content: m.content };
    if (m.role === 'assistant' && m.toolCalls && m.toolCalls.length > 0) {
      return {
        role: 'assistant',
        content: m.content === '' ? null : m.content,
        tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.rawArguments } })),
      };
    }
    return { role: m.role, content: m.content };
  });
}

interface WireCall {
  id?: unknown;
  function?: { name?: unknown; arguments?: unknown } | null;
}

/** The calls of a non-streamed reply's `message.tool_calls` (malformed entries skipped). */
export function openaiReplyCalls(toolCalls: unknown): ToolCall[] | undefined {
  if (!Array.isArray(toolCalls)) return undefined;
  const calls: ToolCall[] = [];
  for (const c of toolCalls as WireCall[]) {
    if (!c || typeof c !== 'object' || !c.function || typeof c.function.name !== 'string') continue;
    calls.push(toolCallOf(typeof c.id === 'string' ? c.id : '', c.function.name, typeof c.function.arguments === 'string' ? c.function.arguments : ''));
  }
  return calls.length > 0 ? calls : undefined;
}

/** Collects streamed `delta.tool_calls`: the first delta of an index names the call, later ones add argument text. */
export class OpenAIStreamCalls {
  private readonly parts = new Map<number, { id: string; name: string; args: string }>();

  add(deltas: unknown): void {
    if (!Array.isArray(deltas)) return;
    for (const d of deltas as Array<WireCall & { index?: unknown }>) {
      if (!d || typeof d !== 'object') continue;
      const index = typeof d.index === 'number' ? d.index : this.parts.size;
      let part = this.parts.get(index);
      if (!part) this.parts.set(index, (part = { id: '', name: '', args: '' }));
      if (typeof d.id === 'string' && d.id) part.id = d.id;
      // Some compatible servers repeat the name in every delta: the first one names the call.
      if (typeof d.function?.name === 'string' && d.function.name && !part.name) part.name = d.function.name;
      if (typeof d.function?.arguments === 'string') part.args += d.function.arguments;
    }
  }

  calls(): ToolCall[] | undefined {
    if (this.parts.size === 0) return undefined;
    return [...this.parts.entries()].sort(([a], [b]) => a - b).map(([, p]) => toolCallOf(p.id, p.name, p.args));
  }
}
