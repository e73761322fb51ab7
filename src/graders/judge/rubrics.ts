import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { shortHash } from '../../util/hash.js';

/**
 * Rubrics: the grading criteria a judge applies. A rubric is text (a Liquid template over the
 * row's vars and expected), never the whole judge prompt: the frame around it (the data fences,
 * the verdict format) is always llm-eval's, so no rubric can un-fence the output.
 *
 * Built-in rubrics are plain files in the package's templates/rubrics/, so a user can read one
 * and copy it into their project (`rubricFile: rubrics/my-factuality.md`). A rubric file may open
 * with front matter:
 *
 *   ---
 *   description: one line for docs
 *   needs: [reference]      # reference and/or context: the judge refuses to grade without them
 *   ---
 */

export const BUILTIN_RUBRICS = ['factuality', 'closed-qa', 'relevance', 'faithfulness', 'tone'] as const;
export type BuiltinRubric = (typeof BUILTIN_RUBRICS)[number];

export type RubricNeed = 'reference' | 'context';

export interface Rubric {
  /** Where it came from, with a content hash: `builtin:factuality#…`, `file:x.md#…`, `inline#…`. */
  id: string;
  /** The criteria, Liquid source. */
  text: string;
  needs: RubricNeed[];
  description?: string;
}

/** templates/rubrics at the package root: two levels above graders/judge in src/ and in dist/. */
export function rubricsDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return path.resolve(here, '..', '..', '..', 'templates', 'rubrics');
}

export function builtinRubricFile(name: BuiltinRubric): string {
  return path.join(rubricsDir(), `${name}.md`);
}

const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/** Splits a rubric file into its criteria and front matter; throws an Error naming the problem. */
export function parseRubricText(source: string, id: string): Rubric {
  const text = source.replace(/^\uFEFF/, '');
  const match = FRONT_MATTER.exec(text);
  const body = (match ? text.slice(match[0].length) : text).trim();
  if (body === '') throw new Error('the rubric is empty');
  const rubric: Rubric = { id: `${id}#${shortHash(body)}`, text: body, needs: [] };
  if (!match) return rubric;
  const meta: unknown = parseYaml(match[1] ?? '');
  if (meta === null || meta === undefined) return rubric;
  if (typeof meta !== 'object' || Array.isArray(meta)) throw new Error('the front matter must be a mapping (description, needs)');
  const { description, needs } = meta as { description?: unknown; needs?: unknown };
  if (typeof description === 'string') rubric.description = description;
  if (needs !== undefined) {
    const list = Array.isArray(needs) ? needs : [needs];
    for (const n of list) {
      if (n !== 'reference' && n !== 'context') throw new Error(`front matter \`needs\` lists ${JSON.stringify(n)}; it may list reference and context`);
      rubric.needs.push(n);
    }
  }
  return rubric;
}

const builtinCache = new Map<BuiltinRubric, Rubric>();

export function loadBuiltinRubric(name: BuiltinRubric): Rubric {
  let rubric = builtinCache.get(name);
  if (!rubric) {
    rubric = parseRubricText(readFileSync(builtinRubricFile(name), 'utf8'), `builtin:${name}`);
    builtinCache.set(name, rubric);
  }
  return rubric;
}

/** A rubric file, relative to the folder of llm-eval.yaml. */
export function loadRubricFile(file: string, configDir: string): Rubric {
  const full = path.resolve(configDir, file);
  if (!existsSync(full)) throw new Error(`rubric file ${file} not found (paths are relative to the folder of llm-eval.yaml)`);
  try {
    return parseRubricText(readFileSync(full, 'utf8'), `file:${file}`);
  } catch (err) {
    throw new Error(`rubric file ${file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

export function inlineRubric(text: string): Rubric {
  return parseRubricText(text, 'inline');
}
