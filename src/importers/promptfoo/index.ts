import { readFileSync } from 'node:fs';
import path from 'node:path';
import { stringify as stringifyYaml, parse as parseYaml } from 'yaml';
import { ConfigError } from '../../errors.js';
import { pushAll } from '../../util/arrays.js';
import { mapAssertion } from './assertions.js';
import { importPrompts, type ImportedPrompt } from './prompts.js';
import { mapProvider, type MappedModel } from './providers.js';
import { importTests, type ImportedTest, type TestNote } from './tests.js';

/**
 * `llm-eval import promptfoo`: a promptfoo config → the files of an llm-eval project
 * (llm-eval.yaml, prompts/, datasets/, graders/), and a list of what could not be mapped.
 *
 * Shape: every promptfoo prompt × provider is a variant. promptfoo attaches assertions per test,
 * llm-eval per suite, so tests are grouped by their assertions: tests whose graders are the same
 * (per-test values live in the row, under `expected`) form one suite.
 */

export interface ProjectFile {
  /** Relative to the project folder, with forward slashes. */
  path: string;
  content: string;
}

export interface ImportResult {
  files: ProjectFile[];
  notes: TestNote[];
  suites: Array<{ name: string; rows: number; graders: number }>;
  models: string[];
  prompts: string[];
}

/** promptfoo's default grading model for llm-rubric when the config names none. */
const DEFAULT_JUDGE = { provider: 'openai', model: 'gpt-4o' };
/** promptfoo's default embedding model for `similar`. */
const DEFAULT_EMBEDDER = { provider: 'openai', model: 'text-embedding-3-small' };

interface SuiteDraft {
  graders: Array<Record<string, unknown>>;
  rows: Array<Record<string, unknown>>;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
}

function mapModels(providers: unknown, notes: TestNote[]): MappedModel[] {
  const list = providers === undefined ? [] : Array.isArray(providers) ? providers : typeof providers === 'string' ? [providers] : Object.entries(asRecord(providers)).map(([id, v]) => ({ [id]: v }));
  const models: MappedModel[] = [];
  const taken = new Set<string>();
  list.forEach((entry, i) => {
    const mapped = mapProvider(entry);
    if (mapped.kind === 'unmapped') {
      notes.push({ where: `providers[${i}]`, message: `${mapped.id}: ${mapped.reason}` });
      return;
    }
    const model = mapped.model;
    let name = model.name;
    for (let k = 2; taken.has(name); k++) name = `${model.name}-${k}`;
    taken.add(name);
    for (const n of model.notes) notes.push({ where: `providers[${i}]`, message: n });
    models.push({ ...model, name });
  });
  return models;
}

/** The judge model for llm-rubric/factuality: defaultTest.options.provider, else promptfoo's default. */
function judgeModelOf(defaultTest: unknown, notes: TestNote[]): { config: Record<string, unknown>; assumed: boolean } {
  const provider = asRecord(asRecord(defaultTest)['options'])['provider'];
  if (provider !== undefined) {
    const entry = typeof provider === 'string' ? provider : asRecord(provider)['id'] !== undefined ? provider : Object.keys(asRecord(provider)).length === 1 ? provider : undefined;
    const mapped = entry === undefined ? undefined : mapProvider(entry);
    if (mapped?.kind === 'model') return { config: mapped.model.config, assumed: false };
    notes.push({ where: 'defaultTest.options.provider', message: `grading provider not mapped${mapped?.kind === 'unmapped' ? `: ${mapped.reason}` : ''}; models.judge uses ${DEFAULT_JUDGE.model}` });
  }
  return { config: { ...DEFAULT_JUDGE }, assumed: true };
}

function rowOf(test: ImportedTest, expected: Record<string, unknown>, ids: Set<string>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  if (test.description) {
    // The description as a stable id when it is unique; baselines pair cases by id.
    let id = slug(test.description) || 'test';
    for (let k = 2; ids.has(id); k++) id = `${slug(test.description) || 'test'}-${k}`;
    ids.add(id);
    row['id'] = id;
  }
  row['vars'] = test.vars;
  if (Object.keys(expected).length > 0) row['expected'] = expected;
  return row;
}

