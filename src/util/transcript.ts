import type { ChatMessage, ToolCall } from '../types.js';

/**
 * A conversation as plain text, one turn per paragraph, for judges (`{{ transcript }}`) and
 * reports: `user: …`, `assistant: …`, `assistant → lookup_order({"id":"A1"})`, `tool lookup_order: …`.
 * System messages are left out: a transcript shows what was said, not the instructions.
 */
export function transcriptText(messages: readonly ChatMessage[]): string {
  const parts: string[] = [];
  for (const m of messages) {
    if (m.role === 'system') continue;
    if (m.role === 'tool') {
      const tool = m.toolName ?? m.toolCallId;
      parts.push(tool ? `tool ${tool}: ${m.content}` : `tool: ${m.content}`);
      continue;
    }
    if (m.content !== '' || !m.toolCalls?.length) parts.push(`${m.role}: ${m.content}`);
    for (const call of m.toolCalls ?? []) parts.push(`${m.role} → ${toolCallText(call)}`);
  }
  return parts.join('\n\n');
}

/** `name(arguments)` with the arguments as the model sent them. */
export function toolCallText(call: ToolCall): string {
  return `${call.name}(${call.rawArguments})`;
}
