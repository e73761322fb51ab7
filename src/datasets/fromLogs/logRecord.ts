/**
 * One line of a request/response log → the conversation that was sent and the answer logged.
 *
 * Accepted shapes (what LLM gateways and OpenAI's own formats record):
 *  - `{ request: { model?, messages }, response: { model?, choices: [{ message: { content } }] } }`
 *    (also `body`/`output` for the two halves, and `req`/`res`);
 *  - `{ messages: [..., { role: "assistant", content }] }`: the chat fine-tuning / evals format,
 *    whose last assistant message is the answer;
 *  - `{ model?, messages, completion | response | output: "text" }`.
 * Content may be a string or a list of `{ type: "text", text }` parts.
 */

export interface ChatTurn {
  role: string;
  content: string;
}

export interface LoggedExchange {
  model?: string;
  /** The system prompt(s), joined. */
  system?: string;
  /** Turns before the last user message. */
  history: ChatTurn[];
  /** The last user message: what the row asks. */
  input: string;
  /** The logged answer, when the log has one. */
  response?: string;
}

type Json = Record<string, unknown>;

function asObject(value: unknown): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

/** A message's content as text: a string, or the text parts of a content list. */
export function contentText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    const parts = content.map((p) => (typeof p === 'string' ? p : typeof asObject(p)?.['text'] === 'string' ? (asObject(p)!['text'] as string) : '')).filter((t) => t !== '');
    return parts.length ? parts.join('\n') : undefined;
  }
  return undefined;
}

function turnsOf(messages: unknown): ChatTurn[] | undefined {
  if (!Array.isArray(messages)) return undefined;
  const turns: ChatTurn[] = [];
  for (const m of messages) {
    const o = asObject(m);
    if (!o || typeof o['role'] !== 'string') return undefined;
    turns.push({ role: o['role'], content: contentText(o['content']) ?? '' });
  }
  return turns;
}

function responseText(response: unknown): string | undefined {
  if (typeof response === 'string') return response;
  const o = asObject(response);
  if (!o) return undefined;
  const choice = Array.isArray(o['choices']) ? asObject(o['choices'][0]) : undefined;
  if (choice) return contentText(asObject(choice['message'])?.['content']) ?? (typeof choice['text'] === 'string' ? choice['text'] : undefined);
  // Anthropic-shaped responses: content blocks.
  if (Array.isArray(o['content'])) return contentText(o['content']);
  return undefined;
}

/** The exchange a parsed log line records, or why it cannot be read. */
export function exchangeOf(line: unknown): LoggedExchange | { problem: string } {
  const o = asObject(line);
  if (!o) return { problem: 'not a JSON object' };
  const request = asObject(o['request']) ?? asObject(o['req']) ?? asObject(o['body']) ?? o;
  const turns = turnsOf(request['messages']);
  if (!turns || turns.length === 0) return { problem: 'no `messages` list of { role, content }' };
  let response = responseText(o['response'] ?? o['res'] ?? o['output'] ?? o['completion']);
  let sent = turns;
  if (response === undefined && turns[turns.length - 1]!.role === 'assistant') {
    response = turns[turns.length - 1]!.content;
    sent = turns.slice(0, -1);
  }
  let last = -1;
  for (let i = sent.length - 1; i >= 0; i--) {
    if (sent[i]!.role === 'user') {
      last = i;
      break;
    }
  }
  if (last < 0) return { problem: 'no user message' };
  const system = sent.filter((t) => t.role === 'system' || t.role === 'developer').map((t) => t.content).join('\n\n');
  const exchange: LoggedExchange = {
    history: sent.slice(0, last).filter((t) => t.role !== 'system' && t.role !== 'developer'),
    input: sent[last]!.content,
  };
  const model = request['model'] ?? asObject(o['response'])?.['model'] ?? o['model'];
  if (typeof model === 'string') exchange.model = model;
  if (system) exchange.system = system;
  if (response !== undefined) exchange.response = response;
  return exchange;
}
