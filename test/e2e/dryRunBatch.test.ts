/**
 * `run --dry-run` prices the calls that would go as provider batches at the batch rate, as the
 * run itself prices them: `--batch` halves every model with a batch API (OpenAI, Anthropic), and
 * `batch: true` on a model halves it without the flag; an openai-compatible server without
 * `batch: true` has no batch API and stays at the full price. Built CLI; nothing is called.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliAsync } from '../helpers/spawnCli.js';

interface Forecast {
  suites: Array<{ variants: Array<{ name: string; costUsd: number | null }> }>;
  totals: { costUsd: number | null };
  batched: string[];
}

function project(localBatch: boolean): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'llm-eval-drybatch-'));
  mkdirSync(path.join(dir, 'prompts', 'ask'), { recursive: true });
  mkdirSync(path.join(dir, 'datasets'));
  writeFileSync(path.join(dir, 'prompts', 'ask', 'v1.txt'), 'Answer briefly: {{ q }}\n');
  writeFileSync(path.join(dir, 'datasets', 'qs.jsonl'), Array.from({ length: 20 }, (_, i) => JSON.stringify({ id: `q${i}`, vars: { q: `question number ${i} about billing` } })).join('\n') + '\n');
  writeFileSync(
    path.join(dir, 'llm-eval.yaml'),
    [
      'models:',
      '  gpt: { provider: openai, model: gpt-4o-mini, baseURL: "http://127.0.0.1:9/v1", params: { max_tokens: 50 } }',
      `  local: { provider: openai-compatible, model: m, baseURL: "http://127.0.0.1:9/v1", price: { input: 1, output: 2 }, params: { max_tokens: 50 }${localBatch ? ', batch: true' : ''} }`,
      'suites:',
      '  qa:',
      '    prompt: ask',
      '    dataset: datasets/qs.jsonl',
      '    variants: { gpt: { model: gpt }, local: { model: local } }',
      '    graders:',
      '      - { type: contains, value: "billing" }',
      'defaults: { cache: off }',
      '',
    ].join('\n'),
  );
  return dir;
}

const ENV = { OPENAI_API_KEY: 'sk-test-drybatch-000000' };

async function forecast(dir: string, flags: string[]): Promise<Forecast> {
  const dry = await runCliAsync(['run', '--dry-run', '--json', ...flags], dir, ENV);
  expect(dry.code, dry.stderr).toBe(0);
  return JSON.parse(dry.stdout) as Forecast;
}

const costOf = (f: Forecast, variant: string): number => f.suites[0]!.variants.find((v) => v.name === variant)!.costUsd!;

describe('--dry-run in batch mode', () => {
  it('--batch halves the models with a batch API, not an openai-compatible server without batch: true', { timeout: 60_000 }, async () => {
    const dir = project(false);
    const interactive = await forecast(dir, []);
    const batch = await forecast(dir, ['--batch']);
    expect(interactive.batched).toEqual([]);
    expect(batch.batched).toEqual(['gpt']);
    expect(costOf(interactive, 'gpt')).toBeGreaterThan(0);
    // OpenAI Batch API: 50% of input and output (BATCH_DISCOUNT); the same tokens either way.
    expect(costOf(batch, 'gpt')).toBeCloseTo(costOf(interactive, 'gpt') / 2, 12);
    expect(costOf(batch, 'local')).toBe(costOf(interactive, 'local'));
    expect(batch.totals.costUsd).toBeCloseTo(costOf(interactive, 'gpt') / 2 + costOf(interactive, 'local'), 12);

    const terminal = await runCliAsync(['run', '--dry-run', '--batch'], dir, ENV);
    expect(terminal.code, terminal.stderr).toBe(0);
    expect(terminal.stdout).toContain('Priced at the batch rate (half) for the calls that would go as provider batches: gpt.');
  });

  it('`batch: true` on a model halves it without --batch', { timeout: 60_000 }, async () => {
    const dir = project(true);
    const plain = await forecast(project(false), []);
    const f = await forecast(dir, []);
    expect(f.batched).toEqual(['local']);
    expect(costOf(f, 'local')).toBeCloseTo(costOf(plain, 'local') / 2, 12);
    expect(costOf(f, 'gpt')).toBe(costOf(plain, 'gpt'));
  });
});
