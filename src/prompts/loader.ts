import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import type { PromptTemplate } from '../types.js';
import { withIncludedPartials } from './includes.js';
import { parseTemplateFile, TEMPLATE_EXTENSIONS } from './parseTemplate.js';
import { compareVersions, parsePromptRef } from './ref.js';
import { withToolsFile } from './toolDefs.js';

/**
 * Finds and loads versioned templates: prompts/<name>/<version>.{yaml,yml,md,txt}.
 * A reference is `name` (the latest version in natural order: v2 < v10) or `name@version`.
 */

export interface LoadOptions {
  /** Reuse a template already loaded in this process (default true). Tests that edit files pass false. */
  cache?: boolean;
}

const cache = new Map<string, Promise<PromptTemplate>>();

/** Forgets every loaded template, so the next load reads the files again. */
export function clearPromptTemplateCache(): void {
  cache.clear();
}

/** Names of the prompts in `promptsDir` (folders holding at least one template file), sorted. */
export async function listPrompts(promptsDir: string): Promise<string[]> {
  const entries = await readdir(promptsDir, { withFileTypes: true }).catch(() => []);
  const names: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    if ((await versionFiles(path.join(promptsDir, entry.name))).size > 0) names.push(entry.name);
  }
  return names.sort(compareVersions);
}

/** Versions of prompt `name`, oldest first (natural order). Unknown prompt: ConfigError listing the prompts. */
export async function listPromptVersions(promptsDir: string, name: string): Promise<string[]> {
  const files = await versionFiles(path.join(promptsDir, name));
  if (files.size === 0) throw await unknownPrompt(promptsDir, name);
  return [...files.keys()].sort(compareVersions);
}

export async function loadPromptTemplate(promptsDir: string, ref: string, opts: LoadOptions = {}): Promise<PromptTemplate> {
  if (opts.cache === false) return readTemplate(promptsDir, ref);
  const key = `${path.resolve(promptsDir)}\u0000${ref}`;
  let loading = cache.get(key);
  if (!loading) {
    loading = readTemplate(promptsDir, ref);
    cache.set(key, loading);
    // A failed load is not remembered: the user may fix the file and retry in the same process.
    loading.catch(() => cache.delete(key));
  }
  return loading;
}

async function readTemplate(promptsDir: string, ref: string): Promise<PromptTemplate> {
  const parsed = parsePromptRef(ref);
  if ('error' in parsed) throw ConfigError.at(promptsDir, 0, parsed.error);
  const { name } = parsed;
  const files = await versionFiles(path.join(promptsDir, name));
  if (files.size === 0) throw await unknownPrompt(promptsDir, name);
  const versions = [...files.keys()].sort(compareVersions);
  const version = parsed.version ?? versions[versions.length - 1]!;
  const candidates = files.get(version);
  if (!candidates) {
    throw ConfigError.at(
      path.join(promptsDir, name),
      0,
      `prompt "${name}" has no version "${version}"; versions: ${versions.join(', ')} (files ${name}/<version>.{yaml,md,txt})`,
    );
  }
  if (candidates.length > 1) {
    throw ConfigError.at(
      path.join(promptsDir, name),
      0,
      `prompt ${name}@${version} is defined twice (${candidates.map((f) => path.basename(f)).join(' and ')}): keep one file per version`,
    );
  }
  const file = path.resolve(candidates[0]!);
  return withIncludedPartials(await withToolsFile(parseTemplateFile(file, await readFile(file), name, version)), promptsDir);
}

/** Template files in a prompt folder, by version (a version with two files is ambiguous). */
async function versionFiles(dir: string): Promise<Map<string, string[]>> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const byVersion = new Map<string, string[]>();
  for (const entry of entries) {
    if (!entry.isFile() || entry.name.startsWith('.')) continue;
    const ext = path.extname(entry.name).toLowerCase();
    if (!(TEMPLATE_EXTENSIONS as readonly string[]).includes(ext)) continue;
    const version = entry.name.slice(0, -ext.length);
    if (version === '') continue;
    const list = byVersion.get(version) ?? [];
    list.push(path.join(dir, entry.name));
    byVersion.set(version, list);
  }
  return byVersion;
}

async function unknownPrompt(promptsDir: string, name: string): Promise<ConfigError> {
  const known = await listPrompts(promptsDir);
  const choices = known.length > 0 ? `prompts: ${known.join(', ')}` : `no prompts found in ${promptsDir}`;
  return ConfigError.at(promptsDir, 0, `unknown prompt "${name}" (${choices}); a prompt is a folder prompts/${name}/ holding <version>.{yaml,md,txt}`);
}
