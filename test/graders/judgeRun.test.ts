import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { runEval } from '../../src/runner/runEval.js';
import { calibrate } from '../../src/calibrate/calibrate.js';
import { main } from '../../src/cli/main.js';
import { ConfigError } from '../../src/errors.js';
import type { CaseRecord } from '../../src/types.js';
import { startFakeLlm, type FakeLlm, type RecordedRequest } from '../fake-llm/server.js';
import { failureOf } from './judgeTestEnv.js';

/**
 * A whole run with judges: llm-eval.yaml, prompts and a dataset on disk, candidates and judges
 * served by the fake LLM server, through runEval. Proves the wiring: judge cost reported apart
 * from the candidates', pairwise in report.json, bias warnings in the report, calibrate on the
 * same config.
 */

let fake: FakeLlm;
beforeAll(async () => {
  fake = await startFakeLlm();
});
afterAll(async () => {
  await fake.close();
});

type Msg = { role: string; content: string };
function userText(req: RecordedRequest): string {
  const msgs = (req.body?.['messages'] as Msg[]) ?? [];
  return msgs.filter((m) => m.role === 'user').map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content))).join('\n');
}
function fenced(text: string, label: string): string {
  const m = new RegExp(`<<<${label}-([0-9a-f]{16})>>>\\n([\\s\\S]*?)\\n<<<END-${label}-\\1>>>`).exec(text);
  return m ? m[2]! : '';
}

/** Candidates answer by model; the judge passes answers naming Paris; pairwise prefers Paris. */
function behaviour(req: RecordedRequest) {
  const rf = req.body?.['response_format'] as { json_schema?: { name?: string } } | undefined;
  const schema = rf?.json_schema?.name ?? (req.body?.['tool_choice'] as { name?: string } | undefined)?.name;
  const text = userText(req);
  if (schema === 'judge_verdict') {
    const ok = fenced(text, 'OUTPUT').includes('Paris');
    return { type: 'answer' as const, json: { reasoning: ok ? 'Names Paris.' : 'Wrong city.', score: ok ? 5 : 1 }, usage: { input: 1000, output: 100 } };
  }
  if (schema === 'pairwise_verdict') {
    const one = fenced(text, 'RESPONSE-1').includes('Paris');
    const two = fenced(text, 'RESPONSE-2').includes('Paris');
    return { type: 'answer' as const, json: { reasoning: 'Compared.', winner: one === two ? 'tie' : one ? '1' : '2' }, usage: { input: 2000, output: 100 } };
  }
  const model = String(req.body?.['model']);
  return { type: 'answer' as const, text: model.startsWith('gpt') ? 'Paris' : 'Lyon', usage: { input: 10, output: 1 } };
}

function writeProject(extraSuiteYaml = ''): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'judge-run-'));
  mkdirSync(path.join(dir, 'prompts', 'capital'), { recursive: true });
  mkdirSync(path.join(dir, 'datasets'));
  writeFileSync(path.join(dir, 'prompts', 'capital', 'v1.md'), 'What is the capital of {{ country }}?\n');
  writeFileSync(
    path.join(dir, 'datasets', 'capitals.jsonl'),
    ['France', 'Francia', 'La France'].map((c, i) => JSON.stringify({ id: `c${i + 1}`, vars: { country: c }, expected: 'Paris' })).join('\n') + '\n',
  );
  writeFileSync(
    path.join(dir, 'datasets', 'labels.jsonl'),
    [
      { id: 'l1', vars: { country: 'France', output: 'Paris' }, human: 'pass' },
      { id: 'l2', vars: { country: 'France', output: 'Lyon' }, human: 'fail' },
      { id: 'l3', vars: { country: 'France', output: 'Paris, I believe' }, human: 'fail' },
    ].map((r) => JSON.stringify(r)).join('\n') + '\n',
  );
  const price = '{ input: 1, output: 2 }';
  writeFileSync(
    path.join(dir, 'llm-eval.yaml'),
    `models:
  gpt:    { provider: openai, model: gpt-4.1-mini, baseURL: ${fake.openaiBaseURL}, apiKeyEnv: FAKE_KEY, price: ${price}, stream: false }
  claude: { provider: anthropic, model: claude-3-5-haiku-latest, baseURL: ${fake.anthropicBaseURL}, apiKeyEnv: FAKE_KEY, price: ${price} }
  judge:  { provider: openai, model: gpt-4o, baseURL: ${fake.openaiBaseURL}, apiKeyEnv: FAKE_KEY, price: ${price}, stream: false }
suites:
  capitals:
    prompt: capital
    dataset: datasets/capitals.jsonl
    variants:
      old: { model: gpt }
      new: { model: claude }
    graders:
      - { type: judge, name: correct, model: judge, builtin: closed-qa, scale: { min: 1, max: 5 }, threshold: 0.75 }
      - { type: pairwise, name: preference, model: judge, builtin: factuality }
  calibration:
    prompt: capital
    model: gpt
    dataset: datasets/labels.jsonl
    graders:
      - { type: judge, name: correct, model: judge, rubric: "Does the answer name the right capital?", scale: { min: 1, max: 5 }, threshold: 0.75 }
${extraSuiteYaml}defaults: { concurrency: 2, retries: 0, cache: off }
`,
  );
  return dir;
}

