import { describe, expect, it } from 'vitest';
import { getGraderFactory } from '../../src/graders/registry.js';
import { validateGraderOptions } from '../../src/graders/validateOptions.js';
import '../../src/graders/builtins.js';
import type { GradeContext, GraderConfig, ToolCall } from '../../src/types.js';
import { testEnv } from './helpers.js';

const call = (name: string): ToolCall => ({ id: name, name, rawArguments: '{}', arguments: {} });

async function grade(options: Omit<GraderConfig, 'type'>, trajectory?: GradeContext['trajectory']) {
  const grader = await getGraderFactory('trajectory')!.create({ type: 'trajectory', ...options }, testEnv());
  const ctx = { output: 'done', row: { id: 'r', vars: {}, source: { file: 'x', line: 1 } }, scope: {}, prompt: { name: 'p', version: 'v1', hash: 'h', messages: [] }, suite: 's', variant: 'v', model: 'm', costUsd: 0, latencyMs: 1, trajectory } as GradeContext;
  return grader.grade(ctx);
}

describe('trajectory grader', () => {
  const path = { toolCalls: [call('lookup_order'), call('check_policy'), call('refund')], steps: 4 };

  it('passes when the used tools were called, the forbidden ones not, in order, within maxSteps', async () => {
    const g = await grade({ used: ['refund'], notUsed: ['delete_account'], sequence: ['lookup_order', 'refund'], maxSteps: 4 }, path);
    expect(g.pass).toBe(true);
    expect(g.reason).toBe('trajectory ok: lookup_order → check_policy → refund; 4 steps');
  });

  it('fails each broken check and scores the share that held', async () => {
    // 4 checks: used holds; notUsed breaks (refund was called); sequence breaks (refund came after
    // lookup_order, not before); maxSteps breaks (4 > 3). 1 of 4 held: score 0.25.
    const g = await grade({ used: ['lookup_order'], notUsed: ['refund'], sequence: ['refund', 'lookup_order'], maxSteps: 3 }, path);
    expect(g.pass).toBe(false);
    expect(g.score).toBe(0.25);
    expect(g.reason).toContain('refund was called');
    expect(g.reason).toContain('expected the calls refund → lookup_order in order');
    expect(g.reason).toContain('4 steps > maxSteps 3');
  });

  it('fails with a clear reason on a case that has no trajectory (not an agent or conversation case)', async () => {
    const g = await grade({ used: ['refund'] });
    expect(g.pass).toBe(false);
    expect(g.reason).toContain('agent suite');
  });

  it('is an option error without any check', () => {
    const problems = validateGraderOptions({ type: 'trajectory' }, { configDir: '.', models: {} });
    expect(problems[0]?.message).toContain('used, notUsed, sequence, maxSteps');
  });
});
