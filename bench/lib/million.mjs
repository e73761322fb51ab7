// Scenario 8 (issue 14): one variant of 1,000,000 cases through the offline `echo` provider, with
// every report format written. The target: it finishes (no RangeError from a spread of a per-case
// list) and its peak RSS stays under 600 MB. `node bench/run.mjs million` runs it alone.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { measure } from './measure.mjs';

export const MILLION_RSS_LIMIT_MB = 600;

async function writeProject(dir, cases) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'prompts', 'echo'), { recursive: true });
  mkdirSync(path.join(dir, 'datasets'), { recursive: true });
  writeFileSync(path.join(dir, 'prompts', 'echo', 'v1.md'), 'Ticket {{ n }}: {{ category }}\n');
  const out = createWriteStream(path.join(dir, 'datasets', 'million.jsonl'));
  const categories = ['billing', 'shipping', 'account', 'other'];
  for (let n = 0; n < cases; n++) {
    const category = categories[n % 4];
    // The echo provider answers with the rendered user message, so every case passes.
    const line = JSON.stringify({ id: `m${n}`, vars: { n, category }, expected: `Ticket ${n}: ${category}` });
    if (!out.write(line + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  writeFileSync(
    path.join(dir, 'llm-eval.yaml'),
    'models:\n  echo: { provider: echo }\n' +
      'suites:\n  million:\n    prompt: echo@v1\n    dataset: datasets/million.jsonl\n    model: echo\n    graders:\n      - { type: exact }\n' +
      'defaults: { concurrency: 64, cache: off }\n',
  );
}

/** Runs the scenario; returns a table row (see run.mjs) plus whether the target holds. */
export async function runMillion({ benchDir, cli, cases, env, log }) {
  const dir = path.join(benchDir, 'million-project');
  log(`million: writing a ${cases.toLocaleString('en-US')}-case echo project in ${dir}`);
  await writeProject(dir, cases);
  const out = path.join(dir, 'reports');
  log(`million: llm-eval run, ${cases.toLocaleString('en-US')} cases, echo provider, every report format`);
  const r = await measure(process.execPath, [cli, 'run', '--out', out], { cwd: dir, env });
  const runs = existsSync(out) ? readdirSync(out).filter((d) => /^\d{8}-\d{6}-[0-9a-f]+$/.test(d)).sort() : [];
  const runDir = runs.length ? path.join(out, runs[runs.length - 1]) : undefined;
  const reports = ['report.json', 'junit.xml', 'report.html', 'summary.md'];
  const written = runDir ? reports.filter((f) => existsSync(path.join(runDir, f))) : [];
  let passed = false;
  if (r.code === 0 && written.length === reports.length) {
    const totals = JSON.parse(readFileSync(path.join(runDir, 'report.json'), 'utf8')).totals;
    passed = totals.cases === cases && totals.passed === cases;
  }
  const size = (f) => (runDir && existsSync(path.join(runDir, f)) ? `${f} ${(statSync(path.join(runDir, f)).size / 2 ** 20).toFixed(0)} MB` : `${f} missing`);
  const rssMB = r.maxRssKB / 1024;
  if (r.code !== 0) log(`million: exit ${r.code}${r.signal ? ` (${r.signal})` : ''}: ${r.stderr.trim().split('\n').slice(-5).join(' | ')}`);
  return {
    row: {
      id: 'million',
      scenario: `8 llm-eval run, ${cases / 1e6}M cases, echo, all reports`,
      cases,
      wallMs: r.wallMs,
      ideal: NaN,
      cpuMs: r.cpuMs,
      rssKB: r.maxRssKB,
      sizes: ['results.jsonl', 'report.html', 'junit.xml'].map(size).join(', '),
      passed,
    },
    target: { name: `peak RSS: ${cases / 1e6}M-case echo run, all reports`, value: rssMB, limit: MILLION_RSS_LIMIT_MB, unit: 'MB', holds: passed && rssMB < MILLION_RSS_LIMIT_MB, note: passed ? '' : 'the run failed or a report is missing', bound: '' },
  };
}
