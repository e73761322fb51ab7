/**
 * `run --resume` refuses to mix two versions of a run, through the built CLI against the fake
 * LLM server: a changed prompt, grader or dataset row, or a --shard/--repeat/--cache that
 * contradicts the run's, is exit 2 before any call, naming what changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import { runCliAsync } from '../helpers/spawnCli.js';
import { KEY_ENV } from '../helpers/fakeLlmProject.js';
import { judgeServer, writeJudgeProject } from '../helpers/judgeProject.js';

describe('--resume checks what it continues (built CLI, fake server)', () => {
  let llm: FakeLlm;
  beforeAll(async () => {
    llm = await startFakeLlm();
  });
  afterAll(async () => {
    await llm.close();
  });

  it('refuses a changed prompt, grader or dataset row, and conflicting flags; resumes once undone', async () => {
    llm.setBehaviour(judgeServer());
    // Each call costs $0.12 and reserves more: a $0.30 budget stops the run after a few of its 6 cases.
    const dir = writeJudgeProject({ baseURL: llm.openaiBaseURL, rows: 6, candidatePrice: { input: 1000, output: 1000 }, singleVariant: true, concurrency: 1 });
    const first = await runCliAsync(['run', '--max-cost', '0.3', '--format', 'json'], dir, KEY_ENV);
    expect(first.code, first.stdout + first.stderr).toBe(3);

    const edit = (rel: string, change: (text: string) => string): (() => void) => {
      const file = path.join(dir, rel);
      const before = readFileSync(file, 'utf8');
      writeFileSync(file, change(before));
      return () => writeFileSync(file, before);
    };
    const refused = async (args: string[], why: RegExp): Promise<void> => {
      llm.reset();
      llm.setBehaviour(judgeServer());
      const r = await runCliAsync(['run', '--resume', 'latest', '--format', 'json', ...args], dir, KEY_ENV);
      expect(r.code, r.stdout + r.stderr).toBe(2);
      expect(r.stderr).toMatch(why);
      expect(llm.requests).toHaveLength(0);
    };

    let undo = edit('prompts/answer/v1.txt', (t) => `Answer briefly. ${t}`);
    await refused([], /qa\/a: prompt changed/);
    undo();

    undo = edit('llm-eval.yaml', (t) => t.replace('value: "{{ n }}"', 'value: "{{ n }}!"'));
    await refused([], /qa\/a: graders changed/);
    undo();

    undo = edit('datasets/qa.jsonl', (t) => t.replace('what is 0 + 0?', 'what is 0 + 1?'));
    await refused([], /qa: dataset row q000 changed/);
    undo();

    await refused(['--shard', '1/2'], /--shard 1\/2 \(the run has none\)/);
    await refused(['--repeat', '2'], /--repeat 2/);
    await refused(['--cache', 'on'], /--cache on \(the run has off\)/);

    llm.reset();
    llm.setBehaviour(judgeServer());
    const resumed = await runCliAsync(['run', '--resume', 'latest', '--format', 'json'], dir, KEY_ENV);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    expect(llm.requests.length).toBeGreaterThan(0);
  }, 180_000);
});
