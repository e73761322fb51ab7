/**
 * `{% include %}` / `{% render %}` in prompt templates, end to end through the built CLI and the
 * fake LLM server: a partial resolves only inside the prompts folder, so the project's `.env`
 * (beside llm-eval.yaml, in the working directory) can never be pulled into a prompt sent to a
 * provider: a literal name is refused at load with the template's FILE:LINE, a name taken from
 * a dataset row at validation with the row's. And the prompt hash covers the included text:
 * editing a partial is a prompt change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import { runCliAsync } from '../helpers/spawnCli.js';
import { readResultLines } from '../helpers/fakeLlmProject.js';

const DOTENV_SECRET = 'DB_PASSWORD=hunter2-dotenv-secret';
const ENV = { OPENAI_API_KEY: 'sk-test-includes-000000' };

function writeProject(llm: FakeLlm, template: string, rows: Array<Record<string, string>>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'llm-eval-includes-'));
  mkdirSync(path.join(dir, 'prompts', 'ask'), { recursive: true });
  mkdirSync(path.join(dir, 'prompts', 'partials'), { recursive: true });
  mkdirSync(path.join(dir, 'datasets'));
  writeFileSync(path.join(dir, '.env'), `${DOTENV_SECRET}\n`);
  writeFileSync(path.join(dir, 'prompts', 'ask', 'v1.txt'), template);
  writeFileSync(path.join(dir, 'prompts', 'partials', 'header.liquid'), 'You are a careful assistant.\n');
  writeFileSync(path.join(dir, 'datasets', 'rows.jsonl'), rows.map((vars, i) => JSON.stringify({ id: `r${i}`, vars })).join('\n') + '\n');
  writeFileSync(
    path.join(dir, 'llm-eval.yaml'),
    [
      'models:',
      `  gpt: { provider: openai, model: gpt-4o-mini, baseURL: "${llm.openaiBaseURL}" }`,
      'suites:',
      '  qa: { prompt: ask, dataset: datasets/rows.jsonl, model: gpt, graders: [{ type: contains, value: "{{ word }}" }] }',
      'defaults: { concurrency: 2, retries: 0, timeoutMs: 30000, cache: off }',
      '',
    ].join('\n'),
  );
  return dir;
}

describe('prompt partials stay inside the prompts folder and are part of the prompt hash', () => {
  let llm: FakeLlm;
  beforeAll(async () => {
    llm = await startFakeLlm();
  });
  afterAll(() => llm.close());

  for (const name of ['.env', '../.env']) {
    it(`refuses {% include "${name}" %} at the template's line, before any call`, { timeout: 60_000 }, async () => {
      const dir = writeProject(llm, `Word: {{ word }}\n{% include "${name}" %}\n`, [{ word: 'alpha' }]);
      llm.reset();
      for (const cmd of [['validate'], ['run']]) {
        const r = await runCliAsync(cmd, dir, ENV);
        expect(r.code, `${cmd[0]}: ${r.stdout}${r.stderr}`).toBe(2);
        expect(r.stderr).toContain(`prompts${path.sep}ask${path.sep}v1.txt:2:`);
        expect(r.stderr).toMatch(/prompts folder/);
        expect(r.stderr + r.stdout).not.toContain('hunter2');
      }
      expect(llm.requests).toEqual([]);
    });
  }

  it('refuses a partial named by a dataset row at the row, and never sends .env', { timeout: 60_000 }, async () => {
    const dir = writeProject(llm, 'Word: {{ word }}\n{% render file %}\n', [{ word: 'alpha', file: 'partials/header.liquid' }, { word: 'beta', file: '.env' }]);
    llm.reset();
    const validate = await runCliAsync(['validate'], dir, ENV);
    expect(validate.code, validate.stdout + validate.stderr).toBe(2);
    expect(validate.stderr).toContain(`datasets${path.sep}rows.jsonl:2:`);
    expect(validate.stderr).toMatch(/partial "\.env" not found inside the prompts folder/);
    const run = await runCliAsync(['run'], dir, ENV);
    expect(run.code).toBe(2);
    expect(llm.requests.filter((r) => r.rawBody.includes('hunter2'))).toEqual([]);
  });

  it('changes the prompt hash when an included partial changes', { timeout: 60_000 }, async () => {
    const dir = writeProject(llm, '{% include "partials/header.liquid" %}Word: {{ word }}\n', [{ word: 'alpha' }]);
    llm.reset();
    const hashOfRun = async (): Promise<string> => {
      const r = await runCliAsync(['run'], dir, ENV);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const [line] = readResultLines(path.join(realpathSync(path.join(dir, 'reports', 'latest')), 'results.jsonl'));
      return (line!['prompt'] as { hash: string }).hash;
    };
    const before = await hashOfRun();
    expect(llm.requests.at(-1)?.rawBody).toContain('You are a careful assistant.');
    writeFileSync(path.join(dir, 'prompts', 'partials', 'header.liquid'), 'You are a terse assistant.\n');
    const after = await hashOfRun();
    expect(llm.requests.at(-1)?.rawBody).toContain('You are a terse assistant.');
    expect(after).not.toBe(before);
  });
});
