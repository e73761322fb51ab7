/** Shared set-up for caller tests: fake keys, models pointing at the fake server, a caller with short backoffs. */
import type { FakeLlm } from '../fake-llm/server.js';
import { testConfig, testModel } from '../fake-llm/testConfig.js';
import { createModelCaller, type CallerOptions, type RunModelCaller } from '../../src/execute/caller.js';
import type { CacheMode, ResolvedConfig, ResolvedModel, RunDefaults } from '../../src/types.js';

export const OPENAI_KEY = 'sk-test-SECRET-123456789';
export const ANTHROPIC_KEY = 'sk-ant-test-SECRET-555666777';

export function openaiModel(llm: FakeLlm, fields: Partial<ResolvedModel> = {}): ResolvedModel {
  return testModel('fast', { provider: 'openai', model: 'gpt-4o-mini', baseURL: llm.openaiBaseURL, ...fields });
}

export function anthropicModel(llm: FakeLlm, fields: Partial<ResolvedModel> = {}): ResolvedModel {
  return testModel('smart', { provider: 'anthropic', model: 'claude-haiku-4-5', baseURL: llm.anthropicBaseURL, ...fields });
}

export interface HarnessOptions extends Partial<Omit<CallerOptions, 'config' | 'cache'>> {
  cache?: CacheMode;
  defaults?: Partial<RunDefaults>;
  dir?: string;
}

export function makeCaller(models: ResolvedModel[], o: HarnessOptions = {}): { caller: RunModelCaller; config: ResolvedConfig } {
  const { cache = 'off', defaults, dir, ...rest } = o;
  const config = testConfig(models, defaults, dir);
  const caller = createModelCaller({
    config,
    cache,
    concurrency: 8,
    env: { OPENAI_API_KEY: OPENAI_KEY, ANTHROPIC_API_KEY: ANTHROPIC_KEY },
    retryTiming: { baseDelayMs: 5, maxDelayMs: 40 },
    ...rest,
  });
  return { caller, config };
}

export function userRequest(text: string, params: Record<string, unknown> = {}): { messages: Array<{ role: 'user'; content: string }>; params: Record<string, unknown> } {
  return { messages: [{ role: 'user', content: text }], params };
}

/** Settles every promise and counts outcomes: nothing may be left pending or lost. */
export async function settleAll<T>(promises: Array<Promise<T>>): Promise<{ ok: T[]; errors: unknown[] }> {
  const settled = await Promise.allSettled(promises);
  const ok: T[] = [];
  const errors: unknown[] = [];
  for (const s of settled) if (s.status === 'fulfilled') ok.push(s.value);
  else errors.push(s.reason);
  return { ok, errors };
}
