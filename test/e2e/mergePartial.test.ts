/**
 * `llm-eval merge` of shard runs through the built CLI, against the fake LLM server: an
 * incomplete set of shards is exit 3 unless --allow-partial, and the warnings name the shards
 * that are really missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import { runCliAsync } from '../helpers/spawnCli.js';
import { KEY_ENV, writeFakeLlmProject } from '../helpers/fakeLlmProject.js';

/** Runs one shard and returns its run folder. */
async function runShard(dir: string, shard: string): Promise<string> {
  const reports = path.join(dir, 'reports');
  const before = new Set(readdirSync(reports));
  const r = await runCliAsync(['run', '--shard', shard, '--format', 'json'], dir, KEY_ENV);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  const created = readdirSync(reports).filter((d) => /^\d{8}-\d{6}-/.test(d) && !before.has(d));
  expect(created).toHaveLength(1);
  return path.join(reports, created[0]!);
}

describe('merge of an incomplete set of shards', () => {
  let llm: FakeLlm;
  let dir: string;
  beforeAll(async () => {
    llm = await startFakeLlm();
    dir = writeFakeLlmProject({ baseURL: llm.openaiBaseURL, rows: 12 });
    mkdirSync(path.join(dir, 'reports'), { recursive: true });
  });
  afterAll(async () => {
    await llm.close();
  });

  it('is exit 3 naming the missing shard, and exit 0 with --allow-partial', async () => {
    const one = await runShard(dir, '1/3');
    const two = await runShard(dir, '2/3');
    const merged = await runCliAsync(['merge', one, two], dir, KEY_ENV);
    expect(merged.code, merged.stdout + merged.stderr).toBe(3);
    expect(merged.stdout).toMatch(/shard 3\/3 missing/);
    expect(merged.stdout).toMatch(/\[shards-missing\]/);

    const partial = await runCliAsync(['merge', one, two, '--allow-partial'], dir, KEY_ENV);
    expect(partial.code, partial.stdout + partial.stderr).toBe(0);
    expect(partial.stdout).toMatch(/shard 3\/3 missing/);
  });

  it('names the shards of each split when shard counts differ', async () => {
    const half = await runShard(dir, '1/2');
    const third = await runShard(dir, '2/3');
    const merged = await runCliAsync(['merge', half, third], dir, KEY_ENV);
    expect(merged.code).toBe(3);
    // 1/2 and 2/3 are different shards: neither "appears twice", and 2/2, 1/3, 3/3 are missing.
    expect(merged.stdout).not.toMatch(/appears twice/);
    expect(merged.stdout).toMatch(/shards 2\/2, 1\/3, 3\/3 missing/);
    expect(merged.stdout).toMatch(/different shard counts \(1\/2 and 2\/3\)/);
  });
});
