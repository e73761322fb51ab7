/**
 * Builders for driving the model caller against the fake server without a config file:
 * a ResolvedModel with the loader's defaults, and a ResolvedConfig in a fresh temp folder.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ResolvedConfig, ResolvedModel, RunDefaults } from '../../src/types.js';

export function testModel(name: string, fields: Partial<ResolvedModel> & Pick<ResolvedModel, 'provider'>): ResolvedModel {
  return { name, params: {}, stream: true, ...fields };
}

export function tempDir(prefix = 'llm-eval-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** A config whose folder (and cache) is a fresh temp dir, with fast defaults for tests. */
export function testConfig(models: ResolvedModel[], defaults: Partial<RunDefaults> = {}, dir = tempDir()): ResolvedConfig {
  return {
    file: path.join(dir, 'llm-eval.yaml'),
    dir,
    hash: 'test',
    models: Object.fromEntries(models.map((m) => [m.name, m])),
    suites: [],
    defaults: { concurrency: 8, timeoutMs: 10_000, retries: 4, cache: 'off', ...defaults },
    outDir: path.join(dir, 'reports'),
    cacheDir: path.join(dir, '.llm-eval', 'cache'),
    promptsDir: path.join(dir, 'prompts'),
  };
}
