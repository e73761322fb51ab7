import type { ChatMessage, GraderConfig, RowToolResult, ScriptedTurn, ToolCall } from '../types.js';

/**
 * The conversation fields of a dataset row, checked: `messages` (a prior conversation),
 * `turns` (a multi-turn script) and `toolResults` (canned tool results for the agent loop).
 * They are data: no Liquid is applied to them (the prompt template's messages are the templates).
 * Each check returns the parsed value or a message naming the offending entry and the fix.
 */

export const CONVERSATION_KEYS = ['messages', 'turns', 'toolResults'] as const;

const ROLES = ['user', 'assistant', 'tool'];

type Checked<T> = { value: T } | { problem: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toolCallOf(raw: unknown, where: string, index: number): ToolCall | string {
  if (!isObject(raw) || typeof raw.name !== 'string' || raw.name === '') {
    return `${where}: each tool call needs a \`name\`, e.g. {"name": "lookup_order", "arguments": {"id": "A1"}}`;
  }
  const id = typeof raw.id === 'string' && raw.id !== '' ? raw.id : `call_${index + 1}`;
  const args = raw.arguments ?? {};
  if (typeof args === 'string') {
    const call: ToolCall = { id, name: raw.name, rawArguments: args };
    try {
      call.arguments = JSON.parse(args) as unknown;
    } catch {
      // Kept as raw text: a prior turn may show a malformed call on purpose.
    }
    return call;
  }
  return { id, name: raw.name, rawArguments: JSON.stringify(args), arguments: args };
}

/** `messages: [{ role, content, toolCalls?, toolCallId?, toolName? }]` → chat messages. */
export function checkMessages(raw: unknown): Checked<ChatMessage[]> {
  if (!Array.isArray(raw)) return { problem: '"messages" must be a list of turns, e.g. [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]' };
  const messages: ChatMessage[] = [];
  for (const [i, m] of raw.entries()) {
    const where = `messages[${i}]`;
    if (!isObject(m)) return { problem: `${where} must be an object with "role" and "content"` };
    if (typeof m.role !== 'string' || !ROLES.includes(m.role)) {
      const hint = m.role === 'system' ? ' (system messages come from the prompt template)' : '';
      return { problem: `${where}: "role" must be one of ${ROLES.join(', ')} (got ${JSON.stringify(m.role)})${hint}` };
    }
    const content = m.content ?? '';
    if (typeof content !== 'string') return { problem: `${where}: "content" must be a string` };
    const message: ChatMessage = { role: m.role as ChatMessage['role'], content };
    if (m.toolCalls !== undefined) {
      if (m.role !== 'assistant' || !Array.isArray(m.toolCalls)) return { problem: `${where}: "toolCalls" is a list, on an assistant turn only` };
      const calls: ToolCall[] = [];
      for (const [j, c] of m.toolCalls.entries()) {
        const call = toolCallOf(c, `${where}.toolCalls[${j}]`, j);
        if (typeof call === 'string') return { problem: call };
        calls.push(call);
      }
      message.toolCalls = calls;
    }
    if (m.role === 'tool') {
      if (typeof m.toolCallId !== 'string' || m.toolCallId === '') return { problem: `${where}: a tool turn needs "toolCallId", the id of the assistant's tool call it answers` };
      const answered = messages.flatMap((prior) => prior.toolCalls ?? []).find((c) => c.id === m.toolCallId);
      if (!answered) return { problem: `${where}: "toolCallId" ${JSON.stringify(m.toolCallId)} answers no earlier assistant tool call (give the call an "id")` };
      message.toolCallId = m.toolCallId;
      message.toolName = typeof m.toolName === 'string' ? m.toolName : answered.name;
    } else if (content === '' && !message.toolCalls) {
      return { problem: `${where}: "content" is empty` };
    }
    messages.push(message);
  }
  return { value: messages };
}

/** `turns: [{ user, graders? }]` → scripted turns (grader options are checked by the runner). */
export function checkTurns(raw: unknown): Checked<ScriptedTurn[]> {
  if (!Array.isArray(raw) || raw.length === 0) return { problem: '"turns" must be a non-empty list, e.g. [{"user": "hi"}, {"user": "and then?", "graders": [{"type": "contains", "value": "..."}]}]' };
  const turns: ScriptedTurn[] = [];
  for (const [i, t] of raw.entries()) {
    const where = `turns[${i}]`;
    if (!isObject(t)) return { problem: `${where} must be an object with "user"` };
    const unknown = Object.keys(t).find((k) => k !== 'user' && k !== 'graders');
    if (unknown) return { problem: `${where}: unknown key "${unknown}" (a turn has "user" and optional "graders")` };
    if (typeof t.user !== 'string' || t.user.trim() === '') return { problem: `${where}: "user" must be the user's message text` };
    const turn: ScriptedTurn = { user: t.user };
    if (t.graders !== undefined) {
      if (!Array.isArray(t.graders) || !t.graders.every((g) => isObject(g) && typeof g.type === 'string')) {
        return { problem: `${where}: "graders" must be a list of graders, e.g. [{"type": "contains", "value": "refund"}]` };
      }
      turn.graders = t.graders as GraderConfig[];
    }
    turns.push(turn);
  }
  return { value: turns };
}

/**
 * `toolResults` → a list matched in order. Two forms: a map `{ tool: result }` (the result of any
 * call of that tool), or a list `[{ tool, arguments?, result }]` (`arguments` matched as a subset).
 */
export function checkToolResults(raw: unknown): Checked<RowToolResult[]> {
  if (isObject(raw)) return { value: Object.entries(raw).map(([tool, result]) => ({ tool, result })) };
  if (!Array.isArray(raw)) return { problem: '"toolResults" must be a map {"lookup_order": {...}} or a list [{"tool": "lookup_order", "arguments": {"id": "A1"}, "result": {...}}]' };
  const results: RowToolResult[] = [];
  for (const [i, r] of raw.entries()) {
    const where = `toolResults[${i}]`;
    if (!isObject(r) || typeof r.tool !== 'string' || r.tool === '') return { problem: `${where} needs "tool" (the tool's name) and "result"` };
    if (!('result' in r)) return { problem: `${where} needs "result" (what the tool returns)` };
    const unknown = Object.keys(r).find((k) => !['tool', 'arguments', 'result'].includes(k));
    if (unknown) return { problem: `${where}: unknown key "${unknown}" (keys: tool, arguments, result)` };
    const entry: RowToolResult = { tool: r.tool, result: r.result };
    if (r.arguments !== undefined) {
      if (!isObject(r.arguments)) return { problem: `${where}: "arguments" must be an object (matched as a subset of the call's arguments)` };
      entry.arguments = r.arguments;
    }
    results.push(entry);
  }
  return { value: results };
}
