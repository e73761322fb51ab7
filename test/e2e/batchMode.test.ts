/**
 * Provider batch mode end to end: the built CLI against the fake LLM server's OpenAI files +
 * batches and Anthropic message batches endpoints, through the real SDKs.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeLlm, type FakeLlm, type RecordedRequest } from '../fake-llm/server.js';
import { runCliAsync, spawnCli, waitUntil } from '../helpers/spawnCli.js';

const ENV = { OPENAI_API_KEY: 'sk-test-BATCH-SECRET-1', ANTHROPIC_API_KEY: 'sk-ant-BATCH-SECRET-2' };
const RUBRIC = 'Is the answer right?';

interface Project {
  rows: number;
  variants: Array<'gpt' | 'claude'>;
  judge?: boolean;
  defaults?: string;
  /** Extra lines under the suite (e.g. `    batch: true`). */
  suite?: string[];
}

function writeProject(llm: FakeLlm, p: Project): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'llm-eval-batch-'));
  mkdirSync(path.join(dir, 'prompts', 'answer'), { recursive: true });
  mkdirSync(path.join(dir, 'datasets'));
  writeFileSync(path.join(dir, 'prompts', 'answer', 'v1.txt'), 'Question {{ n }}: what is {{ n }}?\n');
  const rows = Array.from({ length: p.rows }, (_, i) => JSON.stringify({ id: `r${i}`, vars: { n: `r${i}` } }));
  writeFileSync(path.join(dir, 'datasets', 'qa.jsonl'), rows.join('\n') + '\n');
  const graders = ['      - { type: contains, value: "{{ n }}" }'];
  if (p.judge) graders.push(`      - { type: judge, model: judge, rubric: "${RUBRIC}" }`);
  writeFileSync(
    path.join(dir, 'llm-eval.yaml'),
    [
      'models:',
      `  gpt: { provider: openai, model: gpt-4o-mini, baseURL: "${llm.openaiBaseURL}" }`,
      `  claude: { provider: anthropic, model: claude-haiku-4-5, baseURL: "${llm.anthropicBaseURL}" }`,
      `  judge: { provider: openai, model: gpt-4o-mini, baseURL: "${llm.openaiBaseURL}" }`,
      'suites:',
      '  qa:',
      '    prompt: answer',
      '    dataset: datasets/qa.jsonl',
      '    variants:',
      ...p.variants.map((v) => `      ${v}: { model: ${v} }`),
      ...(p.suite ?? []),
      '    graders:',
      ...graders,
      `defaults: { retries: 0, cache: off, batchPollMs: 20${p.defaults ? `, ${p.defaults}` : ''} }`,
      '',
    ].join('\n'),
  );
  return dir;
}

/** Fixed usage so cost can be worked out by hand; the judge gets a passing verdict. */
function behaviour(r: RecordedRequest): { type: 'answer'; text?: string; usage: { input: number; output: number; cachedInput: number } } {
  const usage = { input: 100, output: 20, cachedInput: 0 };
  if (r.rawBody.includes(RUBRIC)) return { type: 'answer', text: JSON.stringify({ reasoning: 'Right.', score: 1 }), usage };
  return { type: 'answer', usage };
}

function runDirOf(dir: string): string {
  const reports = path.join(dir, 'reports');
  const ids = readdirSync(reports).filter((n) => n !== 'latest' && !n.endsWith('.json'));
  expect(ids).toHaveLength(1);
  return path.join(reports, ids[0]!);
}

