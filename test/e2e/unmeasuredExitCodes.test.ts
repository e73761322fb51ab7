/**
 * "Worse" and "could not measure" exit differently: a gate failed on measured results is exit 1;
 * a `--cache replay` miss (candidate or judge) or a model call failing at the provider (401,
 * 404) is exit 3, and the output names what could not be measured — for replay, each missing
 * case id with what was missing (candidate or judge), suite and variant.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import { runCliAsync } from '../helpers/spawnCli.js';
import { KEY_ENV, writeFakeLlmProject } from '../helpers/fakeLlmProject.js';
import { editFile } from '../helpers/project.js';

describe('exit codes: could not measure (3) vs worse (1)', () => {
  let llm: FakeLlm;
  beforeAll(async () => {
    llm = await startFakeLlm();
  });
  afterAll(() => llm.close());

  it('--cache replay with candidate misses is exit 3 and names each missing case, suite and variant', { timeout: 60_000 }, async () => {
    const dir = writeFakeLlmProject({ baseURL: llm.openaiBaseURL, rows: 4 });
    llm.reset();
    // Record only row q000 (both variants), then replay all four rows.
    expect((await runCliAsync(['run', '--filter', 'q000'], dir, KEY_ENV)).code).toBe(0);
    const recorded = llm.requests.length;
    const r = await runCliAsync(['run', '--cache', 'replay'], dir, {});
    expect(llm.requests).toHaveLength(recorded);
    expect(r.code).toBe(3);
    for (const variant of ['a', 'b']) {
      // The scope once, then the rule and the message (no "qa / a replay-miss: qa/a: …").
      expect(r.stdout).toContain(`qa / ${variant} replay-miss: --cache replay found no cached answer for 3 cases: q001 (candidate), q002 (candidate), q003 (candidate)`);
    }
  });

  it('--cache replay with judge misses is exit 3 and names the case whose judge missed', { timeout: 90_000 }, async () => {
    const dir = writeFakeLlmProject({ baseURL: llm.openaiBaseURL, rows: 2 });
    const config = path.join(dir, 'llm-eval.yaml');
    editFile(config, (t) =>
      t
        .replace('models:\n', `models:\n  judge: { provider: openai, model: gpt-4o, baseURL: "${llm.openaiBaseURL}" }\n`)
        .replace('      - { type: contains, value: "{{ n }}" }', '      - { type: contains, value: "{{ n }}" }\n      - { type: judge, model: judge, rubric: "Does it restate the question?" }'),
    );
    llm.reset();
    llm.setBehaviour((req) => (req.rawBody.includes('judge_verdict') ? { type: 'answer', json: { reasoning: 'It does.', score: 1 } } : { type: 'answer' }));
    const first = await runCliAsync(['run'], dir, KEY_ENV);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    // A new rubric: every candidate answer is cached, no judge verdict is.
    editFile(config, (t) => t.replace('Does it restate the question?', 'Does it restate the question exactly?'));
    const r = await runCliAsync(['run', '--cache', 'replay'], dir, {});
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('qa / a replay-miss: --cache replay found no cached answer for 2 cases: q000 (judge), q001 (judge)');
    expect(r.stdout).toContain('qa / b replay-miss: --cache replay found no cached answer for 2 cases: q000 (judge), q001 (judge)');
  });

  it('a 401 or a 404 from the provider is exit 3, not the regression code 1', { timeout: 60_000 }, async () => {
    for (const [reply, expected] of [
      [{ type: 'error', status: 401, message: 'Incorrect API key provided' }, /could not be measured: the model call failed \(first: .*Incorrect API key provided/],
      [{ type: 'model-not-found' }, /could not be measured: the model call failed \(first: .*does not exist/],
    ] as const) {
      const dir = writeFakeLlmProject({ baseURL: llm.openaiBaseURL, rows: 3 });
      llm.reset();
      llm.setBehaviour((req) => (req.rawBody.includes('gpt-4o-mini') ? reply : { type: 'answer' }));
      const r = await runCliAsync(['run'], dir, KEY_ENV);
      expect(r.stdout).toMatch(expected);
      expect(r.code).toBe(3);
    }
  });

  it('a gate failing on measured results stays exit 1', { timeout: 60_000 }, async () => {
    const dir = writeFakeLlmProject({ baseURL: llm.openaiBaseURL, rows: 3 });
    llm.reset();
    // Variant a answers something that does not contain the row's id: measured, and worse.
    llm.setBehaviour((req) => (req.rawBody.includes('gpt-4o-mini') ? { type: 'answer', text: 'no idea' } : { type: 'answer' }));
    const r = await runCliAsync(['run'], dir, KEY_ENV);
    expect(r.code).toBe(1);
  });
});
