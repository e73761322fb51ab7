/**
 * The row encoding of report.html's embedded data, shared by the writer (payload.ts, in Node) and
 * the page's script (client/, in the browser): its types and the one function that decodes a delta.
 *
 * Row layout (ROW_FIELDS names the positions):
 *   [group, variant, repeat, status, score, output, grades, costUsd, latencyMs, tokens, cached, error, prompt, judgeCostUsd, ttftMs, toolCalls, conversation]
 * group   number: index of an earlier case group, or an object defining the next one:
 *         { s: suite, id: caseId, v: vars, e?: expected, t?: tags }
 * status  1 passed, 0 failed, 2 errored
 * output  a string, a string-table ref (number), [rowIndex] (same output as that row),
 *         [rowIndex, prefix, middle, suffix] (that row's output with its middle replaced: its first
 *         `prefix` and last `suffix` UTF-16 units around `middle`), or null
 * grades  [[grader, pass 0|1, score, reason], ...]
 * tokens  [input, output] or 0
 * error   [kind, message] or 0
 * toolCalls  the model's tool calls as `name(args)` lines (util/toolCallText.ts), or 0
 * conversation  [model calls, transcript text] for a conversation case (agent loop, turns), or 0
 * A "ref" field holds either a number (index into `strings`) or the string itself.
 */
export const ROW_FIELDS = ['group', 'variant', 'repeat', 'status', 'score', 'output', 'grades', 'costUsd', 'latencyMs', 'tokens', 'cached', 'error', 'prompt', 'judgeCostUsd', 'ttftMs', 'toolCalls', 'conversation'] as const;

export type Ref = number | string;

export interface GroupDef {
  s: Ref;
  id: string;
  v: Record<string, unknown>;
  e?: unknown;
  t?: Ref[];
}

export type EncodedOutput = Ref | [row: number] | [row: number, prefix: number, middle: string, suffix: number] | null;

/** Rebuilds an output stored as a difference from `base` (see EncodedOutput). */
export function applyOutputDelta(base: string, prefix: number, middle: string, suffix: number): string {
  return base.slice(0, prefix) + middle + base.slice(base.length - suffix);
}

export type EncodedGrade = [Ref, 0 | 1, number, Ref];
export type EncodedRow = [
  group: number | GroupDef,
  variant: Ref,
  repeat: number,
  status: 0 | 1 | 2,
  score: number,
  output: EncodedOutput,
  grades: EncodedGrade[],
  costUsd: number | null,
  latencyMs: number | null,
  tokens: [number, number] | 0,
  cached: 0 | 1,
  error: [Ref, Ref] | 0,
  prompt: Ref,
  judgeCostUsd: number | null,
  ttftMs: number | null,
  toolCalls: string[] | 0,
  conversation: [steps: number, transcript: string] | 0,
];
