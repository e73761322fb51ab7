import path from 'node:path';
import { isFileRef, readStructured, readText } from './source.js';
import type { TestNote } from './tests.js';

/**
 * promptfoo prompts → llm-eval prompt templates (`prompts/<name>/v1.yaml`, a list of messages).
 * A prompt is inline text, a chat (a JSON list of `{ role, content }`), or a `file://` text or
 * chat file; a .txt file may hold several prompts separated by a line `---`, as in promptfoo.
 * Nunjucks `{{ var }}` is also Liquid, so the text is kept as written; `llm-eval validate` reports
 * any Nunjucks-only syntax.
 */

export interface ChatMessage {
  role: string;
  content: string;
}

export interface ImportedPrompt {
  name: string;
  messages: ChatMessage[];
}

function isChat(value: unknown): value is ChatMessage[] {
  return Array.isArray(value) && value.length > 0 && value.every((m) => m !== null && typeof m === 'object' && typeof (m as ChatMessage).role === 'string' && typeof (m as ChatMessage).content === 'string');
}

/** Text that is a JSON chat (promptfoo accepts a chat inline as JSON text), or one user message. */
function messagesOf(text: string): ChatMessage[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    try {
      const value: unknown = JSON.parse(trimmed);
      if (isChat(value)) return value.map(({ role, content }) => ({ role, content }));
    } catch {
      // Not JSON: a text prompt that starts with "[".
    }
  }
  return [{ role: 'user', content: text }];
}

export function promptNameOf(label: string): string {
  return label.toLowerCase().replace(/\.[a-z0-9]+$/, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'prompt';
}

export function importPrompts(prompts: unknown, dir: string, from: string, notes: TestNote[]): ImportedPrompt[] {
  const list = prompts === undefined ? [] : Array.isArray(prompts) ? prompts : [prompts];
  const out: ImportedPrompt[] = [];
  const taken = new Set<string>();
  const add = (label: string, messages: ChatMessage[]): void => {
    let name = promptNameOf(label);
    for (let k = 2; taken.has(name); k++) name = `${promptNameOf(label)}-${k}`;
    taken.add(name);
    out.push({ name, messages });
  };
  list.forEach((entry, i) => {
    const where = `prompts[${i}]`;
    let raw: unknown = entry;
    let label: string | undefined;
    if (entry !== null && typeof entry === 'object' && !Array.isArray(entry)) {
      const e = entry as { id?: unknown; raw?: unknown; label?: unknown };
      raw = e.raw ?? e.id;
      if (typeof e.label === 'string') label = e.label;
    }
    if (isChat(raw)) {
      add(label ?? `prompt-${i + 1}`, raw);
      return;
    }
    if (typeof raw !== 'string') {
      notes.push({ where, message: 'not a prompt text, file:// path or chat: skipped' });
      return;
    }
    if (!isFileRef(raw)) {
      add(label ?? `prompt-${i + 1}`, messagesOf(raw));
      return;
    }
    if (raw.includes('*')) {
      notes.push({ where, message: `${raw}: globs are not expanded; list the files` });
      return;
    }
    const base = label ?? path.basename(raw.slice('file://'.length));
    if (/\.(json|ya?ml)$/i.test(raw)) {
      const value = readStructured(raw, dir, from);
      if (isChat(value)) add(base, value);
      else notes.push({ where, message: `${raw}: not a list of { role, content } messages: skipped` });
      return;
    }
    if (/\.(txt|md|j2|prompt)$/i.test(raw)) {
      const parts = readText(raw, dir, from).split(/^---[ \t]*$/m).map((p) => p.trim()).filter((p) => p !== '');
      parts.forEach((text, k) => add(parts.length > 1 ? `${base}-${k + 1}` : base, messagesOf(text)));
      return;
    }
    notes.push({ where, message: `${raw}: prompt functions (.js/.py) cannot be imported; write the template out as text` });
  });
  return out;
}
