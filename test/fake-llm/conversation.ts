/**
 * A scripted conversation for the fake server: the reply to a request is chosen by how many
 * tool-result turns the request already holds (0 → the first reply, 1 → the second, …; past the
 * end, the last reply). An agent loop re-sends the whole conversation at every step, so step N of
 * every case gets reply N, whatever order the cases' requests arrive in.
 *
 * A tool-result turn is a run of OpenAI `role: tool` messages, or an Anthropic user turn holding
 * `tool_result` blocks (one turn however many calls it answers).
 */
import type { FakeHandler, FakeReply, RecordedRequest } from './types.js';

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** How many tool-result turns the request's messages hold. */
export function toolResultTurns(r: RecordedRequest): number {
  const messages = (r.body?.['messages'] as unknown[] | undefined) ?? [];
  let turns = 0;
  let previousWasTool = false;
  for (const m of messages) {
    if (!isObject(m)) continue;
    const isTool =
      r.api === 'openai'
        ? m['role'] === 'tool'
        : m['role'] === 'user' && Array.isArray(m['content']) && (m['content'] as unknown[]).some((b) => isObject(b) && b['type'] === 'tool_result');
    if (isTool && (r.api === 'anthropic' || !previousWasTool)) turns++;
    previousWasTool = isTool;
  }
  return turns;
}

/** A handler playing `replies` in order along each conversation (see the file comment). */
export function scriptedConversation(replies: FakeReply[]): FakeHandler {
  if (replies.length === 0) throw new Error('scriptedConversation needs at least one reply');
  return (req) => replies[Math.min(toolResultTurns(req), replies.length - 1)]!;
}
