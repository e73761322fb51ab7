/**
 * `run --dry-run` forecasts conversation cases (built CLI): a scripted row is one call per turn
 * plus its turn judges, and an agent suite counts `maxSteps` calls per case, shown as "up to".
 *
 * Counts by hand for the project below:
 *  - suite `chat` (turns): row `three` has 3 turns, each with one judge → 3 candidate + 3 judge
 *    calls; row `one` has 1 turn, no judge → 1 call. 2 cases, 4 candidate calls, 3 judge calls.
 *  - suite `agent` (maxSteps 4): 3 rows → 3 cases, up to 3 × 4 = 12 calls.
 *  Totals: 5 cases, 4 + 3 + 12 = 19 calls.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/project.js';

interface Forecast {
  suites: Array<{ name: string; variants: Array<{ cases: number; calls: number; upTo: boolean; costUsd: number | null }> }>;
  judges: { calls: number };
  totals: { cases: number; calls: number; upTo: boolean };
}

function writeProject(agent: boolean): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'llm-eval-dry-conv-'));
  mkdirSync(path.join(dir, 'prompts', 'chat'), { recursive: true });
  mkdirSync(path.join(dir, 'prompts', 'ask'), { recursive: true });
  writeFileSync(path.join(dir, 'prompts', 'chat', 'v1.yaml'), 'messages:\n  - { role: system, content: "You help." }\n');
  writeFileSync(path.join(dir, 'prompts', 'ask', 'v1.yaml'), 'messages:\n  - { role: user, content: "Refund order {{ order }}" }\n');
  writeFileSync(path.join(dir, 'model.mjs'), 'export default async () => "never called";\n');
  const judged = (user: string): unknown => ({ user, graders: [{ type: 'judge', model: 'judge', rubric: 'Polite.' }] });
  writeFileSync(
    path.join(dir, 'chat.jsonl'),
    [{ id: 'three', turns: [judged('Hi'), judged('Refund A1'), judged('Thanks')] }, { id: 'one', turns: [{ user: 'Hello' }] }].map((r) => JSON.stringify(r)).join('\n') + '\n',
  );
  writeFileSync(path.join(dir, 'ask.jsonl'), ['A1', 'B2', 'C3'].map((order) => JSON.stringify({ id: order, vars: { order } })).join('\n') + '\n');
  writeFileSync(
    path.join(dir, 'llm-eval.yaml'),
    [
      'models:',
      '  bot: { provider: script, module: model.mjs, price: { input: 1, output: 2 } }',
      '  judge: { provider: script, module: model.mjs, price: { input: 1, output: 2 } }',
      'suites:',
      '  chat: { prompt: chat, dataset: chat.jsonl, model: bot }',
      `  agent: { prompt: ask, dataset: ask.jsonl, model: bot${agent ? ', agent: { maxSteps: 4 }' : ''} }`,
      '',
    ].join('\n'),
  );
  return dir;
}

function forecast(dir: string): Forecast {
  const r = runCli(['run', '--dry-run', '--json'], dir);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Forecast;
}

describe('--dry-run with conversation cases (built CLI)', { timeout: 120_000 }, () => {
  // The project with the agent loop and its JSON forecast, made once: both tests read them.
  let dir: string;
  let f: Forecast;
  beforeAll(() => {
    dir = writeProject(true);
    f = forecast(dir);
  }, 120_000);

  it('counts one call per scripted turn plus its judges, and maxSteps calls per agent case, as "up to"', () => {
    const [chat, agent] = [f.suites.find((s) => s.name === 'chat')!.variants[0]!, f.suites.find((s) => s.name === 'agent')!.variants[0]!];
    expect([chat.cases, chat.calls, chat.upTo]).toEqual([2, 4, false]);
    expect([agent.cases, agent.calls, agent.upTo]).toEqual([3, 12, true]);
    expect(f.judges.calls).toBe(3);
    expect([f.totals.cases, f.totals.calls, f.totals.upTo]).toEqual([5, 19, true]);
    // No call was made: the script model would have written nothing, but a run folder would exist.
    expect(() => readFileSync(path.join(dir, 'reports', 'latest', 'results.jsonl'))).toThrow();

    const text = runCli(['run', '--dry-run'], dir);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/│ agent\s+│ bot\s+│ script:model\.mjs\s+│ 3\s+│ up to 12\s+│/);
    expect(text.stdout).toContain('Dry run: 5 cases, up to 19 calls (3 by judges;');
    expect(text.stdout).toContain('Agent suites count maxSteps calls per case');
  });

  it('prices an agent case as maxSteps times the same suite without the loop', () => {
    const withLoop = f.suites.find((s) => s.name === 'agent')!.variants[0]!;
    const without = forecast(writeProject(false)).suites.find((s) => s.name === 'agent')!.variants[0]!;
    expect([without.calls, without.upTo]).toEqual([3, false]);
    expect(without.costUsd).toBeGreaterThan(0);
    expect(withLoop.costUsd).toBeCloseTo(4 * without.costUsd!, 12);
  });
});
