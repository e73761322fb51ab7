import type { ToolCall } from '../types.js';

/**
 * A tool call as one line of text, `lookup_order({"order_id":"A-17"})`: the arguments exactly as
 * the model sent them (invalid JSON shows as sent), cut at `max` characters. The one way grade
 * reasons and every report (terminal, summary.md, JUnit, HTML) write a call.
 */
export function toolCallText(call: Pick<ToolCall, 'name' | 'rawArguments'>, max = 200): string {
  const args = call.rawArguments.replace(/\s*\n\s*/g, ' ');
  const shown = args.length > max ? `${args.slice(0, max - 1)}…` : args;
  return `${call.name}(${shown})`;
}

/** Several calls on one line, in order: `a({…}), b({…})`; `(no tool calls)` for none. */
export function toolCallsText(calls: ReadonlyArray<Pick<ToolCall, 'name' | 'rawArguments'>> | undefined, max = 200): string {
  if (!calls || calls.length === 0) return '(no tool calls)';
  return calls.map((c) => toolCallText(c, max)).join(', ');
}
