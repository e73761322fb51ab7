import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PRICE_TABLE, lookupPrice } from '../../src/cost/prices.js';
import { RETIREMENT_TABLE, retirementOf, retirementWarnings } from '../../src/cost/retirements.js';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import { testModel } from '../fake-llm/testConfig.js';
import { KEY_ENV, writeFakeLlmProject } from '../helpers/fakeLlmProject.js';
import { runCli } from '../helpers/project.js';
import { runCliAsync } from '../helpers/spawnCli.js';

const haiku3 = testModel('old', { provider: 'anthropic', model: 'claude-3-haiku-20240307' });

describe('model retirements', () => {
  it('warns within 90 days of the date, with the days left and the successor', () => {
    // 2026-04-20 − 2026-02-01 = 28 (Feb) + 31 (Mar) + 19 = 78 days.
    const [w] = retirementWarnings([haiku3], new Date('2026-02-01T15:00:00Z'));
    expect(w).toContain('model "old" (claude-3-haiku-20240307) retires on 2026-04-20, in 78 days');
    expect(w).toContain('successor is claude-haiku-4-5');
    // 2026-04-20 − 2026-01-19 = 12 + 28 + 31 + 20 = 91 days: outside the window.
    expect(retirementWarnings([haiku3], new Date('2026-01-19T00:00:00Z'))).toEqual([]);
    expect(retirementWarnings([haiku3], new Date('2026-04-20T08:00:00Z'))[0]).toContain('retires today');
  });

  it('says a retired model\'s calls fail', () => {
    expect(retirementWarnings([haiku3], new Date('2026-12-01T00:00:00Z'))[0]).toContain('was retired on 2026-04-20: its calls fail');
  });

  it('matches dated snapshots of a listed id and ignores other providers and unlisted models', () => {
    expect(retirementOf('claude-2.1')?.retires).toBe('2025-07-21');
    expect(retirementOf('claude-3-haiku-20240307')?.id).toBe('claude-3-haiku-20240307');
    expect(retirementOf('claude-haiku-4-5')).toBeUndefined();
    const local = testModel('l', { provider: 'openai-compatible', model: 'claude-3-haiku-20240307' });
    expect(retirementWarnings([local], new Date('2026-03-01'))).toEqual([]);
  });

  it('names successors that are real, priced models, and well-formed dates', () => {
    for (const [id, r] of Object.entries(RETIREMENT_TABLE)) {
      expect(r.retires, id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(Number.isNaN(Date.parse(r.retires)), id).toBe(false);
      expect(lookupPrice(r.successor)?.id ?? PRICE_TABLE[r.successor], `${id} → ${r.successor}`).toBeDefined();
    }
  });
});

describe('retirement warnings as a user sees them', () => {
  let llm: FakeLlm;
  beforeAll(async () => {
    llm = await startFakeLlm();
  });
  afterAll(() => llm.close());

  it('validate and run name a configured model that was retired, and the run still completes', { timeout: 60_000 }, async () => {
    const dir = writeFakeLlmProject({ baseURL: llm.openaiBaseURL, rows: 3 });
    const config = path.join(dir, 'llm-eval.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace('suites:', '  old: { provider: anthropic, model: claude-3-haiku-20240307 }\nsuites:'));
    const env = { ...KEY_ENV, ANTHROPIC_API_KEY: 'sk-ant-unused' };
    const validate = runCli(['validate'], dir, env);
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stdout).toContain('warning: model "old" (claude-3-haiku-20240307) was retired on 2026-04-20');
    const run = await runCliAsync(['run'], dir, env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout + run.stderr).toContain('claude-3-haiku-20240307) was retired on 2026-04-20');
    const report = JSON.parse(readFileSync(path.join(dir, 'reports', 'latest', 'report.json'), 'utf8')) as { warnings: string[] };
    expect(report.warnings.some((w) => w.includes('successor is claude-haiku-4-5'))).toBe(true);
  });
});
