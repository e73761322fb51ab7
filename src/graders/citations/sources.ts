import { GraderError } from '../../errors.js';
import { kindOf } from '../text.js';
import { normaliseId } from './extract.js';

/** One source document a row provides for the output to cite. */
export interface Source {
  id: string;
  text: string;
}

/** Where the sources are looked for when the grader has no `sources` option, in order. */
export const DEFAULT_SOURCE_PATHS = ['vars.sources', 'vars.documents'];

/**
 * A `sources` option as a path into the case's scope: `vars.documents`, `documents`,
 * `vars.retrieval.hits`, `docs[0].chunks`, or the same wrapped in `{{ }}` (the way other options
 * name row fields). Only a path: the grader needs the structured value, not its rendered text.
 */
export function parseSourcePath(option: string): string[] | undefined {
  const bare = option.trim().replace(/^\{\{\s*/, '').replace(/\s*\}\}$/, '');
  if (!/^[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*|\[\d+\])*$/.test(bare)) return undefined;
  return bare.split(/\.|\[(\d+)\]/).filter((p): p is string => p !== undefined && p !== '');
}

export function lookup(scope: Record<string, unknown>, path: string[]): unknown {
  let value: unknown = scope;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

const ID_FIELDS = ['id', 'doc_id', 'docId', 'source_id', 'key'];
const TEXT_FIELDS = ['text', 'content', 'body', 'passage', 'snippet', 'chunk', 'page_content', 'pageContent'];

function fieldOf(obj: Record<string, unknown>, fields: string[]): string | undefined {
  for (const f of fields) {
    const v = obj[f];
    if (typeof v === 'string' || typeof v === 'number') return String(v);
  }
  return undefined;
}

function sourceFrom(value: unknown, fallbackId: string, grader: string, where: string): Source {
  if (typeof value === 'string') return { id: fallbackId, text: value };
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    const text = fieldOf(obj, TEXT_FIELDS) ?? '';
    const title = typeof obj['title'] === 'string' ? obj['title'] : undefined;
    return { id: fieldOf(obj, ID_FIELDS) ?? fallbackId, text: title && !text.startsWith(title) ? `${title}\n${text}` : text };
  }
  throw new GraderError(grader, `${where} is ${kindOf(value)}; a source is a string or an object like { id, text }`);
}

/**
 * Reads a row's sources: a list of `{ id, text }` objects (also `content`, `body`, `page_content`
 * for the text; a missing id is the 1-based position), a list of strings (ids 1, 2, 3…), or an
 * object mapping id → text or id → { text }.
 */
export function toSources(value: unknown, grader: string, where: string): Source[] {
  if (Array.isArray(value)) return value.map((v, i) => sourceFrom(v, String(i + 1), grader, `${where}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).map(([id, v]) => ({ ...sourceFrom(v, id, grader, `${where}.${id}`), id }));
  }
  throw new GraderError(grader, `${where} is ${kindOf(value)}; the sources must be a list of { id, text } or an object mapping id → text`);
}

/**
 * Finds a cited id among the sources: by id (normalised: `doc1` = `doc-01` = `Doc_1`), else a bare
 * number by 1-based position.
 */
export function sourceResolver(sources: Source[], ordered: boolean): (id: string) => Source | undefined {
  const byId = new Map(sources.map((s) => [normaliseId(s.id), s]));
  return (id) => {
    const hit = byId.get(normaliseId(id));
    if (hit) return hit;
    // "[2]" usually means "the second document" when the prompt listed documents in order.
    const n = /^(?:(?:source|src|ref|doc(?:ument)?)[\s_#-]*)?(\d+)$/i.exec(id.trim())?.[1];
    if (ordered && n !== undefined) return sources[Number(n) - 1];
    return undefined;
  };
}