export function importPromptfoo(file: string): ImportResult {
  const dir = path.dirname(path.resolve(file));
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw ConfigError.at(file, 0, 'cannot read the promptfoo config: check the path');
  }
  let config: Record<string, unknown>;
  try {
    config = asRecord(parseYaml(text) as unknown);
  } catch (err) {
    const line = (err as { linePos?: Array<{ line: number }> }).linePos?.[0]?.line ?? 1;
    throw ConfigError.at(file, line, `not valid YAML: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }

  const notes: TestNote[] = [];
  const prompts: ImportedPrompt[] = importPrompts(config['prompts'], dir, file, notes);
  const models = mapModels(config['providers'], notes);
  if (prompts.length === 0) throw ConfigError.at(file, 1, 'no prompt could be imported: `prompts:` needs at least one text, chat or file:// prompt');
  if (models.length === 0) throw ConfigError.at(file, 1, `no provider could be imported (${notes.filter((n) => n.where.startsWith('providers')).map((n) => n.message).join('; ') || 'none listed'})`);

  const tests = importTests(config['tests'], config['defaultTest'], dir, file, notes);
  const judge = judgeModelOf(config['defaultTest'], notes);
  const judgeName = models.some((m) => m.name === 'judge') ? 'promptfoo-judge' : 'judge';
  let judgeUsed = false;
  const embedderName = models.some((m) => m.name === 'embedder') ? 'promptfoo-embedder' : 'embedder';
  let embedderUsed = false;

  // Group tests by their graders: one suite per distinct set.
  const drafts = new Map<string, SuiteDraft>();
  const scripts: ProjectFile[] = [];
  const scriptPaths = new Map<string, string>();
  const ids = new Map<string, Set<string>>();
  for (const test of tests) {
    const graders: Array<Record<string, unknown>> = [];
    const expected: Record<string, unknown> = {};
    test.assert.forEach((assertion, i) => {
      const slot = `a${i}`;
      const mapped = mapAssertion(assertion, slot, judgeName, embedderName);
      const where = `${test.where}.assert[${i}] (${assertion.type})`;
      if (mapped.kind === 'unmapped') {
        notes.push({ where, message: mapped.reason });
        return;
      }
      if (mapped.note) notes.push({ where, message: mapped.note });
      const grader = { ...mapped.grader };
      if (grader['type'] === 'judge') judgeUsed = true;
      if (grader['type'] === 'embedding-similarity') embedderUsed = true;
      if (mapped.script !== undefined) {
        let module = scriptPaths.get(mapped.script);
        if (!module) {
          // .mjs: an ES module in CommonJS and ESM projects alike.
          module = `graders/promptfoo-${scriptPaths.size + 1}.mjs`;
          scriptPaths.set(mapped.script, module);
          scripts.push({ path: module, content: mapped.script });
        }
        grader['module'] = module;
      }
      if (mapped.rowValue !== undefined) expected[slot] = mapped.rowValue;
      graders.push(grader);
    });
    const key = JSON.stringify(graders);
    let draft = drafts.get(key);
    if (!draft) drafts.set(key, (draft = { graders, rows: [] }));
    if (!ids.has(key)) ids.set(key, new Set());
    draft.rows.push(rowOf(test, expected, ids.get(key)!));
  }
  if (tests.length === 0) notes.push({ where: 'tests', message: 'no tests: the suite runs each prompt once with no vars' });
  if (drafts.size === 0) drafts.set('[]', { graders: [], rows: [{ vars: {} }] });

  const base = slug(typeof config['description'] === 'string' ? config['description'] : '') || 'imported';
  const variants: Record<string, Record<string, string>> = {};
  for (const p of prompts) {
    for (const m of models) {
      const name = prompts.length === 1 ? m.name : models.length === 1 ? p.name : `${p.name}-${m.name}`;
      variants[name] = { prompt: `${p.name}@v1`, model: m.name };
    }
  }

  const evaluateOptions = asRecord(config['evaluateOptions']);
  const repeat = typeof evaluateOptions['repeat'] === 'number' && evaluateOptions['repeat'] > 1 ? evaluateOptions['repeat'] : undefined;
  const files: ProjectFile[] = [];
  const suites: Record<string, unknown> = {};
  const suiteSummary: ImportResult['suites'] = [];
  [...drafts.values()].forEach((draft, i) => {
    const name = drafts.size === 1 ? base : `${base}-${i + 1}`;
    const dataset = `datasets/${name}.jsonl`;
    files.push({ path: dataset, content: draft.rows.map((r) => JSON.stringify(r)).join('\n') + '\n' });
    const suite: Record<string, unknown> = { dataset, variants };
    if (repeat) suite['repeat'] = repeat;
    suite['graders'] = draft.graders;
    // A suite without graders passes whatever the models answer: say so rather than import a green that measures nothing.
    if (draft.graders.length === 0) notes.push({ where: `suites.${name}`, message: 'no assertion could be mapped for these tests: every case passes until you add graders' });
    suites[name] = suite;
    suiteSummary.push({ name, rows: draft.rows.length, graders: draft.graders.length });
  });

  const modelsYaml: Record<string, unknown> = {};
  for (const m of models) modelsYaml[m.name] = m.config;
  if (judgeUsed) modelsYaml[judgeName] = judge.config;
  if (embedderUsed) modelsYaml[embedderName] = { ...DEFAULT_EMBEDDER };
  const project: Record<string, unknown> = { models: modelsYaml, suites };
  const concurrency = evaluateOptions['maxConcurrency'];
  if (typeof concurrency === 'number' && Number.isInteger(concurrency) && concurrency > 0) project['defaults'] = { concurrency };

  const header = [
    `# Imported from ${path.basename(file)} by \`llm-eval import promptfoo\`.`,
    ...(judgeUsed && judge.assumed ? [`# models.${judgeName}: promptfoo's default grader was assumed (${DEFAULT_JUDGE.model}); change it to your grading model.`] : []),
    ...(embedderUsed ? [`# models.${embedderName}: promptfoo's default embedding model (${DEFAULT_EMBEDDER.model}) for \`similar\`; change it to your embeddings model.`] : []),
    ...(notes.length ? ['# Not carried over (see the import output):', ...notes.map((n) => `#   ${n.where}: ${n.message.replace(/\n/g, ' ')}`)] : []),
    '',
  ].join('\n');
  files.unshift({ path: 'llm-eval.yaml', content: header + stringifyYaml(project, { lineWidth: 0 }) });
  for (const p of prompts) files.push({ path: `prompts/${p.name}/v1.yaml`, content: stringifyYaml({ messages: p.messages }, { lineWidth: 0 }) });
  pushAll(files, scripts);
  return { files, notes, suites: suiteSummary, models: [...models.map((m) => m.name), ...(judgeUsed ? [judgeName] : []), ...(embedderUsed ? [embedderName] : [])], prompts: prompts.map((p) => p.name) };
}
