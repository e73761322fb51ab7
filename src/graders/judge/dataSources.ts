import { GraderError } from '../../errors.js';
import type { ChatMessage, GradeContext, GraderEnv } from '../../types.js';
import type { JudgeData } from './prompt.js';
import type { RubricNeed } from './rubrics.js';

/**
 * Where a judge's data comes from, decided once per grader:
 *  - input: the `input` option (a Liquid template), else the conversation the candidate was
 *    given (its rendered non-system messages), else the row's vars; `input: false` omits it;
 *  - reference: the `reference` option, else the row's `expected` when it has one; `false` omits it;
 *  - context: the `context` option only (e.g. "{{ documents }}").
 * Templates render against the case's scope without `output`: the output only ever reaches the
 * judge through its own fence.
 */

export interface DataOptions {
  input?: string | boolean;
  reference?: string | boolean;
  context?: string;
}

/** What a data source renders from: the row scope and, for the default input, the prompt messages. */
export interface DataScope {
  scope: Record<string, unknown>;
  vars: Record<string, unknown>;
  expected?: unknown;
  messages: ChatMessage[];
  caseId: string;
}

export type DataSource = (s: DataScope) => JudgeData;

/** A value as the judge should read it: text as is, a list of texts one per paragraph, anything else as JSON. */
export function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join('\n\n');
  return JSON.stringify(value, null, 2) ?? String(value);
}

/** `{{ documents }}` or `{{ doc.chunks }}`: one variable, no filters, taken as a value rather than printed. */
const SINGLE_VARIABLE = /^\{\{-?\s*([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)\s*-?\}\}$/;

function lookup(scope: Record<string, unknown>, dotted: string): { found: boolean; value?: unknown } {
  let value: unknown = scope;
  for (const key of dotted.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return { found: false };
    value = (value as Record<string, unknown>)[key];
  }
  return { found: true, value };
}

/** Renders one data template option for a case; a problem is a GraderError naming the option. */
function templateSource(source: string, option: string, env: GraderEnv, grader: string): (scope: Record<string, unknown>, caseId: string) => string {
  const single = SINGLE_VARIABLE.exec(source.trim());
  return (scope, caseId) => {
    if (single) {
      const hit = lookup(scope, single[1]!);
      if (!hit.found || hit.value === undefined || hit.value === null) {
        throw new GraderError(grader, `\`${option}\` (${JSON.stringify(source)}) is empty for case ${caseId}: the row has no ${single[1]}`);
      }
      return valueText(hit.value);
    }
    try {
      return env.render(source, scope);
    } catch (err) {
      throw new GraderError(grader, `cannot render \`${option}\` (${JSON.stringify(source)}) for case ${caseId}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
}

/** The conversation the candidate answered, minus its system prompt. */
export function conversationText(messages: ChatMessage[]): string | undefined {
  const turns = messages.filter((m) => m.role !== 'system');
  if (turns.length === 0) return undefined;
  if (turns.length === 1) return turns[0]!.content;
  return turns.map((m) => `[${m.role}]\n${m.content}`).join('\n\n');
}

function varsText(vars: Record<string, unknown>): string | undefined {
  const entries = Object.entries(vars).filter(([k]) => k !== 'output');
  if (entries.length === 0) return undefined;
  return entries.map(([k, v]) => `${k}: ${valueText(v)}`).join('\n');
}

export function dataSource(options: DataOptions, needs: RubricNeed[], env: GraderEnv, grader: string): DataSource {
  const input = typeof options.input === 'string' ? templateSource(options.input, 'input', env, grader) : undefined;
  const reference = typeof options.reference === 'string' ? templateSource(options.reference, 'reference', env, grader) : undefined;
  const context = typeof options.context === 'string' ? templateSource(options.context, 'context', env, grader) : undefined;
  return (s) => {
    const data: JudgeData = {};
    if (input) data.input = input(s.scope, s.caseId);
    else if (options.input !== false) {
      const text = conversationText(s.messages) ?? varsText(s.vars);
      if (text !== undefined) data.input = text;
    }
    if (reference) data.reference = reference(s.scope, s.caseId);
    else if (options.reference !== false && s.expected !== undefined && s.expected !== null) data.reference = valueText(s.expected);
    if (context) data.context = context(s.scope, s.caseId);
    if (needs.includes('reference') && data.reference === undefined) {
      throw new GraderError(grader, `case ${s.caseId} has no reference answer: the rubric compares against one; give the row an \`expected\`, or set \`reference\``);
    }
    if (needs.includes('context') && data.context === undefined) {
      throw new GraderError(grader, 'the rubric checks the output against context: set `context`, e.g. context: "{{ documents }}"');
    }
    return data;
  };
}

/** The scope a grader's own templates (rubric, data) render against: the case's, without `output`. */
export function scopeWithoutOutput(ctx: Pick<GradeContext, 'scope'>): Record<string, unknown> {
  const { output: _output, ...rest } = ctx.scope;
  return rest;
}
