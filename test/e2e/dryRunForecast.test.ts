/**
 * `run --dry-run` forecasts what the run then costs, through the built CLI against the fake LLM
 * server: judge and pairwise calls are counted and priced, cache hits are free, and on a
 * quickstart-sized project (70 rows, two variants, a judge and a pairwise judge, priced) the
 * forecast is within ±25% of the real run's spend.
 *
 * The fake server reports usage from lengths (4 characters a token, test/fake-llm/server.ts),
 * independently of llm-eval's own estimate; the real spend is read from the run's report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startFakeLlm, type FakeHandler, type FakeLlm } from '../fake-llm/server.js';
import { runCliAsync } from '../helpers/spawnCli.js';
import { KEY_ENV } from '../helpers/fakeLlmProject.js';
import { isJudgeRequest, writeJudgeProject } from '../helpers/judgeProject.js';

const ROWS = 70;
const PRICE = { input: 1000, output: 1000 };

/** Candidates get the echo answer (usage from its length); the judge a verdict for the grader that asked. */
const server: FakeHandler = (r) => {
  if (!isJudgeRequest(r)) return { type: 'answer' };
  const verdict = r.rawBody.includes('<<<RESPONSE-1-') ? { reasoning: 'Both answers restate the question.', winner: 'tie' } : { reasoning: 'The answer names the case.', score: 1 };
  return { type: 'answer', text: JSON.stringify(verdict) };
};

interface Forecast {
  judges: { calls: number; cachedCalls: number };
  totals: { cases: number; calls: number; cachedCalls: number; costUsd: number | null };
}

describe('--dry-run forecast (built CLI, fake server)', () => {
  let llm: FakeLlm;
  beforeAll(async () => {
    llm = await startFakeLlm();
    llm.setBehaviour(server);
  });
  afterAll(async () => {
    await llm.close();
  });

  it('counts judge and pairwise calls, prices cache hits at $0, and forecasts the spend within 25%', async () => {
    const dir = writeJudgeProject({ baseURL: llm.openaiBaseURL, rows: ROWS, judge: 'both', judgePrice: PRICE, candidatePrice: PRICE, cache: 'on', concurrency: 4 });
    // Half the cases answered once already: their calls are in the cache.
    const half = await runCliAsync(['run', '--shard', '1/2', '--format', 'json'], dir, KEY_ENV, 120_000);
    expect(half.code, half.stdout + half.stderr).toBe(0);

    const dry = await runCliAsync(['run', '--dry-run', '--json'], dir, KEY_ENV);
    expect(dry.code, dry.stderr).toBe(0);
    const forecast = JSON.parse(dry.stdout) as Forecast;
    // 70 rows × 2 variants; a judge per case (140 calls) and pairwise in both orders (140 calls).
    expect(forecast.totals.cases).toBe(2 * ROWS);
    expect(forecast.judges.calls).toBe(2 * ROWS + 2 * ROWS);
    expect(forecast.totals.calls).toBe(4 * ROWS + 2 * ROWS);
    expect(forecast.totals.cachedCalls).toBeGreaterThan(0);

    llm.reset();
    llm.setBehaviour(server);
    const full = await runCliAsync(['run', '--format', 'json'], dir, KEY_ENV, 120_000);
    expect(full.code, full.stdout + full.stderr).toBe(0);
    // What the run asked the server for is what the forecast said the cache lacks.
    expect(llm.requests.length).toBe(forecast.totals.calls - forecast.totals.cachedCalls);

    const report = JSON.parse(readFileSync(path.join(dir, 'reports', 'latest', 'report.json'), 'utf8'));
    const actual = (report.totals.costUsd ?? 0) + (report.totals.judgeCostUsd ?? 0);
    expect(actual).toBeGreaterThan(0);
    expect(forecast.totals.costUsd).not.toBeNull();
    expect(Math.abs(forecast.totals.costUsd! - actual) / actual).toBeLessThanOrEqual(0.25);
  }, 240_000);
});
