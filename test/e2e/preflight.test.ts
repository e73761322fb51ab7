/**
 * Pre-flight, end to end: what would make every case error is an input error before any call
 * (exit 2, FILE:LINE, nothing sent to the fake server) — a model whose key variable is unset,
 * a broken `script` model module — while a replay run from a full cache needs no key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import { runCliAsync } from '../helpers/spawnCli.js';
import { KEY_ENV, LOCAL_KEY, writeFakeLlmProject } from '../helpers/fakeLlmProject.js';
import { editFile, lineContaining as lineOf } from '../helpers/project.js';


describe('pre-flight: unset keys', () => {
  let llm: FakeLlm;
  beforeAll(async () => {
    llm = await startFakeLlm();
  });
  afterAll(() => llm.close());

  it('a model whose key variable is unset is exit 2 before any call, naming the variable and the model', { timeout: 60_000 }, async () => {
    const dir = writeFakeLlmProject({ baseURL: llm.openaiBaseURL, rows: 3 });
    llm.reset();
    // OPENAI_API_KEY is unset (the `gpt` model needs it); LOCAL_KEY is set.
    const r = await runCliAsync(['run'], dir, { LOCAL_KEY });
    expect(r.code).toBe(2);
    const config = path.join(dir, 'llm-eval.yaml');
    expect(r.stderr).toContain(`llm-eval.yaml:${lineOf(config, '  gpt:')}: model "gpt": OPENAI_API_KEY is not set`);
    expect(llm.requests).toHaveLength(0);
    expect(existsSync(path.join(dir, 'reports', 'latest'))).toBe(false);
  });

  it('an unset apiKeyEnv variable is named too', { timeout: 60_000 }, async () => {
    const dir = writeFakeLlmProject({ baseURL: llm.openaiBaseURL, rows: 2 });
    llm.reset();
    const r = await runCliAsync(['run'], dir, { OPENAI_API_KEY: KEY_ENV.OPENAI_API_KEY });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/model "local": LOCAL_KEY is not set/);
    expect(llm.requests).toHaveLength(0);
  });

  it('--cache replay from a full cache needs no key', { timeout: 60_000 }, async () => {
    const dir = writeFakeLlmProject({ baseURL: llm.openaiBaseURL, rows: 3 });
    llm.reset();
    expect((await runCliAsync(['run'], dir, KEY_ENV)).code).toBe(0);
    const recorded = llm.requests.length;
    const replay = await runCliAsync(['run', '--cache', 'replay'], dir, {});
    expect(replay.stderr).not.toMatch(/is not set/);
    expect(replay.code).toBe(0);
    expect(llm.requests).toHaveLength(recorded);
    expect(replay.stdout).not.toContain(LOCAL_KEY);
  });
});

describe('pre-flight: broken script model modules', () => {
  const broken: Array<[string, string | null, RegExp]> = [
    ['missing file', null, /not found/],
    ['syntax error', 'export default async (prompt) => { return prompt +; };\n', /cannot load the module/],
    ['throws at import', 'throw new Error("no model weights here");\nexport default async () => "x";\n', /no model weights here/],
    ['no default export', 'export const answer = 42;\n', /must export a function/],
  ];

  for (const [what, source, message] of broken) {
    it(`${what}: validate and run are exit 2 at the model's line in llm-eval.yaml`, { timeout: 60_000 }, async () => {
      const dir = writeFakeLlmProject({ baseURL: 'http://127.0.0.1:9/v1', rows: 2 });
      mkdirSync(path.join(dir, 'providers'));
      if (source !== null) writeFileSync(path.join(dir, 'providers', 'mine.mjs'), source);
      const config = path.join(dir, 'llm-eval.yaml');
      editFile(config, (t) => t.replace('models:\n', 'models:\n  mine: { provider: script, module: providers/mine.mjs }\n').replace('      b: { model: local }', '      b: { model: local }\n      c: { model: mine }'));
      const line = lineOf(config, '  mine:');

      const v = await runCliAsync(['validate'], dir, {});
      expect(v.code).toBe(2);
      expect(v.stderr).toContain(`llm-eval.yaml:${line}: model "mine": `);
      expect(v.stderr).toMatch(message);

      const r = await runCliAsync(['run'], dir, KEY_ENV);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`llm-eval.yaml:${line}: model "mine": `);
      expect(existsSync(path.join(dir, 'reports', 'latest'))).toBe(false);
    });
  }
});
