import path from 'node:path';
import { ConfigError, type Issue } from '../errors.js';
import type { ChatMessage, PromptTemplate } from '../types.js';
import { shortHash } from '../util/hash.js';
import { readTemplateFields, type TemplateFields } from './templateFields.js';
import { pushAll } from '../util/arrays.js';
import { toolChoiceIssue } from './toolDefs.js';

/**
 * Turns the bytes of one template file into a PromptTemplate, or a ConfigError listing every
 * problem in it with its line.
 *  - .yaml/.yml: `messages: [{role, content}]`, optional params, responseFormat, description,
 *    tools, toolChoice (see toolDefs.ts).
 *  - .md/.txt: the body is one user message; an optional front matter block (`---` … `---`)
 *    may add `system`, `params`, `responseFormat`, `description`, `tools`, `toolChoice`.
 */

export const TEMPLATE_EXTENSIONS = ['.yaml', '.yml', '.md', '.txt'] as const;

export function parseTemplateFile(file: string, bytes: Buffer, name: string, version: string): PromptTemplate {
  const text = stripBom(bytes.toString('utf8'));
  const ext = path.extname(file).toLowerCase();
  const { messages, messageLines, fields, issues } = ext === '.yaml' || ext === '.yml' ? fromYaml(file, text) : fromText(file, text);
  if (issues.length > 0) throw new ConfigError(issues);
  const template: PromptTemplate = {
    name,
    version,
    ref: `${name}@${version}`,
    file,
    hash: shortHash(bytes),
    messages,
    messageLines,
    params: fields.params,
  };
  if (fields.responseFormat !== undefined) template.responseFormat = fields.responseFormat;
  if (fields.description !== undefined) template.description = fields.description;
  if (fields.tools !== undefined) template.tools = fields.tools;
  if (fields.toolsFile !== undefined) template.toolsFile = fields.toolsFile;
  if (fields.toolChoice !== undefined) template.toolChoice = fields.toolChoice;
  const choice = toolChoiceIssue(template, fields.toolChoiceLine);
  if (choice) throw new ConfigError([choice]);
  return template;
}

interface Parsed {
  messages: ChatMessage[];
  messageLines: number[];
  fields: TemplateFields;
  issues: Issue[];
}

function fromYaml(file: string, text: string): Parsed {
  const { fields, issues } = readTemplateFields(text, {
    file,
    keys: ['messages', 'params', 'responseFormat', 'description', 'tools', 'toolChoice'],
    what: 'template',
  });
  if (fields.messages === undefined && issues.length === 0) {
    issues.push({ file, line: 1, message: 'the template has no "messages": add messages: [{ role: user, content: "..." }]' });
  }
  return { messages: fields.messages ?? [], messageLines: fields.messageLines ?? [], fields, issues };
}

// The front matter must open the file; its closing `---` ends a line of its own.
const FRONT_MATTER = /^---[ \t]*\r?\n((?:[\s\S]*?\r?\n)?)---[ \t]*(?:\r?\n|$)/;

function fromText(file: string, text: string): Parsed {
  let body = text;
  let bodyLine = 1;
  let fields: TemplateFields = { params: {} };
  const issues: Issue[] = [];
  const match = FRONT_MATTER.exec(text);
  if (match) {
    const read = readTemplateFields(match[1] ?? '', {
      file,
      keys: ['system', 'params', 'responseFormat', 'description', 'tools', 'toolChoice'],
      lineOffset: 1,
      what: 'front matter',
    });
    fields = read.fields;
    pushAll(issues, read.issues);
    body = text.slice(match[0].length);
    bodyLine = countLines(match[0]) + 1;
  } else if (/^---[ \t]*\r?\n/.test(text)) {
    issues.push({ file, line: 1, message: 'the front matter opened with "---" is never closed: end it with a line holding only "---"' });
  }
  // Leading blank lines and the editor's final newline are layout, not prompt text.
  const leading = /^(?:[ \t]*\r?\n)*/.exec(body)?.[0] ?? '';
  bodyLine += countLines(leading);
  body = body.slice(leading.length).trimEnd();
  if (body === '' && issues.length === 0) {
    issues.push({ file, line: bodyLine, message: 'the template has no text: write the user message below the front matter' });
  }
  const messages: ChatMessage[] = [];
  const messageLines: number[] = [];
  if (fields.system !== undefined) {
    messages.push({ role: 'system', content: fields.system });
    messageLines.push(fields.systemLine ?? 1);
  }
  messages.push({ role: 'user', content: body });
  messageLines.push(bodyLine);
  return { messages, messageLines, fields, issues };
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
