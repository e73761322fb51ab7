import { existsSync, readdirSync } from 'node:fs';
import { copyFile, mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors.js';
import { refuseOverwrite } from './projectFiles.js';
import { pushAll } from '../util/arrays.js';

/** The package root (two levels above dist/init or src/init). */
const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Templates are the shipped example projects: examples/<name>/ and templates/<name>/. */
const TEMPLATE_ROOTS = ['examples', 'templates'].map((d) => path.join(packageRoot, d));
/** Run output and caches are never part of a template. */
const SKIP = new Set(['reports', '.llm-eval', 'node_modules']);

export function initTemplates(): string[] {
  const names = new Set<string>();
  for (const root of TEMPLATE_ROOTS) {
    if (!existsSync(root)) continue;
    for (const d of readdirSync(root, { withFileTypes: true })) {
      if (d.isDirectory() && existsSync(path.join(root, d.name, 'llm-eval.yaml'))) names.add(d.name);
    }
  }
  return [...names].sort();
}

function templateDir(name: string): string {
  for (const root of TEMPLATE_ROOTS) {
    const dir = path.join(root, name);
    if (existsSync(path.join(dir, 'llm-eval.yaml'))) return dir;
  }
  throw new UsageError(`--template ${name}: no such template (templates: ${initTemplates().join(', ')})`);
}

async function listFiles(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const r = path.join(rel, entry.name);
    if (entry.isDirectory()) pushAll(out, (await listFiles(dir, r)));
    else out.push(r);
  }
  return out;
}

/**
 * Copies a template project into `dir`. Refuses to overwrite any existing file unless `force`,
 * and checks all files before writing one, so a refused init leaves nothing half-written.
 */
export async function initProject(opts: { template: string; dir: string; force: boolean }): Promise<string[]> {
  const from = templateDir(opts.template);
  const to = path.resolve(opts.dir);
  const existing = await stat(to).catch(() => null);
  if (existing && !existing.isDirectory()) throw new UsageError(`--dir ${to} is a file, not a folder: choose a folder for the new project.`);
  const files = await listFiles(from);
  refuseOverwrite('init', to, files, opts.force);
  for (const f of files) {
    try {
      await mkdir(path.dirname(path.join(to, f)), { recursive: true });
      await copyFile(path.join(from, f), path.join(to, f));
    } catch (err) {
      // A file where a folder must go (ENOTDIR, EEXIST), no permission (EACCES): say where.
      const code = (err as NodeJS.ErrnoException).code ?? String(err);
      throw new UsageError(`init cannot write ${path.join(to, f)} (${code}): is part of that path a file, or read-only? Choose another --dir.`);
    }
  }
  return files;
}
