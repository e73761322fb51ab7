/**
 * Property: whatever llm-eval.yaml holds, loading it ends in a resolved config or a ConfigError
 * whose every issue names a file and a line ≥ 0; never another exception (which the CLI would
 * print as a crash with a stack trace). Inputs are valid configs broken by text edits, valid
 * configs with random values swapped into random places, and free text.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { parseConfigText } from '../../src/config/load.js';
import { createSuiteGraders } from '../../src/runner/runEval.js';
import { PromptRenderer } from '../../src/prompts/render.js';
import type { GraderEnv, ModelCaller, ResolvedConfig } from '../../src/types.js';
import { FUZZ_RUNS, expectConfigError, expectTypedError, mutatedOrRandom } from './mutate.js';

const BLOCK_CONFIG = `# a config touching every section
models:
  fast: { provider: openai, model: gpt-4o-mini, params: { temperature: 0 } }
  smart:
    provider: anthropic
    model: claude-sonnet-4-5
    params: { max_tokens: 256 }
  local: { provider: openai-compatible, baseURL: "http://127.0.0.1:9/v1", model: llama, apiKeyEnv: LOCAL_KEY, price: { input: 0, output: 0 } }
  mine: { provider: script, module: providers/mine.js }
  parrot: { provider: echo }
suites:
  routing:
    description: route tickets
    prompt: classify
    dataset: datasets/tickets.jsonl
    variants:
      v1: { prompt: classify@v1, model: fast }
      v2: { prompt: classify@v2, model: smart, params: { temperature: 0.2 } }
      echo: { model: parrot }
    repeat: 2
    graders:
      - { type: exact, value: "{{ expected }}", ignoreCase: true }
      - { type: contains, value: "{{ ticket }}" }
      - { type: regex, pattern: "^[a-z]+$" }
      - { type: one-of, values: [billing, bug] }
      - { type: json-schema, schema: schemas/ticket.schema.json }
      - { type: json-path, path: "$.category", value: "{{ expected }}" }
      - { type: similarity, threshold: 0.8 }
      - { type: cost, max: 0.01 }
      - { type: latency, maxMs: 5000 }
      - { type: judge, model: smart, rubric: "Is it polite?", threshold: 0.7 }
    gate: { minPassRate: 0.9, maxCostUsd: 5, regression: { alpha: 0.05, margin: 0.02 } }
    labels: { expected: "{{ expected }}" }
  plain:
    prompt: classify@v1
    model: mine
    dataset: datasets/tickets.jsonl
defaults: { concurrency: 8, timeoutMs: 60000, retries: 4, cache: on }
paths: { prompts: prompts, reports: reports, cache: .llm-eval/cache }
`;

const FLOW_CONFIG = `{"models": {"a": {"provider": "echo"}}, "suites": {"s": {"prompt": "classify", "model": "a", "dataset": "datasets/tickets.jsonl", "graders": [{"type": "exact"}]}}}
`;

let dir: string;
let file: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'llm-eval-fuzz-config-'));
  file = path.join(dir, 'llm-eval.yaml');
  mkdirSync(path.join(dir, 'prompts', 'classify'), { recursive: true });
  mkdirSync(path.join(dir, 'datasets'));
  mkdirSync(path.join(dir, 'schemas'));
  mkdirSync(path.join(dir, 'providers'));
  writeFileSync(path.join(dir, 'prompts', 'classify', 'v1.md'), '---\nsystem: You route tickets.\n---\nTicket: {{ ticket }}\n');
  writeFileSync(path.join(dir, 'prompts', 'classify', 'v2.yaml'), 'messages:\n  - { role: system, content: Route it. }\n  - { role: user, content: "{{ ticket }}" }\n');
  writeFileSync(path.join(dir, 'datasets', 'tickets.jsonl'), '{"vars": {"ticket": "refund please"}, "expected": "billing"}\n');
  writeFileSync(path.join(dir, 'schemas', 'ticket.schema.json'), '{"type": "object"}\n');
  writeFileSync(path.join(dir, 'providers', 'mine.js'), 'export default async (prompt) => prompt;\n');
});

/** Graders are built from the loaded options before any call: that must not crash either. */
const noCalls: ModelCaller = {
  call: () => Promise.reject(new Error('the fuzz test calls no model')),
};