describe('a run with judge and pairwise graders, against the fake server', () => {
  it('reports judge cost apart from candidate cost, pairwise per pair, and the self-preference warning', async () => {
    fake.reset();
    fake.setBehaviour(behaviour);
    const dir = writeProject();
    const config = await loadConfig({ configFile: path.join(dir, 'llm-eval.yaml') });
    const outcome = await runEval({ config, suites: ['capitals'], env: { FAKE_KEY: 'sk-test-run' }, formats: ['json'] });
    expect(outcome.status).toBe('completed');

    const records = readFileSync(path.join(outcome.dir, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as CaseRecord);
    expect(records).toHaveLength(6);
    for (const r of records) {
      // candidate: 10 input + 1 output token at $1/$2 per 1M; judge: 1000 in + 100 out
      expect(r.costUsd).toBeCloseTo(12e-6, 12);
      expect(r.judgeCostUsd).toBeCloseTo(1200e-6, 12);
      expect(r.grades.map((g) => g.grader)).toEqual(['correct']); // pairwise is not a per-case grade
      expect(r.pass).toBe(r.variant === 'old');
    }
    const old = records.find((r) => r.variant === 'old')!;
    expect(old.grades[0]!.reason).toBe('score 5 on 1..5 (1 ≥ 0.75): Names Paris.');

    const report = outcome.report;
    const suite = report.suites[0]!;
    const byVariant = Object.fromEntries(suite.variants.map((v) => [v.name, v]));
    expect(byVariant['old']!.costUsd).toBeCloseTo(36e-6, 10);
    expect(byVariant['old']!.judgeCostUsd).toBeCloseTo(3600e-6, 10);
    // pairwise: 3 cases × 2 orders × (2000 in + 100 out) = 6 × $0.0022
    expect(suite['pairwise']).toEqual([
      expect.objectContaining({ grader: 'preference', judge: 'judge', a: 'old', b: 'new', cases: 3, wins: 3, ties: 0, losses: 0, winRate: 1, orderDisagreement: 0, missing: 0, errors: 0 }),
    ]);
    expect((suite['pairwise'] as Array<{ costUsd: number }>)[0]!.costUsd).toBeCloseTo(6 * 2200e-6, 10);
    expect(report.totals.costUsd).toBeCloseTo(72e-6, 10);
    expect(report.totals.judgeCostUsd).toBeCloseTo(6 * 1200e-6 + 6 * 2200e-6, 10);
    expect(report.warnings.filter((w) => w.includes('self-preference'))).toHaveLength(2); // correct and preference, both vs gpt
    const stored = JSON.parse(readFileSync(path.join(outcome.dir, 'report.json'), 'utf8'));
    expect(stored.suites[0].pairwise[0].wins).toBe(3);
    expect(readFileSync(path.join(outcome.dir, 'pairwise.jsonl'), 'utf8').trim().split('\n')).toHaveLength(3);
  });

  it('calibrates the judge of a suite on human-labelled outputs', async () => {
    fake.reset();
    fake.setBehaviour(behaviour);
    const dir = writeProject();
    const config = await loadConfig({ configFile: path.join(dir, 'llm-eval.yaml') });
    const report = await calibrate({ config, suite: 'calibration', env: { FAKE_KEY: 'sk-test-run' }, cache: 'off' });
    expect(report.confusion.matrix).toEqual([
      [1, 0],
      [1, 1],
    ]);
    expect(report.disagreements.map((d) => [d.id, d.human, d.judge])).toEqual([['l3', 'fail', 'pass']]);
    expect(report.accuracy).toBeCloseTo(2 / 3, 12);
    // p_o = 2/3; human pass 1/3, judge pass 2/3: p_e = (1·2 + 2·1) / 9 = 4/9; κ = (2/3 − 4/9) / (5/9) = 0.4
    expect(report.kappa).toBeCloseTo(0.4, 12);
    expect(fake.requests).toHaveLength(3);
    expect(report.costUsd).toBeCloseTo(3 * 1200e-6, 10);
  });

  it('`llm-eval calibrate` prints the agreement table, gates on --min-kappa, and prints JSON with --json', async () => {
    fake.reset();
    fake.setBehaviour(behaviour);
    const dir = writeProject();
    const out: string[] = [];
    const err: string[] = [];
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
    process.env['FAKE_KEY'] = 'sk-test-cli';
    const exitBefore = process.exitCode;
    try {
      await main(['node', 'llm-eval', 'calibrate', '--suite', 'calibration', '--config', path.join(dir, 'llm-eval.yaml'), '--cache', 'off', '--min-kappa', '0.6']);
      expect(process.exitCode).toBe(1);
      // cli-table3 colours borders and headers: compare the text without them
      const text = out.join('').replace(/\u001b\[[0-9;]*m/g, '');
      expect(text).toContain('accuracy 66.7%   Cohen\'s kappa 0.400');
      expect(text).toMatch(/│ pass\s+│ 1\s+│ 0\s+│/);
      expect(text).toMatch(/│ l3\s+│ 3\s+│ fail\s+│ pass\s+│ 1\.00\s+│ Names Paris\.\s+│/);
      expect(err.join('')).toContain('kappa 0.400 is below --min-kappa 0.6: do not gate on this judge yet');

      out.length = 0;
      process.exitCode = undefined;
      await main(['node', 'llm-eval', 'calibrate', '--suite', 'calibration', '--config', path.join(dir, 'llm-eval.yaml'), '--cache', 'off', '--json']);
      expect(process.exitCode ?? 0).toBe(0);
      const json = JSON.parse(out.join('')) as { kappa: number; confusion: { matrix: number[][] } };
      expect(json.kappa).toBeCloseTo(0.4, 12);
      expect(json.confusion.matrix).toEqual([[1, 0], [1, 1]]);
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
      delete process.env['FAKE_KEY'];
      process.exitCode = exitBefore;
    }
  });

  it('rejects judge options in llm-eval.yaml at load time, at their line', async () => {
    const dir = writeProject(`  broken:
    prompt: capital
    model: gpt
    dataset: datasets/capitals.jsonl
    graders:
      - { type: judge, model: judg, builtin: faithfulness }
`);
    const err = await failureOf(() => loadConfig({ configFile: path.join(dir, 'llm-eval.yaml') }));
    expect(err).toBeInstanceOf(ConfigError);
    const messages = (err as ConfigError).issues.map((i) => `${i.line}: ${i.message}`);
    expect(messages).toEqual([
      expect.stringMatching(/^\d+: grader judge: unknown judge model "judg" \(models: gpt, claude, judge\); did you mean `judge`\?$/),
      expect.stringMatching(/^\d+: grader judge: the faithfulness rubric checks the output against context/),
    ]);
  });
});
