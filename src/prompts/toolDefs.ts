import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { ConfigError, type Issue } from '../errors.js';
import type { JsonSchema, PromptTemplate, ToolChoice, ToolDefinition } from '../types.js';
import { valueHash } from '../util/hash.js';
import { yamlToJs } from '../util/yamlToJs.js';

/**
 * A template's `tools` and `toolChoice`, checked with the line of every problem:
 *  - `tools:` an inline list of `{ name, description?, parameters }`, or `{ file: path }` naming
 *    a YAML/JSON file (relative to the template file) that holds such a list, so several prompts
 *    share one definition; the file's text is hashed into the template's hash.
 *  - `toolChoice:` `auto`, `none`, `required`, or `{ name }` of a declared tool.
 * Names follow both APIs' rule (`[a-zA-Z0-9_-]{1,64}`), unique; `parameters` is a JSON Schema
 * of an object (`type: object`), as both APIs require of tool arguments.
 */

const NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const TOOL_KEYS = ['name', 'description', 'parameters'];
const CHOICES = ['auto', 'none', 'required'];

export interface ToolsField {
  tools?: ToolDefinition[];
  /** `{ file }`: absolute path of the shared definitions, read by `withToolsFile`. */
  toolsFile?: string;
  toolChoice?: ToolChoice;
  /** Line of `toolChoice`, to report a choice naming an unknown tool. */
  toolChoiceLine?: number;
}

interface NodeReader {
  file: string;
  doc: Document;
  lineOf(node: unknown): number;
}

/** Reads the `tools:` value (inline list or `{ file }`). */
export function readToolsNode(value: unknown, keyLine: number, r: NodeReader, issues: Issue[], out: ToolsField): void {
  const fail = (line: number, message: string): void => void issues.push({ file: r.file, line, message });
  if (isMap(value)) {
    const keys = value.items.map((p) => (isScalar(p.key) ? String(p.key.value) : ''));
    const fileNode = value.get('file', true);
    if (keys.length !== 1 || keys[0] !== 'file' || !isScalar(fileNode) || typeof fileNode.value !== 'string' || fileNode.value === '') {
      fail(keyLine, '"tools" must be a list of { name, description, parameters } or { file: path/to/tools.yaml } (relative to this template)');
      return;
    }
    out.toolsFile = path.resolve(path.dirname(r.file), fileNode.value);
    return;
  }
  if (!isSeq(value) || value.items.length === 0) {
    fail(keyLine, '"tools" must be a non-empty list of { name, description, parameters } or { file: path/to/tools.yaml }');
    return;
  }
  out.tools = readToolList(value.items, r, issues);
}

function readToolList(items: unknown[], r: NodeReader, issues: Issue[]): ToolDefinition[] {
  const fail = (line: number, message: string): void => void issues.push({ file: r.file, line, message });
  const tools: ToolDefinition[] = [];
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const where = `tools[${i}]`;
    const line = r.lineOf(item);
    if (!isMap(item)) return fail(line, `${where} must be a mapping { name, description, parameters }`);
    for (const p of item.items) {
      const key = isScalar(p.key) ? String(p.key.value) : '';
      if (!TOOL_KEYS.includes(key)) fail(r.lineOf(p.key), `unknown key "${key}" in ${where}; valid keys: ${TOOL_KEYS.join(', ')}`);
    }
    const nameNode = item.get('name', true);
    const name = isScalar(nameNode) && typeof nameNode.value === 'string' ? nameNode.value : undefined;
    if (name === undefined) return fail(line, `${where} has no "name" (letters, digits, _ and -, at most 64)`);
    if (!NAME.test(name)) return fail(r.lineOf(nameNode), `${where}.name "${name}" is not a valid tool name: use letters, digits, _ and - (at most 64)`);
    if (seen.has(name)) return fail(r.lineOf(nameNode), `${where}: tool "${name}" is declared twice; tool names must be unique`);
    seen.add(name);
    const tool: ToolDefinition = { name, parameters: { type: 'object', properties: {} } };
    const descNode = item.get('description', true);
    if (descNode !== undefined) {
      if (isScalar(descNode) && typeof descNode.value === 'string') tool.description = descNode.value;
      else fail(r.lineOf(descNode), `${where}.description must be text`);
    }
    const paramsNode = item.get('parameters', true) as Node | undefined;
    if (paramsNode === undefined) return fail(line, `${where} (tool "${name}") has no "parameters": give a JSON Schema, e.g. parameters: { type: object, properties: { id: { type: string } } }`);
    const converted = isMap(paramsNode) ? yamlToJs((o) => paramsNode.toJS(r.doc, o)) : undefined;
    if (!converted || !('value' in converted)) {
      return fail(r.lineOf(paramsNode), converted && 'problem' in converted ? `${where}.parameters: ${converted.problem}` : `${where}.parameters must be a JSON Schema object`);
    }
    const schema = converted.value as JsonSchema;
    if (schema['type'] !== 'object') return fail(r.lineOf(paramsNode), `${where}.parameters must be a JSON Schema of an object (type: object): tool arguments are always an object`);
    tool.parameters = schema;
    tools.push(tool);
  });
  return tools;
}

