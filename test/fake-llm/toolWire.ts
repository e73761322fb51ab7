/**
 * Tool calls in the fake server: which calls to answer with (a `toolCalls` reply, or
 * `[[tool:NAME ARGS]]` directives in the last user message), and the checks a real API makes
 * on tool turns in a request (every tool result answers a call of the assistant turn before it).
 *
 * A directive's ARGS is sent exactly as written (so `[[tool:refund {"amount": 5]]` sends invalid
 * JSON arguments); the text left once directives are removed is the answer's text (may be empty).
 */
import type { FakeApi, FakeToolCall, RecordedRequest } from './types.js';

/** A call as sent on the wire: its id, name and the arguments' JSON text. */
export interface WireToolCall {
  id: string;
  name: string;
  rawArguments: string;
}

const DIRECTIVE = /\[\[tool:([A-Za-z0-9_-]+)(?:\s+([\s\S]*?))?\]\]/g;

/** The `[[tool:…]]` directives of a text, and the text without them (trimmed). */
export function toolDirectives(text: string): { calls: FakeToolCall[]; rest: string } {
  const calls: FakeToolCall[] = [];
  const rest = text.replace(DIRECTIVE, (_m, name: string, args: string | undefined) => {
    calls.push({ name, arguments: (args ?? '{}').trim() || '{}' });
    return '';
  });
  return { calls, rest: calls.length > 0 ? rest.trim() : text };
}

/** Ids predictable from the request index and position: `call_<req>_<i>` / `toolu_<req>_<i>`. */
export function wireCalls(api: FakeApi, requestIndex: number, calls: FakeToolCall[]): WireToolCall[] {
  return calls.map((c, i) => ({
    id: c.id ?? `${api === 'openai' ? 'call' : 'toolu'}_${requestIndex}_${i}`,
    name: c.name,
    rawArguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments ?? {}),
  }));
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** The content of the tool results in the request's last turn, or undefined when it holds none (or holds user text too). */
export function lastToolResults(r: RecordedRequest): string[] | undefined {
  const messages = (r.body?.['messages'] as unknown[] | undefined) ?? [];
  if (r.api === 'openai') {
    const out: string[] = [];
    for (let i = messages.length - 1; i >= 0; i--) {
      const m = messages[i];
      if (!isObject(m) || m['role'] !== 'tool') break;
      out.unshift(typeof m['content'] === 'string' ? m['content'] : JSON.stringify(m['content']));
    }
    return out.length > 0 ? out : undefined;
  }
  const last = messages[messages.length - 1];
  if (!isObject(last) || last['role'] !== 'user' || !Array.isArray(last['content'])) return undefined;
  const blocks = last['content'] as unknown[];
  const results = blocks.filter((b): b is Json => isObject(b) && b['type'] === 'tool_result');
  // A user text beside the results is the user speaking: answered (and read for directives) as text.
  if (results.length === 0 || blocks.some((b) => isObject(b) && b['type'] === 'text')) return undefined;
  return results.map((b) => (typeof b['content'] === 'string' ? b['content'] : Array.isArray(b['content']) ? (b['content'] as unknown[]).map((p) => (isObject(p) && typeof p['text'] === 'string' ? p['text'] : '')).join('') : ''));
}

/**
 * What a real API says (400) about a request's tool turns, or undefined when they are well formed:
 * OpenAI: a `tool` message needs a `tool_call_id` among the `tool_calls` of the assistant turn before it;
 * Anthropic: a `tool_result` block needs a `tool_use_id` among the `tool_use` blocks of the assistant turn before it.
 */
export function toolTurnProblem(r: RecordedRequest): string | undefined {
  const messages = (r.body?.['messages'] as unknown[] | undefined) ?? [];
  let open = new Set<string>();
  for (const [i, m] of messages.entries()) {
    if (!isObject(m)) continue;
    if (r.api === 'openai') {
      if (m['role'] === 'assistant') {
        open = new Set();
        for (const c of Array.isArray(m['tool_calls']) ? (m['tool_calls'] as unknown[]) : []) {
          if (!isObject(c) || typeof c['id'] !== 'string' || c['type'] !== 'function' || !isObject(c['function'])) return `messages[${i}].tool_calls: each call needs id, type "function" and function { name, arguments }`;
          if (typeof c['function']['arguments'] !== 'string') return `messages[${i}].tool_calls: function.arguments must be a string`;
          open.add(c['id']);
        }
      } else if (m['role'] === 'tool') {
        if (typeof m['tool_call_id'] !== 'string' || !open.has(m['tool_call_id'])) {
          return `messages[${i}]: messages with role 'tool' must be a response to a preceding message with 'tool_calls' (tool_call_id ${JSON.stringify(m['tool_call_id'])})`;
        }
      } else open = new Set();
      continue;
    }
    const blocks = Array.isArray(m['content']) ? (m['content'] as unknown[]).filter(isObject) : [];
    if (m['role'] === 'assistant') {
      open = new Set(blocks.filter((b) => b['type'] === 'tool_use' && typeof b['id'] === 'string').map((b) => b['id'] as string));
      for (const b of blocks) if (b['type'] === 'tool_use' && !isObject(b['input'])) return `messages.${i}.content: tool_use.input must be an object`;
    } else {
      for (const b of blocks) {
        if (b['type'] === 'tool_result' && (typeof b['tool_use_id'] !== 'string' || !open.has(b['tool_use_id']))) {
          return `messages.${i}.content: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(b['tool_use_id'])}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`;
        }
      }
      open = new Set();
    }
  }
  return undefined;
}
