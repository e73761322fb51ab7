import type { ChatMessage, DatasetRow } from '../types.js';
import { transcriptText } from '../util/transcript.js';

/**
 * The Liquid scope of graders' templates for one case, built in one place for run, rescore,
 * calibrate, the dry run, pairwise judges and the test harness: the row's vars at the top level,
 * then the named fields (`vars`, `expected`, `row`, `output`, `transcript` when the conversation
 * is known, and extras such as `canary`), which win over a var of the same name. `output` is null
 * where there is no one output (pairwise compares two): the scope then has no `output`.
 * `transcript` is the conversation as text (util/transcript.ts): turns, tool calls and tool
 * results, for conversation-level rubrics.
 */
export function graderScope(
  row: Pick<DatasetRow, 'id' | 'vars' | 'expected' | 'tags'>,
  output: string | null,
  extra: Record<string, unknown> = {},
  transcript?: readonly ChatMessage[],
): Record<string, unknown> {
  const scope: Record<string, unknown> = { ...row.vars };
  scope['vars'] = row.vars;
  scope['expected'] = row.expected;
  scope['row'] = { id: row.id, tags: row.tags ?? [] };
  if (output !== null) scope['output'] = output;
  if (transcript) scope['transcript'] = transcriptText(transcript);
  for (const [key, value] of Object.entries(extra)) scope[key] = value;
  return scope;
}
