import type { Issue } from '../errors.js';
import type { ChatMessage, RowToolResult, ScriptedTurn } from '../types.js';
import { CONVERSATION_KEYS, checkMessages, checkToolResults, checkTurns } from './conversation.js';

/**
 * One raw record (a parsed JSON/YAML object, or a CSV record) → the parts of a DatasetRow.
 * Two shapes (SPEC "Datasets"):
 *  - structured: `{ id?, vars: {...}, expected?, tags?, human? }` (recognised by its `vars` key);
 *  - flat: every key is a var, except id, expected / __expected, tags and human (and, outside
 *    CSV, the conversation keys messages, turns and toolResults: datasets/conversation.ts).
 */

export interface RowParts {
  /** The explicit id as written (string or number), if any. */
  explicitId?: string | number;
  vars: Record<string, unknown>;
  expected?: unknown;
  tags?: string[];
  human?: unknown;
  messages?: ChatMessage[];
  turns?: ScriptedTurn[];
  toolResults?: RowToolResult[];
}

const STRUCTURED_KEYS = ['id', 'vars', 'expected', 'tags', 'human', ...CONVERSATION_KEYS];
const FLAT_RESERVED = new Set(['id', 'expected', '__expected', 'tags', 'human']);
/** Outside CSV, the conversation keys are not vars either. */
const FLAT_RESERVED_WITH_CONVERSATION = new Set([...FLAT_RESERVED, ...CONVERSATION_KEYS]);

export interface RowSource {
  file: string;
  /** Line of the row. */
  line: number;
  /** Line of one of its keys, where the format knows it (YAML, JSON); else the row's line. */
  lineOf?: (key: string) => number;
}

/** `flat`: the format has only the flat shape (CSV), so a `vars` column is a var like any other. */
export function rowParts(raw: unknown, src: RowSource, opts: { flat?: boolean } = {}): RowParts | Issue {
  const at = (key: string | undefined, message: string): Issue => ({
    file: src.file,
    line: key !== undefined && src.lineOf ? src.lineOf(key) : src.line,
    message,
  });
  if (!isPlainObject(raw)) {
    return at(undefined, `a row must be an object, e.g. {"vars": {"question": "..."}, "expected": "..."} (got ${describe(raw)})`);
  }

  let parts: RowParts;
  if (!opts.flat && Object.hasOwn(raw, 'vars')) {
    const unknown = Object.keys(raw).filter((k) => !STRUCTURED_KEYS.includes(k));
    if (unknown.length > 0) {
      return at(
        unknown[0],
        `unknown key "${unknown[0]}" in a row with "vars"; valid keys: ${STRUCTURED_KEYS.join(', ')} (move inputs into "vars")`,
      );
    }
    if (!isPlainObject(raw.vars)) return at('vars', `"vars" must be an object of variable names to values (got ${describe(raw.vars)})`);
    parts = { vars: raw.vars };
    if (raw.expected !== undefined) parts.expected = raw.expected;
  } else {
    if (raw.expected !== undefined && raw.__expected !== undefined) {
      return at('__expected', 'the row has both "expected" and "__expected": keep one');
    }
    const vars: Record<string, unknown> = {};
    const reserved = opts.flat ? FLAT_RESERVED : FLAT_RESERVED_WITH_CONVERSATION;
    for (const [key, value] of Object.entries(raw)) if (!reserved.has(key)) vars[key] = value;
    parts = { vars };
    const expected = raw.expected !== undefined ? raw.expected : raw.__expected;
    if (expected !== undefined) parts.expected = expected;
  }

  const id = raw.id;
  if (id !== undefined && id !== null && id !== '') {
    if (typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id))) parts.explicitId = id;
    else return at('id', `"id" must be a string or a number (got ${describe(id)})`);
  }
  if (raw.tags !== undefined && raw.tags !== null) {
    const tags = toTags(raw.tags);
    if (tags === undefined) return at('tags', `"tags" must be a list of strings, e.g. ["billing", "urgent"] (got ${describe(raw.tags)})`);
    if (tags.length > 0) parts.tags = tags;
  }
  if (raw.human !== undefined) parts.human = raw.human;
  if (!opts.flat) {
    const problem = conversationParts(raw, parts);
    if (problem) return at(problem.key, problem.message);
  }
  return parts;
}

/** Reads `messages`, `turns` and `toolResults` into `parts`; the first problem, at its key. */
function conversationParts(raw: Record<string, unknown>, parts: RowParts): { key: string; message: string } | undefined {
  if (raw.messages !== undefined) {
    const checked = checkMessages(raw.messages);
    if ('problem' in checked) return { key: 'messages', message: checked.problem };
    if (checked.value.length > 0) parts.messages = checked.value;
  }
  if (raw.turns !== undefined) {
    const checked = checkTurns(raw.turns);
    if ('problem' in checked) return { key: 'turns', message: checked.problem };
    parts.turns = checked.value;
  }
  if (raw.toolResults !== undefined) {
    const checked = checkToolResults(raw.toolResults);
    if ('problem' in checked) return { key: 'toolResults', message: checked.problem };
    parts.toolResults = checked.value;
  }
  return undefined;
}

/** Tags as a list of strings; a single string is split on `,`, `;` or `|` (the CSV way). */
export function toTags(value: unknown): string[] | undefined {
  if (typeof value === 'string') return splitTags(value);
  if (Array.isArray(value) && value.every((t) => typeof t === 'string')) return value.map((t) => t.trim()).filter(Boolean);
  return undefined;
}

export function splitTags(text: string): string[] {
  return text
    .split(/[,;|]/)
    .map((t) => t.trim())
    .filter(Boolean);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return `${typeof value} ${text.length > 40 ? text.slice(0, 37) + '...' : text}`;
}
