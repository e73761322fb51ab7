import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Issue } from '../errors.js';
import { LlmEvalError } from '../errors.js';
import type {
  CacheMode,
  GateConfig,
  GraderConfig,
  PromptTemplate,
  ResolvedConfig,
  ResolvedModel,
  ResolvedSuite,
  ResolvedVariant,
  RunDefaults,
} from '../types.js';
import { loadProviderFactory, providerNames } from '../providers/registry.js';
import { loadPromptTemplate } from '../prompts/loader.js';
import { validateGraderOptions } from '../graders/validateOptions.js';
import '../graders/builtins.js';
import { suiteGraderProblems } from '../graders/suiteGraders.js';
import type { YamlFile } from './yamlFile.js';

/** Built-in defaults, also documented in the README's config reference. */
export const DEFAULTS: RunDefaults = { concurrency: 8, timeoutMs: 60_000, retries: 4, cache: 'on' };
export const DEFAULT_PATHS = { prompts: 'prompts', reports: 'reports', cache: '.llm-eval/cache' };

/** A model as written under `models:` (also accepted inline by the test harness). */
export interface InlineModel {
  provider: string;
  model?: string;
  baseURL?: string;
  apiKeyEnv?: string;
  params?: Record<string, unknown>;
  price?: ResolvedModel['price'];
  module?: string;
  stream?: boolean;
  concurrency?: number;
  batch?: boolean;
}
interface RawVariant {
  prompt?: string;
  model?: string;
  params?: Record<string, unknown>;
}
interface RawSuite {
  description?: string;
  prompt?: string;
  model?: string;
  dataset: string;
  variants?: Record<string, RawVariant>;
  repeat?: number;
  graders?: GraderConfig[];
  gate?: GateConfig;
  labels?: { expected?: string; max?: number } | boolean;
  [option: string]: unknown;
}
interface RawConfig {
  models: Record<string, InlineModel>;
  suites: Record<string, RawSuite>;
  defaults?: Partial<RunDefaults>;
  paths?: Partial<typeof DEFAULT_PATHS>;
}

const SUITE_CORE_KEYS = new Set(['description', 'prompt', 'model', 'dataset', 'variants', 'repeat', 'graders', 'gate', 'labels']);

function choices(names: string[]): string {
  return names.length ? names.join(', ') : '(none)';
}

/**
 * One model entry: its resolved form and the problems its provider finds in it. An unknown
 * provider gives no model.
 */
export async function resolveModel(name: string, m: InlineModel): Promise<{ resolved?: ResolvedModel; problems: Array<{ field?: string; message: string }> }> {
  const known = providerNames();
  if (!known.includes(m.provider)) return { problems: [{ field: 'provider', message: `unknown provider "${m.provider}" (choose one of: ${choices(known)})` }] };
  const resolved: ResolvedModel = {
    name,
    provider: m.provider,
    model: m.model,
    baseURL: m.baseURL,
    apiKeyEnv: m.apiKeyEnv,
    params: m.params ?? {},
    price: m.price,
    module: m.module,
    stream: m.stream ?? true,
    concurrency: m.concurrency,
  };
  if (m.batch !== undefined) resolved.batch = m.batch;
  const factory = await loadProviderFactory(m.provider);
  return { resolved, problems: factory?.validate?.(resolved) ?? [] };
}

/** A config with no models or suites, for library use in a folder without llm-eval.yaml. */
export function bareConfig(dir: string): ResolvedConfig {
  return {
    file: path.join(dir, 'llm-eval.yaml'),
    dir,
    hash: 'none',
    models: {},
    suites: [],
    defaults: { ...DEFAULTS },
    outDir: path.resolve(dir, DEFAULT_PATHS.reports),
    cacheDir: path.resolve(dir, DEFAULT_PATHS.cache),
    promptsDir: path.resolve(dir, DEFAULT_PATHS.prompts),
  };
}

/**
 * Second pass over a structurally valid config: resolves every reference and collects every
 * problem (unknown model or provider, missing prompt or dataset, bad grader options).
 */
