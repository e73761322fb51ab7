import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, findConfigFile } from '../../src/config/load.js';
import { ConfigError, UsageError } from '../../src/errors.js';

function project(config: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'llm-eval-config-'));
  const all: Record<string, string> = {
    'prompts/greet/v1.txt': 'Hello {{ name }}',
    'prompts/greet/v2.txt': 'Hi {{ name }}',
    'prompts/greet/v10.txt': 'Hey {{ name }}',
    'datasets/people.jsonl': '{"vars":{"name":"Ada"},"expected":"Hey Ada"}\n',
    ...files,
    'llm-eval.yaml': config,
  };
  for (const [rel, text] of Object.entries(all)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

async function issuesOf(config: string, files?: Record<string, string>): Promise<string[]> {
  const dir = project(config, files);
  try {
    await loadConfig({ cwd: dir });
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => `${path.basename(i.file)}:${i.line}: ${i.message}`);
    throw err;
  }
  return [];
}

const GOOD = `models:
  e: { provider: echo }
suites:
  greet:
    prompt: greet
    model: e
    dataset: datasets/people.jsonl
    graders:
      - { type: exact }
`;

describe('loadConfig', () => {
  it('resolves a valid config with defaults, latest prompt by natural sort and a variant named after the model', async () => {
    const dir = project(GOOD);
    const config = await loadConfig({ cwd: path.join(dir, 'datasets') });
    expect(config.file).toBe(path.join(dir, 'llm-eval.yaml'));
    expect(config.defaults).toEqual({ concurrency: 8, timeoutMs: 60000, retries: 4, cache: 'on' });
    const suite = config.suites[0]!;
    expect(suite.variants.map((v) => [v.name, v.prompt.ref])).toEqual([['e', 'greet@v10']]);
    expect(config.outDir).toBe(path.join(dir, 'reports'));
  });

  it('finds llm-eval.yaml by walking up from a subfolder', () => {
    const dir = project(GOOD);
    expect(findConfigFile(path.join(dir, 'prompts', 'greet'))).toBe(path.join(dir, 'llm-eval.yaml'));
  });

  it('reports a YAML syntax error with its line', async () => {
    const issues = await issuesOf('models:\n  e: { provider: echo\nsuites: {}\n');
    expect(issues[0]).toMatch(/^llm-eval\.yaml:\d+: YAML syntax/);
  });

  it('names an unknown key with its line and suggests the right one', async () => {
    const issues = await issuesOf(GOOD.replace('    dataset:', '    datset: x\n    dataset:'));
    expect(issues).toContainEqual(expect.stringMatching(/^llm-eval\.yaml:7: unknown key `datset` in suites\.greet\. Did you mean `dataset`\?/));
  });

  it('lists the valid providers for an unknown one', async () => {
    const issues = await issuesOf(GOOD.replace('provider: echo', 'provider: opneai'));
    expect(issues[0]).toMatch(/^llm-eval\.yaml:2: model "e": unknown provider "opneai" \(choose one of: .*openai/);
  });

  it('reports every problem at once, each at its own line', async () => {
    const bad = GOOD.replace('model: e', 'model: nope').replace('datasets/people.jsonl', 'datasets/missing.jsonl').replace('prompt: greet', 'prompt: greet@v3');
    const issues = await issuesOf(bad);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^llm-eval\.yaml:7: .*dataset file datasets\/missing\.jsonl not found/),
        expect.stringMatching(/^llm-eval\.yaml:6: unknown model "nope" \(defined models: e\)/),
      ]),
    );
  });

  it('reports a missing prompt version with the versions that exist', async () => {
    const issues = await issuesOf(GOOD.replace('prompt: greet', 'prompt: greet@v3'));
    expect(issues.join('\n')).toMatch(/llm-eval\.yaml:5: .*v3.*v1.*v2.*v10|llm-eval\.yaml:5: .*v3/);
  });

  it('reports a bad grader option at the grader', async () => {
    const issues = await issuesOf(GOOD.replace('{ type: exact }', '{ type: exact, ignoreCaes: true }'));
    expect(issues[0]).toMatch(/^llm-eval\.yaml:9: grader exact: .*ignoreCaes/);
  });

  it('reports an unknown grader type with the valid ones', async () => {
    const issues = await issuesOf(GOOD.replace('{ type: exact }', '{ type: exakt }'));
    expect(issues[0]).toMatch(/^llm-eval\.yaml:9: .*exakt.*exact/);
  });

  it('is a usage error when no config exists', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'llm-eval-none-'));
    await expect(loadConfig({ cwd: dir })).rejects.toBeInstanceOf(UsageError);
  });
});

describe('loadConfig on hostile configs', () => {
  it('names a duplicate key with both its lines', async () => {
    const issues = await issuesOf(GOOD.replace('    model: e\n', '    model: e\n    model: e\n'));
    // GOOD's `model: e` is on line 6; the copy is line 7.
    expect(issues).toContainEqual('llm-eval.yaml:7: duplicate key `model` (first given on line 6): keep one');
  });

  it('finds a duplicate among 40,000 keys in linear time (the quadratic check took minutes)', { timeout: 60_000 }, async () => {
    const keys = Array.from({ length: 40_000 }, (_, i) => `  m${i}: { provider: echo }`);
    keys.push('  m7: { provider: echo }'); // line 2 + 40,000: the second m7 (the first is line 9)
    const config = GOOD.replace('models:\n', `models:\n${keys.join('\n')}\n`);
    const issues = await issuesOf(config);
    expect(issues).toEqual(['llm-eval.yaml:40002: duplicate key `m7` (first given on line 9): keep one']);
  });

  it('refuses a config over 2 MB with its size, before parsing it', async () => {
    // 150,000 lines of 30 bytes ("  m000000: { provider: echo }\n") + GOOD's ~150: 4,500,150 B / 2^20 = 4.29 MB.
    const keys = Array.from({ length: 150_000 }, (_, i) => `  m${String(i).padStart(6, '0')}: { provider: echo }`);
    const issues = await issuesOf(GOOD.replace('models:\n', `models:\n${keys.join('\n')}\n`));
    expect(issues).toEqual([expect.stringMatching(/^llm-eval\.yaml:1: the config is 4\.3 MB; at most 2 MB is read/)]);
  });
});

describe('config messages', () => {
  it('suggest a key with two letters swapped, and use "an" before a vowel', async () => {
    const issues = await issuesOf(GOOD.replace('    model: e\n', '    modle: e\n    repeat: 2.5\n'));
    expect(issues).toContainEqual(expect.stringMatching(/^llm-eval\.yaml:6: unknown key `modle` in suites\.greet\. Did you mean `model`\?/));
    expect(issues).toContainEqual('llm-eval.yaml:7: suites.greet.repeat must be an integer.');
  });
});
