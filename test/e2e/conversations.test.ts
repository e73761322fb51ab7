/**
 * Conversations end to end, through the built CLI against the fake LLM server (OpenAI wire
 * format, the real SDK): a row's prior `messages` joined with the template's (system first, then
 * the row's turns, then the template's user message), and a multi-turn script whose second turn
 * fails its check, each answer fed back; then `--cache replay` plays every turn from the cache
 * without a request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeLlm, type FakeLlm, type RecordedRequest } from '../fake-llm/server.js';
import { runCliAsync } from '../helpers/spawnCli.js';
import { KEY_ENV } from '../helpers/fakeLlmProject.js';
import type { CaseRecord } from '../../src/types.js';

const ROWS = [
  {
    id: 'joined',
    vars: { question: 'And the second one?' },
    messages: [
      { role: 'user', content: 'What is the first letter?' },
      { role: 'assistant', content: 'It is A.' },
    ],
  },
  {
    id: 'scripted',
    vars: { question: 'unused' },
    turns: [
      { user: 'alpha', graders: [{ type: 'contains', value: 'alpha' }] },
      { user: 'beta', graders: [{ type: 'contains', value: 'gamma' }] },
    ],
  },
];

function writeProject(baseURL: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'llm-eval-conv-'));
  mkdirSync(path.join(dir, 'prompts', 'chat'), { recursive: true });
  mkdirSync(path.join(dir, 'prompts', 'script'), { recursive: true });
  writeFileSync(path.join(dir, 'prompts', 'chat', 'v1.yaml'), 'messages:\n  - { role: system, content: "Be brief." }\n  - { role: user, content: "{{ question }}" }\n');
  writeFileSync(path.join(dir, 'rows.jsonl'), ROWS.map((r) => JSON.stringify(r)).join('\n') + '\n');
  writeFileSync(
    path.join(dir, 'llm-eval.yaml'),
    [
      'models:',
      `  gpt: { provider: openai, model: gpt-4o-mini, baseURL: "${baseURL}", price: { input: 0, output: 0 } }`,
      'suites:',
      '  chat:',
      '    prompt: chat',
      '    dataset: rows.jsonl',
      '    model: gpt',
    ].join('\n') + '\n',
  );
  return dir;
}

function records(dir: string): CaseRecord[] {
  const reports = path.join(dir, 'reports');
  const runs = readdirSync(reports).filter((d) => /^\d{8}-/.test(d)).sort();
  const file = path.join(reports, runs[runs.length - 1]!, 'results.jsonl');
  return readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as CaseRecord);
}

function messagesOf(r: RecordedRequest): Array<{ role: string; content: string }> {
  return (r.body?.['messages'] ?? []) as Array<{ role: string; content: string }>;
}

describe('conversations against the fake LLM server', { timeout: 120_000 }, () => {
  let llm: FakeLlm;
  let dir: string;
  let first: Awaited<ReturnType<typeof runCliAsync>>;
  beforeAll(async () => {
    llm = await startFakeLlm();
    dir = writeProject(llm.openaiBaseURL);
    first = await runCliAsync(['run'], dir, KEY_ENV);
  }, 120_000);
  afterAll(async () => {
    await llm.close();
  });

  it("joins a row's messages after the template's system message and before its user message", () => {
    const joined = llm.requests.filter((r) => messagesOf(r).some((m) => m.content === 'And the second one?'));
    expect(joined).toHaveLength(1);
    expect(messagesOf(joined[0]!)).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'What is the first letter?' },
      { role: 'assistant', content: 'It is A.' },
      { role: 'user', content: 'And the second one?' },
    ]);
    const rec = records(dir).find((r) => r.caseId === 'joined')!;
    expect(rec.pass).toBe(true);
    expect(rec.output).toBe('And the second one?');
  });

  it('plays the turns in order, feeding each answer back, and fails the case on the failing turn', () => {
    expect(first.code).toBe(1);
    const scripted = llm.requests.filter((r) => messagesOf(r).some((m) => m.content === 'alpha'));
    expect(scripted).toHaveLength(2);
    // The template's messages open the conversation, then each turn; the fake server echoes the
    // last user message, so the first answer is "alpha".
    expect(messagesOf(scripted[1]!)).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'unused' },
      { role: 'user', content: 'alpha' },
      { role: 'assistant', content: 'alpha' },
      { role: 'user', content: 'beta' },
    ]);
    const rec = records(dir).find((r) => r.caseId === 'scripted')!;
    expect(rec.error).toBeNull();
    expect(rec.pass).toBe(false);
    expect(rec.turns?.map((t) => [t.user, t.output, t.pass])).toEqual([
      ['alpha', 'alpha', true],
      ['beta', 'beta', false],
    ]);
    expect(rec.turns?.[1]?.grades[0]).toMatchObject({ grader: 'contains', pass: false });
    // Output tokens: ceil(5/4) = 2 for "alpha", ceil(4/4) = 1 for "beta" (the fake's default usage).
    expect(rec.turns?.map((t) => t.tokens?.output)).toEqual([2, 1]);
    expect(rec.tokens?.output).toBe(3);
    expect(rec.grades.find((g) => g.grader === 'turns')?.reason).toMatch(/^turn 2 failed: contains/);
  });

  it('--cache replay plays every turn from the cache: no request, the same outcome', async () => {
    const before = llm.requests.length;
    const replay = await runCliAsync(['run', '--cache', 'replay'], dir, KEY_ENV);
    expect(replay.code).toBe(1);
    expect(llm.requests.length).toBe(before);
    const rec = records(dir).find((r) => r.caseId === 'scripted')!;
    expect(rec.cached).toBe(true);
    expect(rec.turns?.map((t) => [t.output, t.pass])).toEqual([
      ['alpha', true],
      ['beta', false],
    ]);
  });

  it('rescore keeps the failed turn: the case still fails when the suite graders are re-run', async () => {
    const rescored = await runCliAsync(['rescore', 'latest'], dir, KEY_ENV);
    expect(rescored.code).toBe(1);
    const rec = records(dir).find((r) => r.caseId === 'scripted')!;
    expect(rec.pass).toBe(false);
    expect(rec.grades.map((g) => [g.grader, g.pass])).toEqual([['turns', false]]);
    expect(records(dir).find((r) => r.caseId === 'joined')!.pass).toBe(true);
  });
});