/** Reads the `toolChoice:` value; whether a named tool exists is checked once the tools are known. */
export function readToolChoiceNode(value: unknown, keyLine: number, file: string, issues: Issue[], out: ToolsField): void {
  out.toolChoiceLine = keyLine;
  if (isScalar(value) && typeof value.value === 'string' && CHOICES.includes(value.value)) {
    out.toolChoice = value.value as ToolChoice;
    return;
  }
  if (isMap(value) && value.items.length === 1) {
    const n = value.get('name', true);
    if (isScalar(n) && typeof n.value === 'string') {
      out.toolChoice = { name: n.value };
      return;
    }
  }
  issues.push({ file, line: keyLine, message: `"toolChoice" must be ${CHOICES.join(', ')} or { name: <a declared tool> }` });
}

/** A choice naming no declared tool, or a choice without tools. */
export function toolChoiceIssue(template: Pick<PromptTemplate, 'file' | 'tools' | 'toolChoice' | 'toolsFile'>, line: number | undefined): Issue | undefined {
  const { toolChoice: choice, tools } = template;
  if (choice === undefined) return undefined;
  if (!tools && !template.toolsFile) return { file: template.file, line: line ?? 1, message: '"toolChoice" is set but the template declares no "tools"' };
  if (typeof choice === 'object' && tools && !tools.some((t) => t.name === choice.name)) {
    return { file: template.file, line: line ?? 1, message: `"toolChoice" names tool "${choice.name}", which is not declared; tools: ${tools.map((t) => t.name).join(', ')}` };
  }
  return undefined;
}

/**
 * The template with the tools of its `tools: { file }` read in (and their text in its hash), or
 * a ConfigError naming the tools file and line.
 */
export async function withToolsFile(template: PromptTemplate): Promise<PromptTemplate> {
  const file = template.toolsFile;
  if (file === undefined) return template;
  const shown = path.relative(path.dirname(template.file), file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw ConfigError.at(template.file, 1, `tools file ${shown} not found (the path is relative to this template's folder)`);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineOf = (node: unknown): number => {
    const pos = (node as Node | null)?.range?.[0];
    return pos === undefined ? 1 : lineCounter.linePos(pos).line;
  };
  if (doc.errors.length > 0) throw new ConfigError(doc.errors.map((e) => ({ file, line: lineCounter.linePos(e.pos[0]).line, message: `YAML syntax error in the tools file: ${e.message.split('\n')[0]}` })));
  const root = doc.contents;
  const list = isMap(root) && root.has('tools') ? root.get('tools', true) : root;
  if (!isSeq(list) || list.items.length === 0) throw ConfigError.at(file, lineOf(root), 'a tools file must hold a non-empty list of { name, description, parameters }');
  const issues: Issue[] = [];
  const tools = readToolList(list.items, { file, doc, lineOf }, issues);
  if (issues.length > 0) throw new ConfigError(issues);
  const loaded: PromptTemplate = { ...template, tools, hash: valueHash({ file: template.hash, tools: text }) };
  const problem = toolChoiceIssue(loaded, undefined);
  if (problem) throw new ConfigError([problem]);
  return loaded;
}
