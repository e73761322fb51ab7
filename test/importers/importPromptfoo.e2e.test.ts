import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { repoRoot, runCli } from '../helpers/project.js';

/** Copies a promptfoo fixture into a fresh folder and imports it there with the built CLI. */
function importFixture(name: string, edit?: (config: string) => string): { dir: string; out: string; code: number } {
  const dir = mkdtempSync(path.join(tmpdir(), `llm-eval-import-${name}-`));
  cpSync(path.join(repoRoot, 'test', 'importers', 'fixtures', name), dir, { recursive: true });
  if (edit) writeFileSync(path.join(dir, 'promptfooconfig.yaml'), edit(readFileSync(path.join(dir, 'promptfooconfig.yaml'), 'utf8')));
  const r = runCli(['import', 'promptfoo', 'promptfooconfig.yaml'], dir);
  return { dir, out: r.stdout + r.stderr, code: r.code ?? -1 };
}

interface Config {
  models: Record<string, Record<string, unknown>>;
  suites: Record<string, { dataset: string; variants: Record<string, { prompt: string; model: string }>; graders: Array<Record<string, unknown>>; repeat?: number }>;
  defaults?: { concurrency?: number };
}

const configOf = (dir: string): Config => parseYaml(readFileSync(path.join(dir, 'llm-eval.yaml'), 'utf8')) as Config;
const rowsOf = (dir: string, dataset: string): Array<Record<string, unknown>> =>
  readFileSync(path.join(dir, dataset), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
/** Keys are only needed by `run`; `validate` gets dummy ones so it checks what was written. */
const KEYS = { OPENAI_API_KEY: 'sk-dummy', ANTHROPIC_API_KEY: 'sk-ant-dummy' };

describe('llm-eval import promptfoo', () => {
  beforeAll(() => {
    // The e2e tests run the built CLI (npm test builds first).
    expect(readdirSync(path.join(repoRoot, 'dist')).length).toBeGreaterThan(0);
  });

  it('imports an offline config whose run passes, and one whose broken assertion fails the gate', () => {
    const ok = importFixture('echo-runnable');
    expect(ok.code, ok.out).toBe(0);
    const config = configOf(ok.dir);
    // Ada and Grace share their five assertion types (their values live in the rows); the
    // `equals` test stands alone: two suites.
    expect(Object.values(config.suites).map((s) => s.graders.length).sort()).toEqual([1, 5]);
    const run = runCli(['run'], ok.dir);
    expect(run.code, run.stdout + run.stderr).toBe(0);

    // Grace's `contains` now asks for "Bob", which the echoed "Say hello to Grace from Arlington" lacks.
    const bad = importFixture('echo-runnable', (c) => c.replace('      - type: contains\n        value: Grace', '      - type: contains\n        value: Bob'));
    expect(bad.code, bad.out).toBe(0);
    const failing = runCli(['run'], bad.dir);
    expect(failing.code, failing.stdout + failing.stderr).toBe(1);
    const records = readFileSync(path.join(bad.dir, 'reports', 'latest', 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { caseId: string; pass: boolean });
    expect(records.filter((r) => !r.pass).map((r) => r.caseId)).toEqual(['grace']);
  });

  it('maps prompts × providers to variants, keeps per-test values in the rows and lists what it could not map', () => {
    const r = importFixture('getting-started');
    expect(r.code, r.out).toBe(0);
    const config = configOf(r.dir);
    expect(Object.keys(config.models).sort()).toEqual(['gpt-4o-mini', 'judge', 'sonnet']);
    expect(config.models['sonnet']).toEqual({ provider: 'anthropic', model: 'claude-3-5-sonnet-20241022', params: { temperature: 0.2, max_tokens: 256 } });
    // promptfoo grades llm-rubric with GPT-4o unless told otherwise.
    expect(config.models['judge']).toEqual({ provider: 'openai', model: 'gpt-4o' });
    const suites = Object.values(config.suites);
    // Bananas and Avocado share graders (javascript, icontains, llm-rubric); NYC has its own.
    expect(suites).toHaveLength(2);
    for (const s of suites) expect(Object.keys(s.variants)).toHaveLength(4);
    const tweets = suites.find((s) => s.graders.some((g) => g['type'] === 'judge'))!;
    expect(tweets.graders.map((g) => g['type'])).toEqual(['script', 'contains', 'judge']);
    const rows = rowsOf(r.dir, tweets.dataset);
    expect(rows.map((row) => row['id'])).toEqual(['bananas', 'avocado-toast']);
    expect(rows[0]).toMatchObject({ vars: { topic: 'bananas' }, expected: { a1: 'banana' } });
    expect(r.out).toMatch(/tests\[2\]\.assert\[3\] \(levenshtein\): assertion type "levenshtein" has no llm-eval equivalent/);
    expect(readFileSync(path.join(r.dir, 'llm-eval.yaml'), 'utf8')).toContain('levenshtein');
    const validate = runCli(['validate'], r.dir, KEYS);
    expect(validate.code, validate.stdout + validate.stderr).toBe(0);
  });

  it('reads CSV tests with __expected cells and a file:// text prompt', () => {
    const r = importFixture('csv-tests');
    expect(r.code, r.out).toBe(0);
    const config = configOf(r.dir);
    const suites = Object.values(config.suites);
    // icontains, equals and similar differ per row, so each row is its own suite.
    expect(suites.map((s) => s.graders[0]!['type']).sort()).toEqual(['contains', 'embedding-similarity', 'exact']);
    // `similar` is graded by promptfoo's default embedding model.
    expect(suites.find((s) => s.graders[0]!['type'] === 'embedding-similarity')!.graders[0]).toMatchObject({ model: 'embedder', threshold: 0.8 });
    expect(config.models['embedder']).toEqual({ provider: 'openai', model: 'text-embedding-3-small' });
    const exact = suites.find((s) => s.graders[0]!['type'] === 'exact')!;
    expect(rowsOf(r.dir, exact.dataset)).toEqual([{ id: 'morning', vars: { language: 'German', input: 'Good morning' }, expected: { a0: 'Guten Morgen' } }]);
    expect(readFileSync(path.join(r.dir, 'prompts', 'prompt', 'v1.yaml'), 'utf8')).toContain('Translate to {{language}}: {{input}}');
    expect(runCli(['validate'], r.dir, KEYS).code).toBe(0);
  });

  it('imports a JSON chat prompt, the grading provider, expanded list vars and evaluate options', () => {
    const r = importFixture('chat-json');
    expect(r.code, r.out).toBe(0);
    const config = configOf(r.dir);
    expect(config.models['judge']).toEqual({ provider: 'anthropic', model: 'claude-3-5-haiku-20241022' });
    expect(config.defaults).toEqual({ concurrency: 3 });
    const [suite] = Object.values(config.suites);
    expect(suite!.repeat).toBe(2);
    expect(suite!.graders.map((g) => g['type'])).toEqual(['json-schema', 'judge']);
    expect(rowsOf(r.dir, suite!.dataset).map((row) => (row['vars'] as { question: string }).question)).toEqual(['Where is my order?', 'How do I reset my password?']);
    const prompt = parseYaml(readFileSync(path.join(r.dir, 'prompts', 'support-chat', 'v1.yaml'), 'utf8')) as { messages: Array<{ role: string }> };
    expect(prompt.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(r.out).toContain('(python): assertion type "python" has no llm-eval equivalent');
    expect(r.out).toContain('config.response_format not carried over');
    expect(runCli(['validate'], r.dir, KEYS).code).toBe(0);
  });

  it('refuses to overwrite an existing llm-eval.yaml without --force', () => {
    const first = importFixture('echo-runnable');
    const again = runCli(['import', 'promptfoo', 'promptfooconfig.yaml'], first.dir);
    expect(again.code).toBe(2);
    expect(again.stdout + again.stderr).toContain('would overwrite llm-eval.yaml');
    expect(runCli(['import', 'promptfoo', 'promptfooconfig.yaml', '--force'], first.dir).code).toBe(0);
  });

  it('says which file is missing, with exit 2', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'llm-eval-import-missing-'));
    const r = runCli(['import', 'promptfoo', 'nope.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toContain('nope.yaml');
  });
});
