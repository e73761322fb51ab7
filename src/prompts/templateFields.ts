import { LineCounter, parseDocument, isMap, isScalar, isSeq, Scalar, type Document, type Node } from 'yaml';
import type { Issue } from '../errors.js';
import type { ChatMessage, JsonSchema, Role } from '../types.js';
import { yamlToJs } from '../util/yamlToJs.js';
import { readToolChoiceNode, readToolsNode, type ToolsField } from './toolDefs.js';

/**
 * Reads the YAML part of a prompt template (a whole .yaml template, or the front matter of a
 * .md/.txt one) into checked fields, with the file line of every problem and of every message's
 * content (so a Liquid error inside a message can point at its line in the file).
 */

export type TemplateKey = 'messages' | 'system' | 'params' | 'responseFormat' | 'description' | 'tools' | 'toolChoice';

export interface TemplateFields extends ToolsField {
  messages?: ChatMessage[];
  /** File line where each message's content text starts. */
  messageLines?: number[];
  system?: string;
  systemLine?: number;
  params: Record<string, unknown>;
  responseFormat?: JsonSchema;
  description?: string;
}

const ROLES: readonly Role[] = ['system', 'user', 'assistant'];
const MESSAGE_KEYS = ['role', 'content', 'cache'];

export interface ReadOptions {
  file: string;
  /** Keys this kind of template accepts. */
  keys: readonly TemplateKey[];
  /** Lines before `text` in the file (front matter starts after its `---` line). */
  lineOffset?: number;
  /** What the YAML is, for messages: "template" or "front matter". */
  what: string;
}

export function readTemplateFields(text: string, opts: ReadOptions): { fields: TemplateFields; issues: Issue[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const offset = opts.lineOffset ?? 0;
  const lineAt = (pos: number | undefined): number => (pos === undefined ? offset + 1 : lineCounter.linePos(pos).line + offset);
  const lineOf = (node: unknown): number => lineAt((node as Node | null)?.range?.[0]);
  const issues: Issue[] = [];
  const fail = (line: number, message: string): void => void issues.push({ file: opts.file, line, message });
  const fields: TemplateFields = { params: {} };

  if (doc.errors.length > 0) {
    for (const e of doc.errors) fail(lineAt(e.pos[0]), `YAML syntax error in the ${opts.what}: ${e.message.split('\n')[0]}`);
    return { fields, issues };
  }
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return { fields, issues };
  if (!isMap(root)) {
    fail(lineOf(root), `the ${opts.what} must be a mapping of keys (${opts.keys.join(', ')})`);
    return { fields, issues };
  }

  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const keyLine = lineOf(pair.key);
    const value = pair.value;
    if (!(opts.keys as readonly string[]).includes(key)) {
      fail(keyLine, `unknown key "${key}" in the ${opts.what}; valid keys: ${opts.keys.join(', ')}`);
      continue;
    }
    switch (key as TemplateKey) {
      case 'messages':
        readMessages(value, keyLine);
        break;
      case 'system': {
        const text = stringValue(value);
        if (text === undefined) fail(keyLine, `"system" must be text (the system message)`);
        else {
          fields.system = text;
          fields.systemLine = contentLine(value as Scalar);
        }
        break;
      }
      case 'params':
        if (!isMap(value)) fail(keyLine, `"params" must be a mapping of model parameters, e.g. params: { temperature: 0 }`);
        else {
          const params = toJsOr(value, keyLine, 'params');
          if (params !== undefined) fields.params = params as Record<string, unknown>;
        }
        break;
      case 'responseFormat':
        if (!isMap(value)) fail(keyLine, `"responseFormat" must be a JSON Schema object, e.g. responseFormat: { type: object, properties: {...} }`);
        else {
          const schema = toJsOr(value, keyLine, 'responseFormat');
          if (schema !== undefined) fields.responseFormat = schema as JsonSchema;
        }
        break;
      case 'description': {
        const text = stringValue(value);
        if (text === undefined) fail(keyLine, `"description" must be text`);
        else fields.description = text;
        break;
      }
      case 'tools':
        readToolsNode(value, keyLine, { file: opts.file, doc: doc as Document, lineOf }, issues, fields);
        break;
      case 'toolChoice':
        readToolChoiceNode(value, keyLine, opts.file, issues, fields);
        break;
    }
  }
  return { fields, issues };

  /** A node's plain value, or undefined with an issue when aliases expand too far. */
  function toJsOr(node: Node, line: number, what: string): unknown {
    const converted = yamlToJs((o) => node.toJS(doc as Document, o));
    if ('value' in converted) return converted.value;
    fail(line, `"${what}": ${converted.problem}`);
    return undefined;
  }

  function readMessages(value: unknown, keyLine: number): void {
    if (!isSeq(value) || value.items.length === 0) {
      fail(keyLine, `"messages" must be a non-empty list of { role, content } (role: ${ROLES.join(', ')})`);
      return;
    }
    const messages: ChatMessage[] = [];
    const lines: number[] = [];
    value.items.forEach((item, i) => {
      const where = `messages[${i}]`;
      const itemLine = lineOf(item);
      if (!isMap(item)) {
        fail(itemLine, `${where} must be a mapping { role, content }`);
        return;
      }
      let role: Role | undefined;
      let content: string | undefined;
      let cache: ChatMessage['cache'];
      let line = itemLine;
      for (const pair of item.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '';
        if (!MESSAGE_KEYS.includes(key)) {
          fail(lineOf(pair.key), `unknown key "${key}" in ${where}; valid keys: ${MESSAGE_KEYS.join(', ')}`);
        } else if (key === 'role') {
          const r = stringValue(pair.value);
          if (r !== undefined && (ROLES as readonly string[]).includes(r)) role = r as Role;
          else fail(lineOf(pair.value ?? pair.key), `${where}.role must be one of ${ROLES.join(', ')}${r === undefined ? '' : ` (got "${r}")`}`);
        } else if (key === 'cache') {
          const v = isScalar(pair.value) ? pair.value.value : undefined;
          if (v === true || v === '1h') cache = v;
          else if (v !== false) fail(lineOf(pair.value ?? pair.key), `${where}.cache must be true (cache for 5 minutes), 1h or false${v === undefined ? '' : ` (got ${JSON.stringify(v)})`}`);
        } else {
          content = stringValue(pair.value);
          if (content === undefined) fail(lineOf(pair.value ?? pair.key), `${where}.content must be text`);
          else line = contentLine(pair.value as Scalar);
        }
      }
      if (!item.items.some((p) => isScalar(p.key) && p.key.value === 'role')) fail(itemLine, `${where} has no "role" (one of ${ROLES.join(', ')})`);
      if (!item.items.some((p) => isScalar(p.key) && p.key.value === 'content')) fail(itemLine, `${where} has no "content"`);
      if (role !== undefined && content !== undefined) {
        messages.push(cache ? { role, content, cache } : { role, content });
        lines.push(line);
      }
    });
    fields.messages = messages;
    fields.messageLines = lines;
  }

  /** A block scalar's text starts on the line after its `|` or `>` indicator. */
  function contentLine(node: Scalar): number {
    const line = lineOf(node);
    return node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED ? line + 1 : line;
  }
}

/** Text of a scalar; numbers and booleans are not text here, so a typo does not pass silently. */
function stringValue(node: unknown): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}
