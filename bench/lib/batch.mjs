// Scenario 9 (issue 17): the provider batch path. N cases of one OpenAI model against the fake
// server's files + batches endpoints: `run --batch` (submission, exits 3 batch-pending), then
// `batch collect` (poll, download, grade, report). Run at a small and a large N: peak RSS must
// stay flat (the large run within BATCH_RSS_GROWTH of the small one). `node bench/run.mjs batch`.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { measure } from './measure.mjs';

/** Peak RSS of the large run over the small one's, at most. */
export const BATCH_RSS_GROWTH = 1.5;

async function writeProject(dir, cases, baseURL) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'prompts', 'ask'), { recursive: true });
  mkdirSync(path.join(dir, 'datasets'), { recursive: true });
  writeFileSync(path.join(dir, 'prompts', 'ask', 'v1.md'), 'Ticket {{ n }}: {{ category }}\n');
  const out = createWriteStream(path.join(dir, 'datasets', 'batch.jsonl'));
  const categories = ['billing', 'shipping', 'account', 'other'];
  for (let n = 0; n < cases; n++) {
    const category = categories[n % 4];
    // The fake server echoes the last user message, so every case passes.
    const line = JSON.stringify({ id: `b${n}`, vars: { n, category }, expected: `Ticket ${n}: ${category}` });
    if (!out.write(line + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  writeFileSync(
    path.join(dir, 'llm-eval.yaml'),
    `models:\n  gpt: { provider: openai, model: gpt-4o-mini, baseURL: "${baseURL}" }\n` +
      'suites:\n  batch:\n    prompt: ask@v1\n    dataset: datasets/batch.jsonl\n    model: gpt\n    graders:\n      - { type: exact }\n' +
      'defaults: { cache: off, batchPollMs: 200 }\n',
  );
}

async function one({ benchDir, cli, cases, env, log, baseURL }) {
  const dir = path.join(benchDir, `batch-project-${cases}`);
  await writeProject(dir, cases, baseURL);
  const out = path.join(dir, 'reports');
  log(`batch: ${cases.toLocaleString('en-US')} cases, run --batch (submission)`);
  const submit = await measure(process.execPath, [cli, 'run', '--batch', '--out', out, '--format', 'json'], { cwd: dir, env });
  log(`batch: ${cases.toLocaleString('en-US')} cases, batch collect (exit ${submit.code} after submission)`);
  const collect = await measure(process.execPath, [cli, 'batch', 'collect', 'latest', '--out', out, '--quiet'], { cwd: dir, env });
  const runs = existsSync(out) ? readdirSync(out).filter((d) => /^\d{8}-\d{6}-[0-9a-f]+$/.test(d)).sort() : [];
  const runDir = runs.length ? path.join(out, runs[runs.length - 1]) : undefined;
  let passed = false;
  if (submit.code === 3 && collect.code === 0 && runDir) {
    const totals = JSON.parse(readFileSync(path.join(runDir, 'report.json'), 'utf8')).totals;
    passed = totals.cases === cases && totals.passed === cases;
  } else log(`batch: submit exit ${submit.code}, collect exit ${collect.code}: ${collect.stderr.trim().split('\n').slice(-5).join(' | ')}`);
  const batches = runDir && existsSync(path.join(runDir, 'batches')) ? readdirSync(path.join(runDir, 'batches')).length : 0;
  return { cases, submit, collect, passed, batches };
}

/** Runs the scenario at `small` and `cases`; returns table rows (see run.mjs) and the flat-memory target. */
export async function runBatchScenario({ benchDir, cli, cases, small, env, log, baseURL }) {
  const runs = [await one({ benchDir, cli, cases: small, env, log, baseURL }), await one({ benchDir, cli, cases, env, log, baseURL })];
  const rows = runs.flatMap((r) => [
    { id: `batch-submit-${r.cases}`, scenario: `9 llm-eval run --batch (submission, ${r.batches} batches)`, cases: r.cases, wallMs: r.submit.wallMs, ideal: NaN, cpuMs: r.submit.cpuMs, rssKB: r.submit.maxRssKB, sizes: '', passed: r.passed },
    { id: `batch-collect-${r.cases}`, scenario: '9 llm-eval batch collect (poll, download, grade, report)', cases: r.cases, wallMs: r.collect.wallMs, ideal: NaN, cpuMs: r.collect.cpuMs, rssKB: r.collect.maxRssKB, sizes: '', passed: r.passed },
  ]);
  const peak = (r) => Math.max(r.submit.maxRssKB, r.collect.maxRssKB) / 1024;
  const growth = peak(runs[1]) / peak(runs[0]);
  return {
    rows,
    target: {
      name: `batch path peak RSS, ${cases.toLocaleString('en-US')} vs ${small.toLocaleString('en-US')} cases`,
      value: growth,
      limit: BATCH_RSS_GROWTH,
      unit: '×',
      holds: runs.every((r) => r.passed) && growth <= BATCH_RSS_GROWTH,
      note: runs.every((r) => r.passed) ? `${peak(runs[0]).toFixed(0)} MB → ${peak(runs[1]).toFixed(0)} MB` : 'a run failed',
      bound: '',
    },
  };
}
