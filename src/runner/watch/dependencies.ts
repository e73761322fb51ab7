import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ResolvedConfig, ResolvedSuite } from '../../types.js';
import { shortHash, valueHash } from '../../util/hash.js';
import { pushAll } from '../../util/arrays.js';

/**
 * What a suite's results depend on, for watch mode: its settings in llm-eval.yaml, its prompt
 * templates (partials included: a template's hash covers them), its dataset, the modules of the
 * script models it calls and every file its graders name (schemas, rubrics, script graders).
 * A fingerprint maps each of them to a hash, so two fingerprints tell which ones changed.
 */

/** Label (a path relative to the config folder, `prompt name@version` or the config file) → hash. */
export type SuiteFingerprint = Record<string, string>;

const missing = 'missing';

function fileHash(file: string): string {
  try {
    return shortHash(readFileSync(file));
  } catch {
    return missing;
  }
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Files named by a grader's options: any string option that is the path of a file (relative to the config folder). */
function graderFiles(value: unknown, configDir: string, out: Set<string>): void {
  if (typeof value === 'string') {
    if (value.length > 0 && value.length < 1024 && !value.includes('\n')) {
      const file = path.resolve(configDir, value);
      if (isFile(file)) out.add(file);
    }
  } else if (Array.isArray(value)) {
    for (const v of value) graderFiles(v, configDir, out);
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) graderFiles(v, configDir, out);
  }
}

/** The models a suite calls: its variants' models and any configured model a grader names (judges). */
function modelsOf(config: ResolvedConfig, suite: ResolvedSuite): string[] {
  const names = new Set(suite.variants.map((v) => v.model));
  for (const g of suite.graders) if (typeof g['model'] === 'string' && config.models[g['model']]) names.add(g['model']);
  return [...names].sort();
}

/** The files a suite reads, besides llm-eval.yaml: prompt templates (and their tools files), dataset, model modules, grader files. */
export function suiteFiles(config: ResolvedConfig, suite: ResolvedSuite): string[] {
  const files = new Set<string>([suite.dataset, ...suite.variants.map((v) => v.prompt.file)]);
  for (const v of suite.variants) if (v.prompt.toolsFile) files.add(v.prompt.toolsFile);
  for (const name of modelsOf(config, suite)) {
    const module = config.models[name]?.module;
    if (module) files.add(path.resolve(config.dir, module));
  }
  graderFiles(suite.graders, config.dir, files);
  return [...files].sort();
}

export function suiteFingerprint(config: ResolvedConfig, suite: ResolvedSuite): SuiteFingerprint {
  const rel = (file: string): string => path.relative(config.dir, file) || file;
  const settings = {
    suite: { ...suite, variants: suite.variants.map((v) => ({ ...v, prompt: v.prompt.ref })) },
    models: modelsOf(config, suite).map((name) => config.models[name]),
    defaults: config.defaults,
  };
  const fp: SuiteFingerprint = { [path.basename(config.file)]: valueHash(settings) };
  for (const v of suite.variants) fp[`prompt ${v.prompt.ref}`] = v.prompt.hash;
  const promptFiles = new Set(suite.variants.map((v) => v.prompt.file));
  for (const file of suiteFiles(config, suite)) if (!promptFiles.has(file)) fp[rel(file)] = fileHash(file);
  return fp;
}

/** Labels whose hash differs (or that one side lacks); every label when there is no `before`. */
export function fingerprintDiff(before: SuiteFingerprint | undefined, after: SuiteFingerprint): string[] {
  if (!before) return Object.keys(after);
  const labels = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...labels].filter((l) => before[l] !== after[l]);
}

/** Every folder under `root` (itself included), for watching prompt partials without recursive fs.watch. */
function foldersUnder(root: string, depth = 4): string[] {
  if (!existsSync(root)) return [];
  const out = [root];
  if (depth === 0) return out;
  let entries;
  try {
    entries = readdirSync(root, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.')) pushAll(out, foldersUnder(path.join(root, e.name), depth - 1));
  return out;
}

/**
 * The folders to watch: the config's, the prompts tree (new versions and partials) and the folder
 * of every file the suites read. Folders rather than files, so editors that save by replacing the
 * file are seen too.
 */
export function foldersToWatch(config: ResolvedConfig, suites: ResolvedSuite[]): string[] {
  const dirs = new Set<string>([config.dir, ...foldersUnder(config.promptsDir)]);
  for (const s of suites) for (const f of suiteFiles(config, s)) dirs.add(path.dirname(f));
  return [...dirs].filter((d) => existsSync(d)).sort();
}
