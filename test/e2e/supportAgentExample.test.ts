import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { copyExample, editFile, runCli } from '../helpers/project.js';
import type { CaseRecord } from '../../src/types.js';

function latestRecords(dir: string): CaseRecord[] {
  const reports = path.join(dir, 'reports');
  const run = readdirSync(reports).filter((d) => /^\d{8}-/.test(d)).sort().pop()!;
  return readFileSync(path.join(reports, run, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as CaseRecord);
}

describe('examples/support-agent', () => {
  it('runs offline and passes: agent loops with lookup_order and refund, a conversation with scripted turns', { timeout: 120_000 }, () => {
    const dir = copyExample('support-agent');
    const run = runCli(['run'], dir);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const recs = latestRecords(dir);
    const eligible = recs.find((r) => r.caseId === 'refund-eligible')!;
    // lookup_order (row result: refundable) → refund (tools module) → the answer.
    expect(eligible.steps?.map((s) => s.toolCalls?.map((c) => c.name) ?? [])).toEqual([['lookup_order'], ['refund'], []]);
    const notEligible = recs.find((r) => r.caseId === 'refund-not-eligible')!;
    expect(notEligible.steps?.flatMap((s) => s.toolCalls ?? []).map((c) => c.name)).toEqual(['lookup_order']);
    const followUp = recs.find((r) => r.caseId === 'refund-after-lookup')!;
    expect(followUp.turns?.map((t) => t.pass)).toEqual([true, true]);
    expect(run.stdout).toContain('steps refunds / agent');
  });

  it('fails the case when the agent refunds an order that is not eligible', { timeout: 120_000 }, () => {
    const dir = copyExample('support-agent');
    // A careless model: refunds whenever asked, without checking eligibility.
    editFile(path.join(dir, 'providers', 'support-model.mjs'), (t) => t.replace('if (wantsRefund && !results.refund && known.refundable)', 'if (wantsRefund && !results.refund)'));
    editFile(path.join(dir, 'llm-eval.yaml'), (t) => t.replace('sequence: [lookup_order] }', 'sequence: [lookup_order] }\n      - { type: trajectory, name: no-bad-refund, notUsed: [refund] }'));
    editFile(path.join(dir, 'datasets', 'refunds.yaml'), (t) => t.replace(/- id: refund-eligible[\s\S]*?(?=- id: refund-not-eligible)/, ''));
    const run = runCli(['run', '--suite', 'refunds'], dir);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    const bad = latestRecords(dir).find((r) => r.caseId === 'refund-not-eligible')!;
    expect(bad.grades.find((g) => g.grader === 'no-bad-refund')).toMatchObject({ pass: false, reason: expect.stringContaining('refund was called') });
  });

  it('the model may call only the tools its prompt template declares (tools/support.yaml)', { timeout: 120_000 }, () => {
    const dir = copyExample('support-agent');
    for (const name of ['support', 'support-chat']) {
      expect(readFileSync(path.join(dir, 'prompts', name, 'v1.yaml'), 'utf8')).toContain('tools: { file: ../../tools/support.yaml }');
    }
    // Take refund off the declared tools: the eligible refund can no longer happen.
    editFile(path.join(dir, 'tools', 'support.yaml'), (t) => t.replace(/- name: refund[\s\S]*$/, ''));
    const run = runCli(['run', '--suite', 'refunds'], dir);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    const eligible = latestRecords(dir).find((r) => r.caseId === 'refund-eligible')!;
    expect(eligible.pass).toBe(false);
    expect(eligible.steps?.flatMap((s) => s.toolCalls ?? []).map((c) => c.name)).toEqual(['lookup_order']);
    expect(eligible.output).toBe('I cannot refund from here.');
  });
});
