import type { ChatMessage, ToolCall, ToolChoice, ToolDefinition } from '../types.js';
import { callArguments, toolCallOf } from './toolCall.js';

/**
 * Tools in the Messages wire format: `tools: [{ name, description, input_schema }]`,
 * `tool_choice` (`auto`, `none`, `any` for "required", `tool` for one name), assistant turns
 * with `tool_use` blocks, and tool results as `tool_result` blocks of the next user turn
 * (consecutive results, and a user text right after them, share that one turn, as the API
 * requires every result of a turn's calls in the following user message).
 */

type Block = Record<string, unknown>;
export interface AnthropicTurn {
  role: 'user' | 'assistant';
  content: string | Block[];
}

export function anthropicToolDefs(tools: ToolDefinition[]): Array<Record<string, unknown>> {
  return tools.map((t) => {
    const def: Record<string, unknown> = { name: t.name };
    if (t.description !== undefined) def['description'] = t.description;
    def['input_schema'] = t.parameters;
    return def;
  });
}

export function anthropicToolChoice(choice: ToolChoice): Record<string, unknown> {
  if (choice === 'required') return { type: 'any' };
  if (typeof choice === 'string') return { type: choice };
  return { type: 'tool', name: choice.name };
}

/** A text content block; a message marked `cache` carries the cache breakpoint (5 minutes, or `ttl: '1h'`). */
export interface TextBlock {
  type: 'text';
  text: string;
  cache_control?: { type: 'ephemeral'; ttl?: '1h' };
}

export function textBlock(m: ChatMessage): TextBlock {
  const block: TextBlock = { type: 'text', text: m.content };
  if (m.cache) block.cache_control = m.cache === '1h' ? { type: 'ephemeral', ttl: '1h' } : { type: 'ephemeral' };
  return block;
}

/**
 * System messages and turns; plain text turns stay `{ role, content: string }` as before, a
 * message marked `cache` becomes a text block with `cache_control`.
 */
export function anthropicTurns(messages: ChatMessage[]): { system: ChatMessage[]; turns: AnthropicTurn[] } {
  const system: ChatMessage[] = [];
  const turns: AnthropicTurn[] = [];
  // The user turn that holds tool results, while more results or a user text may join it.
  let results: Block[] | undefined;
  for (const m of messages) {
    if (m.role === 'system') {
      system.push(m);
      continue;
    }
    if (m.role === 'tool') {
      const block: Block = { type: 'tool_result', tool_use_id: m.toolCallId ?? '', content: m.content };
      if (results) results.push(block);
      else turns.push({ role: 'user', content: (results = [block]) });
      continue;
    }
    if (m.role === 'user' && results) {
      results.push({ type: 'text', text: m.content });
      results = undefined;
      continue;
    }
    results = undefined;
    if (m.role === 'assistant' && m.toolCalls && m.toolCalls.length > 0) {
      const blocks: Block[] = m.content === '' ? [] : [{ type: 'text', text: m.content }];
      for (const c of m.toolCalls) blocks.push({ type: 'tool_use', id: c.id, name: c.name, input: callArguments(c) });
      turns.push({ role: 'assistant', content: blocks });
      continue;
    }
    turns.push({ role: m.role, content: m.cache ? [{ ...textBlock(m) }] : m.content });
  }
  return { system, turns };
}

/** A reply's `tool_use` block as a call; the input is an object on the wire, kept raw when it is not. */
export function anthropicCall(block: Block): ToolCall | undefined {
  if (typeof block['name'] !== 'string') return undefined;
  const id = typeof block['id'] === 'string' ? block['id'] : '';
  const input = block['input'];
  if (typeof input === 'string') return toolCallOf(id, block['name'], input);
  return toolCallOf(id, block['name'], JSON.stringify(input ?? {}));
}

/** Collects streamed `tool_use` blocks: started with id and name, their input as `input_json_delta` pieces. */
export class AnthropicStreamCalls {
  private readonly parts = new Map<number, { id: string; name: string; json: string }>();

  start(index: number, block: Block): void {
    if (typeof block['name'] !== 'string') return;
    this.parts.set(index, { id: typeof block['id'] === 'string' ? block['id'] : '', name: block['name'], json: '' });
  }

  /** False when the block at `index` is not a call being collected. */
  delta(index: number, partialJson: string): boolean {
    const part = this.parts.get(index);
    if (!part) return false;
    part.json += partialJson;
    return true;
  }

  calls(): ToolCall[] | undefined {
    if (this.parts.size === 0) return undefined;
    return [...this.parts.entries()].sort(([a], [b]) => a - b).map(([, p]) => toolCallOf(p.id, p.name, p.json || '{}'));
  }
}
