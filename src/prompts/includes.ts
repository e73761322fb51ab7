import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, displayFile } from '../errors.js';
import type { PromptTemplate } from '../types.js';
import { valueHash } from '../util/hash.js';

/**
 * `{% include %}`, `{% render %}` and `{% layout %}` in prompt templates: they resolve only
 * inside the prompts folder (PromptRenderer's Liquid root), never against the working
 * directory, where `.env` lives. At load, every partial named by a literal string is read
 * (nested ones too), checked to lie inside the prompts folder, and hashed into the template's
 * hash: editing an included file is a prompt change. A name held in a variable can only be
 * resolved, and confined, at render time.
 */

const PARTIAL_TAG = /{%-?\s*(include|render|layout)\s+(["'])([^"'\n]+)\2/g;

/** Nested partials deeper than this are a loop (a partial including itself) or a bomb. */
const MAX_DEPTH = 10;

interface PartialFile {
  /** Path relative to the prompts folder, `/`-separated: part of the hash. */
  rel: string;
  text: string;
}

interface Site {
  file: string;
  line: number;
}

/** How liquidjs resolves a partial: `./x` and `../x` against the including partial, else the root. */
function resolvePartial(name: string, root: string, includingFile: string | undefined): string {
  const relative = name.startsWith('./') || name.startsWith('../');
  return path.resolve(relative && includingFile ? path.dirname(includingFile) : root, name);
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

async function inside(realRoot: string, file: string): Promise<string | undefined> {
  let real: string;
  try {
    real = await realpath(file);
  } catch {
    return undefined;
  }
  return real.startsWith(realRoot + path.sep) ? real : undefined;
}

async function collect(source: string, site: (index: number) => Site, root: string, realRoot: string, includingFile: string | undefined, depth: number, out: Map<string, PartialFile>): Promise<void> {
  for (const m of source.matchAll(PARTIAL_TAG)) {
    const [, tag, , name] = m as unknown as [string, string, string, string];
    const where = site(m.index);
    const target = resolvePartial(name, root, includingFile);
    const real = await inside(realRoot, target);
    if (real === undefined) {
      const why = path.relative(root, target).startsWith('..') || path.isAbsolute(name) ? 'is outside' : 'is not a file inside';
      throw ConfigError.at(
        where.file,
        where.line,
        `{% ${tag} "${name}" %} ${why} the prompts folder (${displayFile(root)}): includes and renders resolve only inside it; move the partial there`,
      );
    }
    if (out.has(real)) continue;
    if (depth >= MAX_DEPTH) throw ConfigError.at(where.file, where.line, `{% ${tag} "${name}" %} nests partials more than ${MAX_DEPTH} deep (a partial including itself?)`);
    const text = await readFile(real, 'utf8').catch(() => {
      throw ConfigError.at(where.file, where.line, `{% ${tag} "${name}" %}: cannot read ${displayFile(target)}`);
    });
    out.set(real, { rel: path.relative(realRoot, real).split(path.sep).join('/'), text });
    await collect(text, (i) => ({ file: target, line: lineAt(text, i) }), root, realRoot, target, depth + 1, out);
  }
}

/**
 * The template with its hash covering every partial it names literally; a ConfigError at the
 * tag's FILE:LINE when one is missing or outside `promptsDir`. Templates without partials keep
 * the hash of their file's bytes.
 */
export async function withIncludedPartials(template: PromptTemplate, promptsDir: string): Promise<PromptTemplate> {
  if (!template.messages.some((m) => m.content.includes('{%'))) return template;
  const root = path.resolve(promptsDir);
  const realRoot = await realpath(root).catch(() => root);
  const partials = new Map<string, PartialFile>();
  for (let i = 0; i < template.messages.length; i++) {
    const content = template.messages[i]!.content;
    const start = template.messageLines?.[i] ?? 0;
    await collect(content, (index) => ({ file: template.file, line: start > 0 ? start + lineAt(content, index) - 1 : 0 }), root, realRoot, undefined, 0, partials);
  }
  if (partials.size === 0) return template;
  const included = [...partials.values()].sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return { ...template, hash: valueHash({ file: template.hash, partials: included.map((p) => [p.rel, p.text]) }) };
}