export async function resolveConfig(yaml: YamlFile, hash: string): Promise<{ config: ResolvedConfig; issues: Issue[] }> {
  const raw = yaml.value as RawConfig;
  const dir = path.dirname(yaml.file);
  const issues: Issue[] = [];
  const at = (p: Array<string | number>, message: string, key = false): void => {
    issues.push({ file: yaml.file, line: yaml.lineOf(p, { key }), message });
  };
  const paths = { ...DEFAULT_PATHS, ...raw.paths };
  const promptsDir = path.resolve(dir, paths.prompts);

  // ---- models
  const models: Record<string, ResolvedModel> = {};
  for (const [name, m] of Object.entries(raw.models)) {
    const { resolved, problems } = await resolveModel(name, m);
    for (const problem of problems) at(['models', name, ...(problem.field ? [problem.field] : [])], `model "${name}": ${problem.message}`);
    if (resolved) models[name] = resolved;
  }
  const modelNames = Object.keys(raw.models);

  // ---- suites
  const templates = new Map<string, PromptTemplate | null>();
  async function template(ref: string, where: Array<string | number>): Promise<PromptTemplate | undefined> {
    if (!templates.has(ref)) {
      try {
        templates.set(ref, await loadPromptTemplate(promptsDir, ref));
      } catch (err) {
        templates.set(ref, null);
        if (err instanceof LlmEvalError && 'issues' in err) {
          const inner = (err as { issues: Issue[] }).issues;
          // A problem inside the template file is reported there; a missing template at the reference.
          for (const i of inner) {
            if (i.file === yaml.file || !existsSync(i.file) || i.line === 0) at(where, i.message);
            else issues.push(i);
          }
        } else throw err;
        return undefined;
      }
    }
    return templates.get(ref) ?? undefined;
  }

  const suites: ResolvedSuite[] = [];
  for (const [suiteName, s] of Object.entries(raw.suites)) {
    const base = ['suites', suiteName];
    const dataset = path.resolve(dir, s.dataset);
    if (!existsSync(dataset)) at([...base, 'dataset'], `suite "${suiteName}": dataset file ${s.dataset} not found (relative to ${path.basename(yaml.file)})`);

    const rawVariants: Array<[string, RawVariant, Array<string | number>]> = s.variants
      ? Object.entries(s.variants).map(([n, v]) => [n, v, [...base, 'variants', n]])
      : s.model
        ? [[s.model, {}, base]]
        : [];
    if (rawVariants.length === 0) at(base, `suite "${suiteName}" needs \`variants:\` or a \`model:\` (one of: ${choices(modelNames)})`, true);

    const variants: ResolvedVariant[] = [];
    for (const [vName, v, vPath] of rawVariants) {
      const modelName = v.model ?? s.model;
      const promptRef = v.prompt ?? s.prompt;
      if (!modelName) {
        at(vPath, `variant "${vName}" of suite "${suiteName}" needs \`model:\` (one of: ${choices(modelNames)})`, true);
        continue;
      }
      if (!raw.models[modelName]) {
        at(v.model ? [...vPath, 'model'] : [...base, 'model'], `unknown model "${modelName}" (defined models: ${choices(modelNames)})`);
        continue;
      }
      if (!promptRef) {
        at(vPath, `variant "${vName}" of suite "${suiteName}" needs a prompt: set \`prompt:\` on the suite or the variant`, true);
        continue;
      }
      const tpl = await template(promptRef, v.prompt ? [...vPath, 'prompt'] : [...base, 'prompt']);
      if (!tpl) continue;
      const model = models[modelName];
      variants.push({
        name: vName,
        model: modelName,
        prompt: tpl,
        // The variant wins over the prompt's suggestions, which win over the model's defaults.
        params: { ...(model?.params ?? {}), ...tpl.params, ...(v.params ?? {}) },
      });
    }

    const graders = s.graders ?? [];
    graders.forEach((g, i) => {
      for (const problem of validateGraderOptions(g, { configDir: dir, models })) {
        at([...base, 'graders', i, ...(problem.field ? [problem.field] : [])], `grader ${g.type}: ${problem.message}`, Boolean(problem.field));
      }
    });

    for (const problem of suiteGraderProblems({ graders, variants })) {
      at([...base, 'graders', problem.grader, ...(problem.field ? [problem.field] : [])], `grader ${graders[problem.grader]!.type}: ${problem.message}`, Boolean(problem.field));
    }

    const options: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s)) if (!SUITE_CORE_KEYS.has(k)) options[k] = v;

    suites.push({
      name: suiteName,
      description: s.description,
      dataset,
      variants,
      repeat: s.repeat ?? 1,
      graders,
      gate: s.gate,
      labels: s.labels,
      options,
    });
  }

  const defaults: RunDefaults = { ...DEFAULTS, ...raw.defaults, cache: (raw.defaults?.cache ?? DEFAULTS.cache) as CacheMode };
  return {
    config: {
      file: yaml.file,
      dir,
      hash,
      models,
      suites,
      defaults,
      outDir: path.resolve(dir, paths.reports),
      cacheDir: path.resolve(dir, paths.cache),
      promptsDir,
    },
    issues,
  };
}
