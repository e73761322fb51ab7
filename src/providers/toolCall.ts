import type { ToolCall } from '../types.js';

/**
 * One tool call as the model sent it: the raw arguments text always kept, the parsed
 * arguments only when that text is valid JSON (a model can send broken JSON; a grader then
 * reports it instead of the run failing).
 */
export function toolCallOf(id: string, name: string, rawArguments: string): ToolCall {
  const call: ToolCall = { id, name, rawArguments };
  try {
    call.arguments = JSON.parse(rawArguments === '' ? '{}' : rawArguments) as unknown;
  } catch {
    // Not JSON: `arguments` stays absent, `rawArguments` tells what was sent.
  }
  return call;
}

/** The arguments of a call to send back in a conversation's history: parsed, else parsed raw text, else `{}`. */
export function callArguments(call: ToolCall): unknown {
  if (call.arguments !== undefined) return call.arguments;
  try {
    return JSON.parse(call.rawArguments) as unknown;
  } catch {
    return {};
  }
}
