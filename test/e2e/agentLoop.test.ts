/**
 * The agent loop end to end, through the built CLI: a script model that calls `lookup_order`,
 * then `refund`, then answers (3 model calls per case), with tool results from the row
 * (`toolResults`) and from the suite's tools module. Checks what CI sees: exit code, the steps
 * in results.jsonl with summed tokens and cost, the steps line in the terminal, summary.md and
 * report.json; a loop that never stops is a recorded failure at maxSteps; `--resume` after a
 * partial results.jsonl asks the model only for the unfinished cases.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/project.js';
import type { CaseRecord, RunReport } from '../../src/types.js';

const MODEL = `
import { appendFileSync } from 'node:fs';
export default async function model(prompt, ctx) {
  const last = ctx.messages[ctx.messages.length - 1];
  appendFileSync(new URL('./calls.log', import.meta.url), JSON.stringify({ order: ctx.vars.order, roles: ctx.messages.map((m) => m.role), last }) + '\\n');
  const usage = { tokens: { input: 100, output: 10 } };
  if (ctx.vars.loop || last.role === 'user') return { output: '', toolCalls: [{ name: 'lookup_order', arguments: { orderId: ctx.vars.order } }], ...usage };
  if (last.toolName === 'lookup_order') return { output: '', toolCalls: [{ name: 'refund', arguments: { orderId: ctx.vars.order } }], ...usage };
  return { output: 'Done: ' + last.content, ...usage };
}
`;

const TOOLS = `
export default async function tool(call, ctx) {
  if (call.name === 'refund') return { refunded: call.arguments.orderId, case: ctx.caseId };
  return undefined;
}
`;

function writeProject(rows: Array<Record<string, unknown>>, maxSteps = 3): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'llm-eval-agent-'));
  mkdirSync(path.join(dir, 'prompts', 'support'), { recursive: true });
  writeFileSync(path.join(dir, 'prompts', 'support', 'v1.yaml'), 'messages:\n  - { role: system, content: "You help." }\n  - { role: user, content: "Refund order {{ order }}" }\n');
  writeFileSync(path.join(dir, 'model.mjs'), MODEL);
  writeFileSync(path.join(dir, 'tools.mjs'), TOOLS);
  writeFileSync(path.join(dir, 'rows.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  writeFileSync(
    path.join(dir, 'llm-eval.yaml'),
    [
      'models:',
      // USD per million tokens: a step (100 in, 10 out) costs 100 × 1e-6 + 10 × 2e-6 = $0.00012.
      '  bot: { provider: script, module: model.mjs, price: { input: 1, output: 2 } }',
      'suites:',
      '  refunds:',
      '    prompt: support',
      '    dataset: rows.jsonl',
      '    model: bot',
      `    agent: { maxSteps: ${maxSteps} }`,
      '    tools: { module: tools.mjs }',
      '    graders:',
      '      - { type: trajectory, sequence: [lookup_order, refund], notUsed: [delete_account] }',
      '      - { type: contains, value: refunded }',
    ].join('\n') + '\n',
  );
  return dir;
}

const ROWS = ['A1', 'B2', 'C3'].map((order) => ({
  id: `case-${order}`,
  vars: { order },
  toolResults: [{ tool: 'lookup_order', arguments: { orderId: order }, result: { order, refundable: true } }],
}));

function runDir(dir: string): string {
  const reports = path.join(dir, 'reports');
  const runs = readdirSync(reports).filter((d) => /^\d{8}-/.test(d)).sort();
  return path.join(reports, runs[runs.length - 1]!);
}

function records(dir: string): CaseRecord[] {
  return readFileSync(path.join(runDir(dir), 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as CaseRecord);
}

function calls(dir: string): Array<{ order: string; roles: string[]; last: { role: string; content: string; toolName?: string } }> {
  return readFileSync(path.join(dir, 'calls.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as never);
}

describe('agent loop, end to end (script model)', { timeout: 120_000 }, () => {
  let dir: string;
  let first: ReturnType<typeof runCli>;
  beforeAll(() => {
    dir = writeProject(ROWS);
    first = runCli(['run'], dir);
  }, 120_000);

  it('runs model → tool calls → tool results → model for 3 steps and passes', () => {
    expect(first.stderr).not.toContain('crashed');
    expect(first.code).toBe(0);
    const recs = records(dir);
    expect(recs).toHaveLength(3);
    for (const r of recs) {
      const order = (r.vars as { order: string }).order;
      expect(r.pass).toBe(true);
      expect(r.steps?.map((s) => s.toolCalls?.map((c) => c.name) ?? [])).toEqual([['lookup_order'], ['refund'], []]);
      // The lookup came from the row's toolResults, the refund from tools.mjs.
      expect(r.steps?.[0]?.toolResults?.[0]?.content).toBe(JSON.stringify({ order, refundable: true }));
      expect(r.steps?.[1]?.toolResults?.[0]?.content).toBe(JSON.stringify({ refunded: order, case: `case-${order}` }));
      expect(r.output).toBe(`Done: ${JSON.stringify({ refunded: order, case: `case-${order}` })}`);
      // 3 steps × (100 in, 10 out); 3 × $0.00012 = $0.00036.
      expect(r.tokens).toEqual({ input: 300, output: 30, cachedInput: 0 });
      expect(r.costUsd).toBeCloseTo(0.00036, 10);
    }
  });

  it('sends the tool turns back to the model', () => {
    const third = calls(dir).filter((c) => c.order === 'A1')[2]!;
    expect(third.roles).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'tool']);
    expect(third.last).toMatchObject({ role: 'tool', toolName: 'refund' });
  });

  it('shows steps per case in the terminal, summary.md and report.json', () => {
    expect(first.stdout).toMatch(/steps refunds \/ bot: 3 per case on average, at most 3 \(9 model calls over 3 cases\)/);
    const md = readFileSync(path.join(runDir(dir), 'summary.md'), 'utf8');
    expect(md).toContain('Steps in **refunds / bot**: 3 model calls per case on average, at most 3');
    const report = JSON.parse(readFileSync(path.join(runDir(dir), 'report.json'), 'utf8')) as RunReport;
    expect(report.suites[0]!.variants[0]!.steps).toEqual({ cases: 3, total: 9, mean: 3, max: 3 });
    // Run totals sum every step: 9 calls × 100 input tokens.
    expect(report.totals.tokens.input).toBe(900);
    const html = readFileSync(path.join(runDir(dir), 'report.html'), 'utf8');
    expect(html).toContain('assistant → refund({\\"orderId\\":\\"A1\\"})');
  });

  it('a resume after a partial results.jsonl asks the model only for the unfinished cases', () => {
    const results = path.join(runDir(dir), 'results.jsonl');
    const lines = readFileSync(results, 'utf8').trim().split('\n');
    const kept = JSON.parse(lines[0]!) as CaseRecord;
    writeFileSync(results, lines[0] + '\n');
    writeFileSync(path.join(dir, 'calls.log'), '');
    const resumed = runCli(['run', '--resume', 'latest'], dir);
    expect(resumed.stderr).not.toContain('crashed');
    expect(resumed.code).toBe(0);
    const asked = new Set(calls(dir).map((c) => c.order));
    expect(asked.has((kept.vars as { order: string }).order)).toBe(false);
    expect(asked.size).toBe(2);
    expect(calls(dir)).toHaveLength(6);
    expect(records(dir).map((r) => r.caseId).sort()).toEqual(['case-A1', 'case-B2', 'case-C3']);
  });
});

describe('agent loop limits', { timeout: 120_000 }, () => {
  it('a loop that reaches maxSteps is a recorded failure (exit 1), not a crash', () => {
    const dir = writeProject([{ id: 'loops', vars: { order: 'L1', loop: true }, toolResults: { lookup_order: { order: 'L1' } } }], 4);
    const r = runCli(['run'], dir);
    expect(r.stderr).not.toContain('crashed');
    expect(r.code).toBe(1);
    const [rec] = records(dir);
    expect(rec!.error).toBeNull();
    expect(rec!.pass).toBe(false);
    expect(rec!.steps).toHaveLength(4);
    expect(rec!.grades[0]).toMatchObject({ grader: 'agent:maxSteps', pass: false });
    expect(rec!.grades[0]!.reason).toContain('maxSteps (4)');
    expect(r.stdout).toContain('steps refunds / bot: 4 per case on average');
    expect(readFileSync(path.join(runDir(dir), 'summary.md'), 'utf8')).toContain('loops');
  });

  it('a bad toolResults entry is an input error at its file and line, before any call', () => {
    const dir = writeProject([ROWS[0]!, { id: 'bad', vars: { order: 'X' }, toolResults: [{ tool: 'lookup_order' }] }]);
    const r = runCli(['run'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('rows.jsonl:2');
    expect(r.stderr).toContain('toolResults[0] needs "result"');
    expect(() => readFileSync(path.join(dir, 'calls.log'))).toThrow();
  });
});

describe('judges see the transcript', { timeout: 120_000 }, () => {
  it('{{ transcript }} in a judge input holds the tool calls and tool results of the loop', () => {
    const dir = writeProject([ROWS[0]!]);
    // A script model as the judge: it logs what it was shown and passes.
    writeFileSync(
      path.join(dir, 'judge.mjs'),
      "import { appendFileSync } from 'node:fs';\n" +
        "export default async (prompt, ctx) => { appendFileSync(new URL('./judge.log', import.meta.url), ctx.messages.map((m) => m.content).join('\\n')); return JSON.stringify({ reasoning: 'ok', score: 1 }); };\n",
    );
    const yaml = readFileSync(path.join(dir, 'llm-eval.yaml'), 'utf8')
      .replace('models:\n', 'models:\n  judge: { provider: script, module: judge.mjs, price: { input: 0, output: 0 } }\n')
      .concat('      - { type: judge, model: judge, input: "{{ transcript }}", rubric: "The agent looked the order up before refunding it." }\n');
    writeFileSync(path.join(dir, 'llm-eval.yaml'), yaml);
    const r = runCli(['run'], dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const shown = readFileSync(path.join(dir, 'judge.log'), 'utf8');
    expect(shown).toContain('user: Refund order A1');
    expect(shown).toContain('assistant → lookup_order({"orderId":"A1"})');
    expect(shown).toContain('tool lookup_order: {"order":"A1","refundable":true}');
    expect(shown).toContain('assistant → refund({"orderId":"A1"})');
    expect(shown).not.toContain('You help.');
  });

  it("a scripted turn's judge is counted in the case's judge spend", () => {
    const dir = writeProject([{ id: 'turned', vars: { order: 'A1' }, toolResults: ROWS[0]!.toolResults, turns: [{ user: 'Refund A1', graders: [{ type: 'judge', model: 'judge', rubric: 'Refunded.' }] }] }]);
    // The judge reports 1000 input and 100 output tokens: at $1 / $2 per million, $0.001 + $0.0002 = $0.0012.
    writeFileSync(path.join(dir, 'judge.mjs'), "export default async () => ({ output: JSON.stringify({ reasoning: 'ok', score: 1 }), tokens: { input: 1000, output: 100 } });\n");
    const yaml = readFileSync(path.join(dir, 'llm-eval.yaml'), 'utf8').replace('models:\n', 'models:\n  judge: { provider: script, module: judge.mjs, price: { input: 1, output: 2 } }\n');
    writeFileSync(path.join(dir, 'llm-eval.yaml'), yaml);
    const r = runCli(['run'], dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const [rec] = records(dir);
    expect(rec!.turns?.[0]?.grades[0]).toMatchObject({ grader: 'judge', pass: true });
    expect(rec!.judgeCostUsd).toBeCloseTo(0.0012, 10);
  });
});