function resultLines(runDir: string): Array<{ caseId: string; variant: string; pass: boolean; costUsd: number | null; judgeCostUsd?: number; error: unknown }> {
  return readFileSync(path.join(runDir, 'results.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { caseId: string; variant: string; pass: boolean; costUsd: number | null; judgeCostUsd?: number; error: unknown });
}

/** Interactive (non-batch) model calls the server received. */
function interactiveCalls(llm: FakeLlm): number {
  return llm.requests.filter((r) => r.path.endsWith('/chat/completions') || r.path === '/v1/messages').length;
}

/**
 * Puts a run folder back in the kill window: each batch's record becomes the submission intent
 * written before it was created (same custom_ids, time and intent id), as if the process had
 * died after the provider accepted the batch and before the record was written.
 */
function intoKillWindow(runDir: string, rename?: (intentId: string) => string): string[] {
  const dir = path.join(runDir, 'batches');
  const intents: string[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    const { batchId: _id, intentId, ...rest } = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { batchId: string; intentId: string };
    const id = rename ? rename(intentId) : intentId;
    writeFileSync(path.join(dir, `${id}.intent`), JSON.stringify({ ...rest, intentId: id }));
    rmSync(path.join(dir, f));
    intents.push(path.join(dir, `${id}.intent`));
  }
  return intents;
}

let llm: FakeLlm;
beforeAll(async () => {
  llm = await startFakeLlm();
});
afterAll(async () => {
  await llm.close();
});
beforeEach(() => {
  llm.reset();
  llm.setBehaviour(behaviour);
});

describe('run --batch', () => {
  it('a 2,000-case batch run killed after submission is resumed in a new process and collected with no request submitted twice', async () => {
    const dir = writeProject(llm, { rows: 1000, variants: ['gpt', 'claude'], defaults: 'batchMaxRequests: 600' });
    llm.setBatchBehaviour({ pollsUntilDone: 1_000_000 });
    const first = spawnCli(['run', '--batch', '--wait'], dir, ENV);
    // 1,000 requests per model at 600 per batch: 2 batches each, all recorded before the kill.
    const batchesDir = (): string[] => {
      const reports = path.join(dir, 'reports');
      if (!existsSync(reports)) return [];
      const run = readdirSync(reports).find((n) => n !== 'latest');
      const b = run ? path.join(reports, run, 'batches') : '';
      return b && existsSync(b) ? readdirSync(b).filter((n) => n.endsWith('.json')) : [];
    };
    await waitUntil(() => batchesDir().length === 4 || first.hasExited(), '4 batch records', 120_000);
    first.child.kill('SIGKILL');
    const killed = await first.exited;
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    expect(llm.batches.submissions).toBe(4);

    llm.setBatchBehaviour({ pollsUntilDone: 2 });
    const resumed = await runCliAsync(['run', '--resume', 'latest', '--wait'], dir, ENV, 120_000);
    expect(resumed.code, resumed.stderr + resumed.stdout).toBe(0);
    expect(llm.batches.submissions).toBe(4);
    expect(llm.batches.customIds.size).toBe(2000);
    expect([...llm.batches.customIds.values()].every((n) => n === 1)).toBe(true);
    expect(interactiveCalls(llm)).toBe(0);
    const lines = resultLines(runDirOf(dir));
    expect(lines).toHaveLength(2000);
    expect(lines.every((l) => l.pass)).toBe(true);
    expect(resumed.stderr).toMatch(/batches: 4\/4 done, 2000 requests succeeded, 0 failed/);
  }, 300_000);

  it('costs exactly half of the same run made interactively (the batch rate of the price table)', async () => {
    const interactiveDir = writeProject(llm, { rows: 10, variants: ['gpt', 'claude'] });
    const inter = await runCliAsync(['run'], interactiveDir, ENV);
    expect(inter.code, inter.stderr).toBe(0);
    const batchDir = writeProject(llm, { rows: 10, variants: ['gpt', 'claude'] });
    const batch = await runCliAsync(['run', '--batch', '--wait'], batchDir, ENV);
    expect(batch.code, batch.stderr).toBe(0);
    const cost = (d: string): number => (JSON.parse(readFileSync(path.join(runDirOf(d), 'report.json'), 'utf8')) as { totals: { costUsd: number } }).totals.costUsd;
    // By hand, 100 input and 20 output tokens per call, 10 calls per model:
    //   gpt-4o-mini $0.15 / $0.60 per 1M: 10 × (100×0.15 + 20×0.60)/1e6 = $0.00027
    //   claude-haiku-4-5 $1 / $5 per 1M:   10 × (100×1 + 20×5)/1e6      = $0.002
    // interactive $0.00227; the batch price is 50% of every rate: $0.001135.
    expect(cost(interactiveDir)).toBeCloseTo(0.00227, 12);
    expect(cost(batchDir)).toBeCloseTo(0.001135, 12);
    expect(llm.batches.submissions).toBe(2);
  });

  it('runs a judged suite in two batch phases: candidates, then their judges', async () => {
    const dir = writeProject(llm, { rows: 20, variants: ['gpt'], judge: true });
    const r = await runCliAsync(['run', '--batch', '--wait'], dir, ENV);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(llm.batches.submissions).toBe(2);
    expect(llm.batches.submittedRequests).toBe(40);
    expect(interactiveCalls(llm)).toBe(0);
    const lines = resultLines(runDirOf(dir));
    expect(lines).toHaveLength(20);
    // Judge cost at the batch rate, by hand: (100×0.15 + 20×0.60)/1e6 / 2 = $0.0000135 per case.
    for (const l of lines) expect(l.judgeCostUsd).toBeCloseTo(0.0000135, 12);
  });

  it('retries failed and expired batch requests interactively and records nothing as an error', async () => {
    const dir = writeProject(llm, { rows: 20, variants: ['gpt', 'claude'] });
    llm.setBatchBehaviour({ outcome: (_id, body) => (JSON.stringify(body).includes('r3?') ? 'error' : JSON.stringify(body).includes('r7?') ? 'expired' : 'ok') });
    const r = await runCliAsync(['run', '--batch', '--wait'], dir, ENV);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    // r3 and r7 of both models: 4 requests failed in their batches, 4 interactive calls.
    expect(interactiveCalls(llm)).toBe(4);
    const lines = resultLines(runDirOf(dir));
    expect(lines).toHaveLength(40);
    expect(lines.every((l) => l.pass && l.error === null)).toBe(true);
  });

  it('with batchRetry: none, failed batch requests are recorded as errors', async () => {
    const dir = writeProject(llm, { rows: 10, variants: ['gpt'], defaults: 'batchRetry: none' });
    llm.setBatchBehaviour({ outcome: (_id, body) => (JSON.stringify(body).includes('r3?') ? 'expired' : 'ok') });
    const r = await runCliAsync(['run', '--batch', '--wait'], dir, ENV);
    expect(interactiveCalls(llm)).toBe(0);
    const lines = resultLines(runDirOf(dir));
    const failed = lines.filter((l) => l.error !== null);
    expect(failed.map((l) => l.caseId)).toEqual(['r3']);
    expect(r.code).not.toBe(0);
  });

  it('without --wait exits 3 with status batch-pending after submitting; batch status and batch collect finish it', async () => {
    const dir = writeProject(llm, { rows: 30, variants: ['gpt', 'claude'] });
    llm.setBatchBehaviour({ pollsUntilDone: 3 });
    const first = await runCliAsync(['run', '--batch'], dir, ENV);
    expect(first.code, first.stderr).toBe(3);
    expect(first.stdout + first.stderr).toMatch(/llm-eval batch collect/);
    const runDir = runDirOf(dir);
    expect((JSON.parse(readFileSync(path.join(runDir, 'run.json'), 'utf8')) as { status: string }).status).toBe('batch-pending');
    expect(llm.batches.submissions).toBe(2);

    const status = await runCliAsync(['batch', 'status', 'latest'], dir, ENV);
    expect(status.stdout).toMatch(/30 requests {2}running/);
    expect(status.code).toBe(3);

    const collect = await runCliAsync(['batch', 'collect', 'latest'], dir, ENV);
    expect(collect.code, collect.stderr + collect.stdout).toBe(0);
    expect(llm.batches.submissions).toBe(2);
    expect(resultLines(runDir)).toHaveLength(60);
    expect((JSON.parse(readFileSync(path.join(runDir, 'run.json'), 'utf8')) as { status: string }).status).toBe('completed');
    // No key in anything the run wrote, the batch records included.
    for (const f of readdirSync(path.join(runDir, 'batches'))) expect(readFileSync(path.join(runDir, 'batches', f), 'utf8')).not.toContain('SECRET');
  });

  it('--max-cost bounds what is submitted: requests whose batch-rate estimate does not fit are not sent, and a resume sends them', async () => {
    const dir = writeProject(llm, { rows: 10, variants: ['gpt'] });
    // Output at $1000 per 1M tokens, input free, max_tokens 1000: each request is estimated at
    // 1000 × 1000 / 1e6 = $1.00, $0.50 at the batch rate. A $2.20 budget holds four ($2.00).
    const config = path.join(dir, 'llm-eval.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace(/( {2}gpt: \{ provider: openai, model: gpt-4o-mini, baseURL: "[^"]*")/, '$1, price: { input: 0, output: 1000 }, params: { max_tokens: 1000 }'));
    const first = await runCliAsync(['run', '--batch', '--max-cost', '2.2'], dir, ENV);
    expect(first.code, first.stderr).toBe(3);
    expect(first.stderr).toMatch(/budget of \$2\.20 reached/);
    expect(first.stderr).toMatch(/4 calls wait on provider batches that keep running/);
    expect(llm.batches.submittedRequests).toBe(4);
    const runDir = runDirOf(dir);
    expect((JSON.parse(readFileSync(path.join(runDir, 'run.json'), 'utf8')) as { status: string }).status).toBe('budget-exceeded');

    // The resume collects the four and sends the other six (its own budget fits all ten).
    const resumed = await runCliAsync(['run', '--resume', 'latest', '--wait', '--max-cost', '100'], dir, ENV, 120_000);
    expect(resumed.code, resumed.stderr + resumed.stdout).toBe(0);
    expect(llm.batches.submittedRequests).toBe(10);
    expect(resultLines(runDir).filter((l) => l.pass)).toHaveLength(10);
  });

  it('with batchRetry: batch, failed requests go out again in a follow-up batch', async () => {
    const dir = writeProject(llm, { rows: 10, variants: ['gpt'], defaults: 'batchRetry: batch' });
    let failedOnce = false;
    llm.setBatchBehaviour({
      outcome: (_id, body) => {
        if (failedOnce || !JSON.stringify(body).includes('r3?')) return 'ok';
        failedOnce = true;
        return 'expired';
      },
    });
    const r = await runCliAsync(['run', '--batch', '--wait'], dir, ENV);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(interactiveCalls(llm)).toBe(0);
    expect(llm.batches.submissions).toBe(2);
    expect(llm.batches.submittedRequests).toBe(11);
    expect(resultLines(runDirOf(dir)).every((l) => l.pass)).toBe(true);
  });

  it('sends each repeat as its own request, and an identical request once per batch (distinct custom_ids)', async () => {
    // Two rows render the same prompt (n is the same), each repeated twice: 2 distinct requests × 2 samples.
    const dir = writeProject(llm, { rows: 2, variants: ['gpt'], suite: ['    repeat: 2'] });
    writeFileSync(path.join(dir, 'datasets', 'qa.jsonl'), '{"id": "x1", "vars": {"n": "same"}}\n{"id": "x2", "vars": {"n": "same"}}\n');
    const r = await runCliAsync(['run', '--batch', '--wait'], dir, ENV);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    // OpenAI rejects a batch whose custom_ids repeat: every id is submitted once.
    expect(llm.batches.submittedRequests).toBe(2);
    expect([...llm.batches.customIds.values()]).toEqual([1, 1]);
    expect(resultLines(runDirOf(dir))).toHaveLength(4);
  });

  it('`batch: true` on a suite sends its calls as batches without --batch', async () => {
    const dir = writeProject(llm, { rows: 5, variants: ['gpt', 'claude'], suite: ['    batch: true'] });
    const r = await runCliAsync(['run', '--wait'], dir, ENV);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(llm.batches.submittedRequests).toBe(10);
    expect(interactiveCalls(llm)).toBe(0);
  });

  it('Ctrl-C while waiting leaves the batches running and says how to collect them', async () => {
    const dir = writeProject(llm, { rows: 5, variants: ['gpt'] });
    llm.setBatchBehaviour({ pollsUntilDone: 1_000_000 });
    const p = spawnCli(['run', '--batch', '--wait'], dir, ENV);
    await waitUntil(() => llm.batches.statusReads >= 2 || p.hasExited(), 'the batch being polled', 60_000);
    p.child.kill('SIGINT');
    const r = await p.exited;
    expect(r.code, r.stderr + r.stdout).toBe(3);
    expect(r.stdout + r.stderr).toMatch(/5 calls wait on provider batches that keep running; collect them with `llm-eval batch collect /);
    expect(llm.batches.submissions).toBe(1);
  });

  it('runs models of providers without a batch API interactively, with a notice', async () => {
    const dir = writeProject(llm, { rows: 3, variants: ['gpt'] });
    const yaml = readFileSync(path.join(dir, 'llm-eval.yaml'), 'utf8').replace('  judge:', '  local: { provider: echo }\n  judge:').replace('      gpt: { model: gpt }', '      gpt: { model: gpt }\n      local: { model: local }');
    writeFileSync(path.join(dir, 'llm-eval.yaml'), yaml);
    const r = await runCliAsync(['run', '--batch', '--wait'], dir, ENV);
    expect(r.stdout + r.stderr).toMatch(/model "local" \(echo\) has no batch API: its calls run interactively/);
    expect(llm.batches.submittedRequests).toBe(3);
  });
});

describe('nothing submitted twice, even when killed between the provider accepting a batch and its record', () => {
  it('a resume adopts the batches the provider lists for the left intents (OpenAI by metadata, Anthropic by time and count) and collects them', async () => {
    const dir = writeProject(llm, { rows: 10, variants: ['gpt', 'claude'] });
    llm.setBatchBehaviour({ pollsUntilDone: 3 });
    const first = await runCliAsync(['run', '--batch'], dir, ENV);
    expect(first.code, first.stderr).toBe(3);
    expect(llm.batches.submissions).toBe(2);
    const runDir = runDirOf(dir);
    const intents = intoKillWindow(runDir);
    expect(intents).toHaveLength(2);
    // `batch status` shows the unresolved submissions (and submits nothing): not done, exit 3.
    const status = await runCliAsync(['batch', 'status', 'latest'], dir, ENV);
    expect(status.code, status.stderr).toBe(3);
    for (const file of intents) expect(status.stdout).toContain(`(${file})`);
    expect(status.stdout.match(/^unresolved submission {2}model (gpt|claude) {2}10 requests/gm)).toHaveLength(2);
    expect(llm.batches.submissions).toBe(2);

    const collect = await runCliAsync(['batch', 'collect', 'latest'], dir, ENV);
    expect(collect.code, collect.stderr + collect.stdout).toBe(0);
    expect(llm.batches.submissions).toBe(2);
    expect([...llm.batches.customIds.values()].every((n) => n === 1)).toBe(true);
    expect(interactiveCalls(llm)).toBe(0);
    const lines = resultLines(runDir);
    expect(lines).toHaveLength(20);
    expect(lines.every((l) => l.pass)).toBe(true);
    // The intents became records of the adopted batches.
    expect(readdirSync(path.join(runDir, 'batches')).filter((n) => n.endsWith('.intent'))).toEqual([]);
    expect(readdirSync(path.join(runDir, 'batches')).filter((n) => n.endsWith('.json'))).toHaveLength(2);
  });

  it('an OpenAI intent no batch carries in its metadata was never created: it is dropped and its requests go out once', async () => {
    const dir = writeProject(llm, { rows: 5, variants: ['gpt'] });
    const first = await runCliAsync(['run', '--batch'], dir, ENV);
    expect(first.code, first.stderr).toBe(3);
    intoKillWindow(runDirOf(dir), (id) => `${id}-never-created`);
    const collect = await runCliAsync(['run', '--resume', 'latest', '--wait'], dir, ENV);
    expect(collect.code, collect.stderr + collect.stdout).toBe(0);
    expect(llm.batches.submissions).toBe(2);
    expect(resultLines(runDirOf(dir))).toHaveLength(5);
  });

  it('stops with exit 2 naming the intent file when two Anthropic batches match it, and submits nothing', async () => {
    const dir = writeProject(llm, { rows: 5, variants: ['claude'] });
    const first = await runCliAsync(['run', '--batch'], dir, ENV);
    expect(first.code, first.stderr).toBe(3);
    const [intent] = intoKillWindow(runDirOf(dir));
    // Another batch of 5 requests created at the same time (say, by another run with this key).
    const requests = Array.from({ length: 5 }, (_, i) => ({ custom_id: `other-${i}`, params: { model: 'claude-haiku-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] } }));
    const res = await fetch(`${llm.anthropicBaseURL}/v1/messages/batches`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ requests }) });
    expect(res.status).toBe(200);
    expect(llm.batches.submissions).toBe(2);

    const collect = await runCliAsync(['batch', 'collect', 'latest'], dir, ENV);
    expect(collect.code, collect.stderr + collect.stdout).toBe(2);
    expect(collect.stderr).toContain(intent!);
    expect(collect.stderr).toMatch(/lists 2 batches that match/);
    expect(llm.batches.submissions).toBe(2);
    expect(existsSync(intent!)).toBe(true);
  });
});
