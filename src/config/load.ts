import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, UsageError, type Issue } from '../errors.js';
import type { ResolvedConfig } from '../types.js';
import { shortHash } from '../util/hash.js';
import { parseYamlFile } from './yamlFile.js';
import { MAX_CONFIG_BYTES } from './limits.js';
import { checkAgainstSchema } from './structure.js';
import { configSchema } from './schema.js';
import { resolveConfig } from './resolve.js';

export const CONFIG_FILE_NAMES = ['llm-eval.yaml', 'llm-eval.yml'];

/** Finds llm-eval.yaml by walking up from `cwd`, as git finds .git. */
export function findConfigFile(cwd: string): string | undefined {
  let dir = path.resolve(cwd);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export interface LoadConfigOptions {
  /** Explicit config file (--config); otherwise found from `cwd`. */
  configFile?: string;
  cwd?: string;
}

/**
 * Reads and validates llm-eval.yaml: YAML syntax, structure (JSON Schema), then every reference
 * (models, prompt templates, dataset files, grader options). All problems found are reported
 * together as one ConfigError, each as FILE:LINE: message. Datasets are scanned separately
 * (validate/scanSuites.ts) because that reads every row.
 */
export async function loadConfig(opts: LoadConfigOptions = {}): Promise<ResolvedConfig> {
  const cwd = opts.cwd ?? process.cwd();
  const file = opts.configFile ? path.resolve(cwd, opts.configFile) : findConfigFile(cwd);
  if (!file) {
    throw new UsageError(`No llm-eval.yaml found in ${cwd} or any parent folder. Run \`llm-eval init\` to create one, or pass --config FILE.`);
  }
  if (!existsSync(file)) throw new UsageError(`Config file ${file} does not exist.`);
  const info = statSync(file);
  if (info.isDirectory()) {
    const inside = path.join(file, 'llm-eval.yaml');
    throw new UsageError(`--config ${file} is a folder, not a config file${existsSync(inside) ? `: pass --config ${inside}` : ': pass the path of its llm-eval.yaml'}.`);
  }
  if (info.size > MAX_CONFIG_BYTES) {
    throw ConfigError.at(file, 1, `the config is ${(info.size / 2 ** 20).toFixed(1)} MB; at most ${MAX_CONFIG_BYTES / 2 ** 20} MB is read (keep cases in datasets, not in llm-eval.yaml)`);
  }
  const text = await readFile(file, 'utf8');
  return parseConfigText(file, text);
}

export async function parseConfigText(file: string, text: string): Promise<ResolvedConfig> {
  const { yaml, issues } = parseYamlFile(file, text);
  if (!yaml) throw new ConfigError(issues);
  if (yaml.value === null || typeof yaml.value !== 'object' || Array.isArray(yaml.value)) {
    throw ConfigError.at(file, 1, 'the config must be a mapping with `models:` and `suites:` (run `llm-eval init` for an example)');
  }
  const structural: Issue[] = checkAgainstSchema(yaml, yaml.value, configSchema);
  if (structural.length) throw new ConfigError(sortIssues(structural));
  const { config, issues: refIssues } = await resolveConfig(yaml, shortHash(text));
  if (refIssues.length) throw new ConfigError(sortIssues(refIssues));
  return config;
}

export function sortIssues(issues: Issue[]): Issue[] {
  return [...issues].sort((a, b) => (a.file === b.file ? a.line - b.line : a.file.localeCompare(b.file)));
}