async function loadsOrConfigError(text: string): Promise<void> {
  let config: ResolvedConfig;
  try {
    config = await parseConfigText(file, text);
  } catch (err) {
    expectConfigError(err);
    return;
  }
  expect(config.suites.length).toBeGreaterThan(0);
  const renderer = new PromptRenderer();
  const env: GraderEnv = {
    configDir: config.dir,
    render: (t, scope) => renderer.renderString(t, scope),
    models: noCalls,
    modelConfigs: config.models,
    warn: () => undefined,
  };
  for (const suite of config.suites) {
    try {
      await createSuiteGraders(suite, env);
    } catch (err) {
      expectTypedError(err);
    }
  }
}

/** Every path to a node of a JSON-like value (objects and arrays), root first. */
function nodePaths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...nodePaths(v, [...prefix, i])));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...nodePaths(v, [...prefix, k]));
  return out;
}

function setAt(root: unknown, p: Array<string | number>, value: unknown, mode: 'replace' | 'delete' | 'addKey', key: string): unknown {
  if (p.length === 0) return mode === 'replace' ? value : root;
  if (!root || typeof root !== 'object') return root;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const seg of p.slice(0, -1)) {
    const next = node[seg];
    // An earlier edit removed or replaced this path: leave the value as it is.
    if (!next || typeof next !== 'object') return copy;
    node = next as Record<string | number, unknown>;
  }
  const last = p[p.length - 1]!;
  if (mode === 'delete') {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else if (mode === 'addKey' && node[last] && typeof node[last] === 'object' && !Array.isArray(node[last])) {
    (node[last] as Record<string, unknown>)[key] = value;
  } else node[last] = value;
  return copy;
}

const leafValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom('', 'classify@v9', 'classify@', '../datasets', 'nope', 'datasets/missing.csv', 'datasets', -1, 0, 1.5, 1e9, null, [], {}),
);

describe('config loader on bad input', () => {
  it('accepts both base configs as they are', async () => {
    await expect(parseConfigText(file, BLOCK_CONFIG)).resolves.toBeTruthy();
    await expect(parseConfigText(file, FLOW_CONFIG)).resolves.toBeTruthy();
  });

  it('mutated and random text: a config or a ConfigError with file and line', async () => {
    await fc.assert(fc.asyncProperty(mutatedOrRandom([BLOCK_CONFIG, FLOW_CONFIG]), loadsOrConfigError), { numRuns: FUZZ_RUNS * 2 });
  });

  it('random values in random places: a config or a ConfigError with file and line', async () => {
    const base = parseYaml(BLOCK_CONFIG) as unknown;
    const paths = nodePaths(base);
    const edit = fc.record({
      at: fc.constantFrom(...paths),
      mode: fc.constantFrom('replace' as const, 'delete' as const, 'addKey' as const),
      value: leafValue,
      key: fc.oneof(fc.constantFrom('type', 'model', 'prompt', 'dataset', 'variants', 'graders', 'extra', '__proto__', 'constructor'), fc.string({ maxLength: 8 })),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 4 }), async (edits) => {
        const value = edits.reduce<unknown>((v, e) => setAt(v, e.at, e.value, e.mode, e.key), base);
        await loadsOrConfigError(stringifyYaml(value));
      }),
      { numRuns: FUZZ_RUNS * 2 },
    );
  });

  it('anchors, aliases and merge keys, however deep, end in a config or a ConfigError', async () => {
    const laughs = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 8; i++) laughs.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`);
    await loadsOrConfigError(laughs.join('\n') + '\n');
    await loadsOrConfigError('models: *nowhere\nsuites: {}\n');
    await loadsOrConfigError('base: &b { provider: echo }\nmodels: { a: { <<: *b } }\nsuites: { s: { prompt: classify, model: a, dataset: datasets/tickets.jsonl } }\n');
  });
});
