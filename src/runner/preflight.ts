import { readFile } from 'node:fs/promises';
import { ConfigError, LlmEvalError, ProviderError, formatIssue, type Issue } from '../errors.js';
import type { CacheMode, GraderConfig, ResolvedConfig, ResolvedSuite } from '../types.js';
import { loadProviderFactory } from '../providers/registry.js';
import { loadDotEnv } from '../providers/env.js';
import { parseYamlFile } from '../config/yamlFile.js';

/**
 * Before any call: every model the selected suites use (their variants' models and the models
 * their graders call) can be set up. A script model's module loads and exports a function; a
 * remote model has its key. Every problem is reported at once, at the model's line in
 * llm-eval.yaml, exit 2 — instead of every case erroring at run time.
 *
 * Keys are not needed under `--cache replay` (the cache answers every call or the call is a
 * miss), and `validate` checks no keys (it runs where keys are often absent); local models
 * (script, echo) are always checked, since they are never answered from the cache.
 */
export interface PreflightOptions {
  env: NodeJS.ProcessEnv;
  /** Check that remote models have their keys. */
  keys: boolean;
  cache: CacheMode;
}

/** Config model names used by a grader's options (a judge's `model`, a nested `support.model`...). */
function gradersModels(graders: GraderConfig[], models: Set<string>): string[] {
  const found: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'model' && typeof x === 'string' && models.has(x)) found.push(x);
        else walk(x);
      }
    }
  };
  walk(graders);
  return found;
}

/** The models the suites call, in first-use order. */
export function modelsUsed(config: ResolvedConfig, suites: ResolvedSuite[]): string[] {
  const known = new Set(Object.keys(config.models));
  const used = new Set<string>();
  for (const s of suites) {
    for (const v of s.variants) used.add(v.model);
    for (const m of gradersModels(s.graders, known)) used.add(m);
  }
  return [...used];
}

async function modelLines(file: string): Promise<(path: Array<string | number>) => number> {
  try {
    const { yaml } = parseYamlFile(file, await readFile(file, 'utf8'));
    if (yaml) return (p) => yaml.lineOf(p);
  } catch {
    // A config built in memory (tests, the library) has no file to point into.
  }
  return () => 0;
}

export async function preflightModels(config: ResolvedConfig, suites: ResolvedSuite[], opts: PreflightOptions): Promise<void> {
  loadDotEnv(config.dir, opts.env);
  const lineOf = await modelLines(config.file);
  const issues: Issue[] = [];
  for (const name of modelsUsed(config, suites)) {
    const model = config.models[name]!;
    const factory = await loadProviderFactory(model.provider);
    if (!factory) continue; // the config loader already reported an unknown provider
    // A provider that can name its cache identity from config is a remote one: it needs a key,
    // unless nothing will be called live.
    const remote = factory.identity !== undefined;
    if (remote && (!opts.keys || opts.cache === 'replay')) continue;
    try {
      await factory.create(model, { configDir: config.dir, env: opts.env });
    } catch (err) {
      if (!(err instanceof LlmEvalError)) throw err;
      const field = model.module !== undefined ? 'module' : model.apiKeyEnv !== undefined ? 'apiKeyEnv' : 'provider';
      // A module's own problem (FILE: what) is quoted whole, so both files are named.
      let detail = err instanceof ConfigError ? err.issues.map(formatIssue).join('; ') : err.message;
      if (err instanceof ProviderError && err.kind === 'auth') detail += ' (or run with --cache replay to answer only from recorded responses)';
      issues.push({ file: config.file, line: lineOf(['models', name, field]), message: `model "${name}": ${detail}` });
    }
  }
  if (issues.length) throw new ConfigError(issues);
}
