import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';

function project(models: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'llm-eval-price-'));
  mkdirSync(path.join(dir, 'prompts', 'p'), { recursive: true });
  mkdirSync(path.join(dir, 'datasets'));
  writeFileSync(path.join(dir, 'prompts', 'p', 'v1.txt'), 'Hi {{ name }}');
  writeFileSync(path.join(dir, 'datasets', 'd.jsonl'), '{"vars":{"name":"Ada"}}\n');
  writeFileSync(path.join(dir, 'llm-eval.yaml'), `models:\n${models}\nsuites:\n  s:\n    prompt: p\n    model: m\n    dataset: datasets/d.jsonl\n    graders:\n      - { type: contains, value: Ada }\n`);
  return dir;
}

describe('model price and reasoning params in llm-eval.yaml', () => {
  it('accepts cache-write rates in a price override and reasoning params, passing them through unchanged', async () => {
    const dir = project(
      '  m: { provider: anthropic, model: claude-sonnet-4-5, price: { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75, cacheWrite1h: 6 }, params: { thinking: { type: enabled, budget_tokens: 2048 } } }\n' +
        '  o: { provider: openai, model: o3, params: { reasoning_effort: high } }',
    );
    const config = await loadConfig({ cwd: dir });
    const byName = config.models;
    expect(byName['m']!.price).toEqual({ input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75, cacheWrite1h: 6 });
    expect(byName['m']!.params).toEqual({ thinking: { type: 'enabled', budget_tokens: 2048 } });
    expect(byName['o']!.params).toEqual({ reasoning_effort: 'high' });
  });

  it('rejects a negative cache-write rate at its line', async () => {
    const dir = project('  m: { provider: anthropic, model: claude-sonnet-4-5, price: { input: 3, output: 15, cacheWrite: -1 } }');
    const err = await loadConfig({ cwd: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    const issue = (err as ConfigError).issues[0]!;
    expect(issue.line).toBe(2);
    expect(issue.message).toBe('models.m.price.cacheWrite must be >= 0.');
  });
});
