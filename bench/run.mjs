#!/usr/bin/env node
// `npm run bench` (builds first): llm-eval's harness overhead, memory, start-up, cache and
// report figures against the bare `openai` SDK and promptfoo, on the fake LLM server.
// Prints one table, then each target of issue 7 with whether it holds.
//
// Everything is written under $BENCH_DIR (default: <os tmp>/llm-eval-bench), never into the
// project; promptfoo is installed there with `npm install --prefix`, never as a dependency.
//
// Options (flags or env):
//   --skip-promptfoo      (BENCH_SKIP_PROMPTFOO=1)  leave out the promptfoo column
//   --runs N              (BENCH_RUNS, default 2)   floor and llm-eval 10k runs, interleaved; best of N
//   --cases N             (BENCH_CASES, default 10000)
//   --big N               (BENCH_BIG_CASES, default 100000)
//   --latency MS          (BENCH_LATENCY, default 50)
//   --big-latency MS      (BENCH_BIG_LATENCY, default 1): the 100k memory run's server
//   --concurrency N       (BENCH_CONCURRENCY, default 64)
//   --promptfoo-timeout S (BENCH_PROMPTFOO_TIMEOUT, default 330)
//   --profile             write a CPU profile of the llm-eval 10k run (node --cpu-prof) to $BENCH_DIR/profiles
//   --json FILE           where to write the figures as JSON (default: $BENCH_DIR/results.json)
//   --million N           (BENCH_MILLION_CASES, default 1000000): scenario 8's case count
//
// `node bench/run.mjs batch` runs only scenario 9 (the provider batch path: submission and
// collection of --big cases and a tenth of them against the fake server's batch endpoints; peak
// RSS must stay flat; issue 17).
// Scenarios: `node bench/run.mjs` runs them all; `node bench/run.mjs million` runs only scenario
// 8 (1,000,000 echo cases, every report, peak RSS < 600 MB; issue 14); `node bench/run.mjs
// overhead` runs only scenarios 1, 1b, 2 and 2b (the CPU-per-case target against the bare SDK).
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, gnuTimePath, cleanupMeasure } from './lib/measure.mjs';
import { writeLlmEvalProject, writePromptfooProject } from './lib/project.mjs';
import { runMillion } from './lib/million.mjs';
import { runBatchScenario } from './lib/batch.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const opt = (name, envName, fallback) => {
  const i = argv.indexOf(`--${name}`);
  if (i >= 0 && argv[i + 1] !== undefined) return argv[i + 1];
  return process.env[envName] ?? fallback;
};

const BENCH_DIR = path.resolve(process.env.BENCH_DIR ?? path.join(tmpdir(), 'llm-eval-bench'));
const CASES = Number(opt('cases', 'BENCH_CASES', 10_000));
const BIG = Number(opt('big', 'BENCH_BIG_CASES', 100_000));
const LATENCY = Number(opt('latency', 'BENCH_LATENCY', 50));
const BIG_LATENCY = Number(opt('big-latency', 'BENCH_BIG_LATENCY', 1));
const CONCURRENCY = Number(opt('concurrency', 'BENCH_CONCURRENCY', 64));
const RUNS = Math.max(1, Number(opt('runs', 'BENCH_RUNS', 2)));
const SKIP_PROMPTFOO = flag('skip-promptfoo') || process.env.BENCH_SKIP_PROMPTFOO === '1';
const PROMPTFOO_TIMEOUT_S = Number(opt('promptfoo-timeout', 'BENCH_PROMPTFOO_TIMEOUT', 330));
const PROMPTFOO_SPEC = process.env.BENCH_PROMPTFOO_VERSION ?? 'promptfoo@0.121';
const PROFILE = flag('profile');
const JSON_OUT = opt('json', 'BENCH_JSON', path.join(BENCH_DIR, 'results.json'));
const MILLION = Number(opt('million', 'BENCH_MILLION_CASES', 1_000_000));
const ONLY = argv[0] && !argv[0].startsWith('--') ? argv[0] : undefined;

const CLI = path.join(ROOT, 'bin', 'llm-eval.js');
const SDK_LOOP = path.join(ROOT, 'bench', 'lib', 'sdk-loop.mjs');
const FAKE_SERVER = path.join(ROOT, 'bench', 'lib', 'fake-server.mjs');
const PROJECT = path.join(BENCH_DIR, 'project');
const PF_PROJECT = path.join(BENCH_DIR, 'promptfoo-project');
const PF_PREFIX = path.join(BENCH_DIR, 'promptfoo');
const PF_HOME = path.join(BENCH_DIR, 'promptfoo-home');
const API_KEY = 'sk-bench-0123456789abcdef0123';
// CI=true: plain progress lines (no TTY in a child anyway); no colour codes to strip.
const BASE_ENV = { OPENAI_API_KEY: API_KEY, CI: 'true', NO_COLOR: '1' };

const benchStarted = performance.now();
const log = (msg) => process.stderr.write(`[bench ${((performance.now() - benchStarted) / 1000).toFixed(0).padStart(3)}s] ${msg}\n`);

// ---------------------------------------------------------------- fake servers

async function startServer(latencyMs) {
  const child = spawn(process.execPath, [FAKE_SERVER, '--latency', String(latencyMs)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) throw new Error('the fake server did not start');
  const info = JSON.parse(first.value);
  return {
    ...info,
    latencyMs,
    async stats() {
      child.stdin.write('stats\n');
      return JSON.parse((await lines.next()).value);
    },
    stop() {
      child.stdin.end();
    },
  };
}

// ---------------------------------------------------------------- helpers

const mb = (kb) => kb / 1024;
const fileSize = (f) => (existsSync(f) ? statSync(f).size : NaN);
const fmtBytes = (n) => (Number.isNaN(n) ? '–' : n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${(n / 1024).toFixed(0)} KB`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function newestRunDir(outDir) {
  const ids = readdirSync(outDir).filter((d) => /^\d{8}-\d{6}-[0-9a-f]+$/.test(d)).sort();
  return ids.length ? path.join(outDir, ids[ids.length - 1]) : undefined;
}

function fail(what, r) {
  throw new Error(`${what} failed (exit ${r.code}${r.signal ? `, ${r.signal}` : ''}):\n${r.stderr.slice(-3000)}\n${r.stdout.slice(-1500)}`);
}

/** The pass count a run reports (every case should pass: the fake server echoes the expected answer). */
function passedOf(runDir) {
  const report = JSON.parse(readFileSync(path.join(runDir, 'report.json'), 'utf8'));
  return { cases: report.totals.cases, passed: report.totals.passed };
}

async function llmEval(name, suite, args, { outDir, profileDir, env } = {}) {
  const out = outDir ?? path.join(PROJECT, 'reports', name);
  mkdirSync(out, { recursive: true });
  const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const r = await measure(process.execPath, [...nodeArgs, CLI, 'run', '--suite', suite, '--concurrency', String(CONCURRENCY), '--out', out, ...args], {
    cwd: PROJECT,
    env: { ...BASE_ENV, ...env },
  });
  if (r.code !== 0) fail(`llm-eval ${name}`, r);
  const dir = newestRunDir(out);
  return { ...r, dir, ...passedOf(dir) };
}

// ---------------------------------------------------------------- promptfoo

function promptfooEntry() {
  const pkg = path.join(PF_PREFIX, 'node_modules', 'promptfoo', 'package.json');
  if (!existsSync(pkg)) return undefined;
  const { version, bin } = JSON.parse(readFileSync(pkg, 'utf8'));
  const rel = typeof bin === 'string' ? bin : bin.promptfoo;
  return { version, entry: path.join(PF_PREFIX, 'node_modules', 'promptfoo', rel) };
}

function installPromptfoo() {
  const have = promptfooEntry();
  const wanted = PROMPTFOO_SPEC.split('@')[1];
  if (have && (!wanted || have.version.startsWith(wanted))) return { ...have };
  log(`installing ${PROMPTFOO_SPEC} into ${PF_PREFIX} (once; reused by later runs)`);
  mkdirSync(PF_PREFIX, { recursive: true });
  const r = spawnSync('npm', ['install', '--prefix', PF_PREFIX, PROMPTFOO_SPEC, '--no-audit', '--no-fund', '--loglevel=error', '--no-save'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 300_000,
  });
  const got = promptfooEntry();
  if (r.status !== 0 || !got) return { error: `npm install ${PROMPTFOO_SPEC} failed (exit ${r.status ?? r.signal}): ${(r.stderr || r.error?.message || '').trim().split('\n').slice(-3).join(' ')}` };
  return got;
}

async function runPromptfoo(server) {
  const pf = installPromptfoo();
  if (pf.error) return { skipped: pf.error };
  await writePromptfooProject(PF_PROJECT, { baseURL: server.openaiBaseURL, cases: CASES, concurrency: CONCURRENCY });
  rmSync(PF_HOME, { recursive: true, force: true });
  log(`promptfoo ${pf.version}: ${CASES} cases at concurrency ${CONCURRENCY} (cap ${PROMPTFOO_TIMEOUT_S} s)`);
  const r = await measure(
    process.execPath,
    [pf.entry, 'eval', '-c', 'promptfooconfig.yaml', '--no-cache', '-j', String(CONCURRENCY), '--no-table', '--no-progress-bar', '-o', 'output.json'],
    {
      cwd: PF_PROJECT,
      env: { ...BASE_ENV, PROMPTFOO_CONFIG_DIR: PF_HOME, PROMPTFOO_DISABLE_TELEMETRY: '1', PROMPTFOO_DISABLE_UPDATE: '1', PROMPTFOO_DISABLE_SHARING: '1' },
      timeoutMs: PROMPTFOO_TIMEOUT_S * 1000,
    },
  );
  if (r.timedOut) return { ...r, version: pf.version, passed: undefined, outputBytes: NaN };
  let passed = NaN;
  try {
    passed = JSON.parse(readFileSync(path.join(PF_PROJECT, 'output.json'), 'utf8')).results.stats.successes;
  } catch {
    /* no output file */
  }
  if (r.code !== 0 && r.code !== 100) return { skipped: `promptfoo exited ${r.code}: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`, version: pf.version };
  return { ...r, version: pf.version, passed, outputBytes: fileSize(path.join(PF_PROJECT, 'output.json')) };
}

// ---------------------------------------------------------------- main

async function main() {
  if (!existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run bench` (it builds first)');
  mkdirSync(BENCH_DIR, { recursive: true });
  if (ONLY === 'million') return mainMillion();
  if (ONLY === 'batch') return mainBatch();
  if (ONLY && ONLY !== 'overhead') throw new Error(`unknown scenario "${ONLY}" (scenarios: overhead, million, batch; none for all)`);
  const llmEvalVersion = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
  const sdkVersion = JSON.parse(readFileSync(path.join(ROOT, 'node_modules', 'openai', 'package.json'), 'utf8')).version;
  log(`${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GB, node ${process.version}; measuring with ${gnuTimePath() ?? 'process.resourceUsage (no GNU time)'}`);

  const server = await startServer(LATENCY);
  const fastServer = await startServer(BIG_LATENCY);
  const rows = [];
  const results = { startedAt: new Date().toISOString(), node: process.version, cpus: cpus().length, llmEvalVersion, sdkVersion, cases: CASES, bigCases: BIG, latencyMs: LATENCY, concurrency: CONCURRENCY };
  try {
    log(`generating datasets in ${PROJECT} (${CASES} and ${BIG} cases)`);
    await writeLlmEvalProject(PROJECT, {
      baseURL: server.openaiBaseURL,
      fastBaseURL: fastServer.openaiBaseURL,
      sizes: [
        { name: 'bench', cases: CASES, model: 'fake50' },
        { name: 'big', cases: BIG, model: 'fast' },
        { name: 'one', cases: 1, model: 'fake50' },
      ],
    });
    const ideal = (CASES / CONCURRENCY) * (LATENCY / 1000);
    const dataset = path.join(PROJECT, 'datasets', 'bench.jsonl');

    // (1) + (2): the floor and llm-eval, interleaved so both see the same machine; best of RUNS.
    const floorRuns = [];
    const nodeFloorRuns = [];
    const evalRuns = [];
    for (let i = 0; i < RUNS; i++) {
      log(`floor: bare openai SDK loop, ${CASES} calls, run ${i + 1}/${RUNS}`);
      const f = await measure(process.execPath, [SDK_LOOP, '--dataset', dataset, '--base-url', server.openaiBaseURL, '--concurrency', String(CONCURRENCY)], { env: BASE_ENV });
      if (f.code !== 0) fail('SDK loop', f);
      floorRuns.push(f);
      log(`floor on llm-eval's transport: bare openai SDK loop with node:http fetch, ${CASES} calls, run ${i + 1}/${RUNS}`);
      const fn = await measure(process.execPath, [SDK_LOOP, '--dataset', dataset, '--base-url', server.openaiBaseURL, '--concurrency', String(CONCURRENCY), '--fetch', 'node'], { env: BASE_ENV });
      if (fn.code !== 0) fail('SDK loop (node:http fetch)', fn);
      nodeFloorRuns.push(fn);
      log(`llm-eval: ${CASES} cases, run ${i + 1}/${RUNS}`);
      const profileDir = PROFILE && i === RUNS - 1 ? path.join(BENCH_DIR, 'profiles') : undefined;
      if (profileDir) rmSync(profileDir, { recursive: true, force: true });
      evalRuns.push(await llmEval('overhead', 'bench', ['--cache', 'off'], { profileDir }));
    }
    if (PROFILE) log(`CPU profile of the last llm-eval ${CASES} run: ${path.join(BENCH_DIR, 'profiles')} (open in Chrome DevTools)`);
    const best = (runs) => ({ ...runs[0], wallMs: Math.min(...runs.map((r) => r.wallMs)), cpuMs: Math.min(...runs.map((r) => r.cpuMs)), maxRssKB: Math.min(...runs.map((r) => r.maxRssKB)) });
    const floor = best(floorRuns);
    const nodeFloor = best(nodeFloorRuns);
    const ev = best(evalRuns);
    const evDir = evalRuns[evalRuns.length - 1].dir;
    // The fixed part of each (process start, imports, config, reports of one case): one case,
    // best of 3, so the per-case (marginal) cost can be told apart from start-up.
    log('fixed cost: 1 call through the bare SDK loop and 1 case through llm-eval, × 3');
    const oneFloor = [];
    const oneEval = [];
    for (let i = 0; i < 3; i++) {
      const f = await measure(process.execPath, [SDK_LOOP, '--dataset', path.join(PROJECT, 'datasets', 'one.jsonl'), '--base-url', server.openaiBaseURL, '--concurrency', String(CONCURRENCY)], { env: BASE_ENV });
      if (f.code !== 0) fail('SDK loop (1 call)', f);
      oneFloor.push(f);
      oneEval.push(await llmEval('one', 'one', ['--cache', 'off']));
    }
    const floor1 = best(oneFloor);
    const ev1 = best(oneEval);
    rows.push({ id: 'floor', scenario: '1 bare openai SDK loop (floor)', cases: CASES, wallMs: floor.wallMs, ideal, cpuMs: floor.cpuMs, rssKB: floor.maxRssKB, sizes: '–' });
    rows.push({ id: 'floor1', scenario: '1b   the same, 1 call (fixed cost)', cases: 1, wallMs: floor1.wallMs, ideal: NaN, cpuMs: floor1.cpuMs, rssKB: floor1.maxRssKB, sizes: '–', perRun: true });
    rows.push({ id: 'nodeFloor', scenario: "1c   the same loop on llm-eval's transport (node:http)", cases: CASES, wallMs: nodeFloor.wallMs, ideal, cpuMs: nodeFloor.cpuMs, rssKB: nodeFloor.maxRssKB, sizes: '–' });
    rows.push({
      id: 'eval10k',
      scenario: '2 llm-eval run, exact + json-schema',
      cases: CASES,
      wallMs: ev.wallMs,
      ideal,
      cpuMs: ev.cpuMs,
      rssKB: ev.maxRssKB,
      sizes: `results.jsonl ${fmtBytes(fileSize(path.join(evDir, 'results.jsonl')))}, report.html ${fmtBytes(fileSize(path.join(evDir, 'report.html')))}`,
      passed: evalRuns.every((r) => r.passed === CASES),
    });
    rows.push({ id: 'eval1', scenario: '2b   the same, 1 case (fixed cost)', cases: 1, wallMs: ev1.wallMs, ideal: NaN, cpuMs: ev1.cpuMs, rssKB: ev1.maxRssKB, sizes: '–', perRun: true, passed: oneEval.every((r) => r.passed === 1) });
    if (ONLY === 'overhead') return printOverhead(rows);

    // (5) cache: fill it (a cold run with --cache on), then answer every case from it.
    rmSync(path.join(PROJECT, '.llm-eval'), { recursive: true, force: true });
    log(`cache: filling (${CASES} cases, --cache on, cold)`);
    const cold = await llmEval('cache', 'bench', ['--cache', 'on']);
    rows.push({ id: 'cacheCold', scenario: '5a llm-eval --cache on, cold (writes it)', cases: CASES, wallMs: cold.wallMs, ideal, cpuMs: cold.cpuMs, rssKB: cold.maxRssKB, sizes: `cache ${fmtBytes(dirSize(path.join(PROJECT, '.llm-eval', 'cache')))}`, passed: cold.passed === CASES });
    const before = (await server.stats()).total;
    log(`cache: re-running ${CASES} cases fully from the cache`);
    const warm = await llmEval('cache', 'bench', ['--cache', 'on']);
    const calls = (await server.stats()).total - before;
    rows.push({ id: 'cacheWarm', scenario: '5b llm-eval --cache on, all hits', cases: CASES, wallMs: warm.wallMs, ideal: 0, cpuMs: warm.cpuMs, rssKB: warm.maxRssKB, sizes: `${calls} calls made`, passed: warm.passed === CASES && calls === 0 });

    // (3) memory at 100k cases, against the low-latency server.
    log(`llm-eval: ${BIG} cases (memory), server latency ${BIG_LATENCY} ms`);
    const big = await llmEval('big', 'big', ['--cache', 'off']);
    const bigIdeal = (BIG / CONCURRENCY) * (BIG_LATENCY / 1000);
    const bigResults = fileSize(path.join(big.dir, 'results.jsonl'));
    rows.push({ id: 'eval100k', scenario: `3 llm-eval run, ${BIG / 1000}k cases, ${BIG_LATENCY} ms server`, cases: BIG, wallMs: big.wallMs, ideal: bigIdeal, cpuMs: big.cpuMs, rssKB: big.maxRssKB, sizes: `results.jsonl ${fmtBytes(bigResults)}`, passed: big.passed === BIG });

    // (6) reports for the 100k run, re-rendered from its results.jsonl.
    log(`reports: report.json, junit.xml, report.html for ${BIG} cases`);
    const reportsOut = path.join(BENCH_DIR, 'reports-big');
    rmSync(reportsOut, { recursive: true, force: true });
    const rep = await measure(process.execPath, [CLI, 'report', big.dir, '--format', 'json,junit,html', '--out', reportsOut], { cwd: PROJECT, env: BASE_ENV });
    if (rep.code !== 0) fail('llm-eval report', rep);
    const htmlBytes = fileSize(path.join(reportsOut, 'report.html'));
    rows.push({
      id: 'reports',
      scenario: '6 reports: json + junit + html',
      cases: BIG,
      wallMs: rep.wallMs,
      ideal: NaN,
      cpuMs: rep.cpuMs,
      rssKB: rep.maxRssKB,
      sizes: `html ${fmtBytes(htmlBytes)} (${(htmlBytes / bigResults).toFixed(2)}× results.jsonl), junit ${fmtBytes(fileSize(path.join(reportsOut, 'junit.xml')))}`,
      htmlRatio: htmlBytes / bigResults,
    });

    // (4) start-up.
    for (const arg of ['--version', '--help']) {
      log(`start-up: llm-eval ${arg} × 11`);
      const walls = [];
      let rss = 0;
      let cpu = [];
      for (let i = 0; i < 11; i++) {
        const r = await measure(process.execPath, [CLI, arg], { env: BASE_ENV });
        if (r.code !== 0) fail(`llm-eval ${arg}`, r);
        walls.push(r.wallMs);
        cpu.push(r.cpuMs);
        rss = Math.max(rss, r.maxRssKB);
      }
      rows.push({ id: `startup${arg}`, scenario: `4 start-up: llm-eval ${arg} (median of 11)`, cases: NaN, wallMs: median(walls), ideal: NaN, cpuMs: median(cpu), rssKB: rss, sizes: '–', perRun: true });
    }

    // (8) a million cases through the echo provider, every report (issue 14).
    const million = await runMillion({ benchDir: BENCH_DIR, cli: CLI, cases: MILLION, env: BASE_ENV, log });
    rows.push(million.row);

    // (9) the provider batch path, submission and collection, small and large (issue 17).
    const batch = await runBatchScenario({ benchDir: BENCH_DIR, cli: CLI, cases: BIG, small: Math.max(1, Math.round(BIG / 10)), env: BASE_ENV, log, baseURL: server.openaiBaseURL });
    rows.push(...batch.rows);

    // (7) promptfoo, last: it is by far the longest.
    let pf = { skipped: 'skipped (--skip-promptfoo)' };
    if (!SKIP_PROMPTFOO) {
      try {
        pf = await runPromptfoo(server);
      } catch (err) {
        pf = { skipped: `promptfoo could not run: ${err instanceof Error ? err.message : String(err)}` };
      }
    }
    if (pf.skipped) {
      log(pf.skipped);
      rows.push({ id: 'promptfoo', scenario: `7 promptfoo${pf.version ? ` ${pf.version}` : ''}: ${pf.skipped}`, cases: CASES, wallMs: NaN, ideal, cpuMs: NaN, rssKB: NaN, sizes: '–' });
    } else if (pf.timedOut) {
      log(`promptfoo did not finish within ${PROMPTFOO_TIMEOUT_S} s: stopped; its wall time is at least that`);
      rows.push({ id: 'promptfoo', scenario: `7 promptfoo ${pf.version}: stopped at the ${PROMPTFOO_TIMEOUT_S} s cap`, cases: CASES, wallMs: pf.wallMs, atLeast: true, ideal, cpuMs: NaN, rssKB: NaN, sizes: '–', passed: false });
    } else {
      rows.push({ id: 'promptfoo', scenario: `7 promptfoo ${pf.version}, equals + is-json`, cases: CASES, wallMs: pf.wallMs, ideal, cpuMs: pf.cpuMs, rssKB: pf.maxRssKB, sizes: `output.json ${fmtBytes(pf.outputBytes)}`, passed: pf.passed === CASES });
    }
    results.promptfooVersion = pf.version;

    // ------------------------------------------------------------ the table and the targets
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    const perCase = (r) => (r.perRun ? r.cpuMs : r.cpuMs / r.cases);
    process.stdout.write(
      `\nllm-eval ${llmEvalVersion} · openai SDK ${sdkVersion} · promptfoo ${pf.version ?? '–'} · node ${process.version} · ${cpus().length} CPUs · ` +
        `fake server ${LATENCY} ms (${BIG_LATENCY} ms for the ${BIG / 1000}k run), streaming, concurrency ${CONCURRENCY}; best of ${RUNS} for scenarios 1 and 2\n`,
    );
    printTable(rows, perCase);
    const targets = checkTargets(byId, perCase);
    targets.push(million.target, batch.target);
    printTargets(targets, byId, perCase);
    results.finishedAt = new Date().toISOString();
    results.benchSeconds = (performance.now() - benchStarted) / 1000;
    results.rows = rows;
    results.targets = targets;
    results.serverCpuMs = (await server.stats()).cpuMs;
    if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify(results, null, 2) + '\n');
    log(`done in ${results.benchSeconds.toFixed(0)} s`);
    if (rows.some((r) => r.passed === false)) {
      process.stderr.write('\nA scenario did not pass every case (see "ok" column): its figures do not measure a correct run.\n');
      process.exitCode = 1;
    }
  } finally {
    server.stop();
    fastServer.stop();
    cleanupMeasure();
  }
}

/** `node bench/run.mjs overhead`: scenarios 1, 1b, 2 and 2b alone, and the CPU target they decide. */
function printOverhead(rows) {
  const perCase = (r) => (r.perRun ? r.cpuMs : r.cpuMs / r.cases);
  printTable(rows, perCase);
  const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
  printTargets(checkTargets(byId, perCase));
}

/** `node bench/run.mjs batch`: scenario 9 alone (the provider batch path, issue 17). */
async function mainBatch() {
  const server = await startServer(0);
  try {
    const { rows, target } = await runBatchScenario({ benchDir: BENCH_DIR, cli: CLI, cases: BIG, small: Math.max(1, Math.round(BIG / 10)), env: BASE_ENV, log, baseURL: server.openaiBaseURL });
    printTable(rows, (r) => r.cpuMs / r.cases);
    printTargets([target]);
    if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify({ startedAt: new Date(Date.now() - (performance.now() - benchStarted)).toISOString(), node: process.version, cpus: cpus().length, rows, targets: [target] }, null, 2) + '\n');
    if (!target.holds) process.exitCode = 1;
  } finally {
    server.stop();
    cleanupMeasure();
  }
}

/** `node bench/run.mjs million`: scenario 8 alone. */
async function mainMillion() {
  try {
    const { row, target } = await runMillion({ benchDir: BENCH_DIR, cli: CLI, cases: MILLION, env: BASE_ENV, log });
    printTable([row], (r) => r.cpuMs / r.cases);
    printTargets([target]);
    if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify({ startedAt: new Date(Date.now() - (performance.now() - benchStarted)).toISOString(), node: process.version, cpus: cpus().length, rows: [row], targets: [target] }, null, 2) + '\n');
    if (!row.passed) {
      process.stderr.write('\nThe million-case run did not pass every case or did not write every report.\n');
      process.exitCode = 1;
    }
  } finally {
    cleanupMeasure();
  }
}

function dirSize(dir) {
  if (!existsSync(dir)) return NaN;
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) n += statSync(path.join(e.parentPath ?? e.path, e.name)).size;
  return n;
}

function printTable(rows, perCase) {
  const head = ['scenario', 'cases', 'wall s', 'ideal s', 'ratio', 'CPU ms/case', 'peak RSS MB', 'ok', 'output sizes'];
  const body = rows.map((r) => [
    r.scenario,
    Number.isNaN(r.cases) ? '–' : r.cases.toLocaleString('en-US'),
    Number.isNaN(r.wallMs) ? '–' : r.perRun ? `${(r.wallMs / 1000).toFixed(3)}` : `${r.atLeast ? '> ' : ''}${(r.wallMs / 1000).toFixed(2)}`,
    Number.isNaN(r.ideal) ? '–' : r.ideal.toFixed(2),
    Number.isNaN(r.ideal) || Number.isNaN(r.wallMs) || r.ideal === 0 ? '–' : `${r.atLeast ? '> ' : ''}${(r.wallMs / 1000 / r.ideal).toFixed(2)}×`,
    Number.isNaN(r.cpuMs) ? '–' : r.perRun ? `${r.cpuMs.toFixed(0)} (per run)` : perCase(r).toFixed(3),
    Number.isNaN(r.rssKB) ? '–' : mb(r.rssKB).toFixed(0),
    r.passed === undefined ? '' : r.passed ? 'yes' : 'NO',
    r.sizes,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => String(b[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => (i === 0 || i === cells.length - 1 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' | ')} |`;
  const out = [line(head), `|${widths.map((w, i) => (i === 0 || i === widths.length - 1 ? ':' + '-'.repeat(w + 1) : '-'.repeat(w + 1) + ':')).join('|')}|`, ...body.map(line)];
  process.stdout.write(`\n${out.join('\n')}\n\nideal = cases ÷ concurrency × server latency; ratio = wall ÷ ideal; CPU and peak RSS are the child process's (user + system; GNU time -v).\n`);
}

function checkTargets(byId, perCase) {
  const t = [];
  const add = (name, value, limit, unit, holds, note = '', bound = '') => t.push({ name, value, limit, unit, holds, note, bound });
  const { floor, eval10k: ev, eval100k: big, cacheWarm, reports, promptfoo: pf } = byId;
  add('wall: llm-eval ÷ bare SDK', ev.wallMs / floor.wallMs, 1.15, '×', ev.wallMs / floor.wallMs <= 1.15);
  add('CPU/case: llm-eval ÷ bare SDK', perCase(ev) / perCase(floor), 1.3, '×', perCase(ev) / perCase(floor) <= 1.3);
  // The same split in two: what each pays once (start-up, reports), and per case beyond that.
  const { floor1, eval1 } = byId;
  const marginal = (r, one) => (r.cpuMs - one.cpuMs) / (r.cases - 1);
  add('  (fixed CPU: llm-eval − bare SDK, ms per run)', eval1.cpuMs - floor1.cpuMs, NaN, 'ms', null, `${eval1.cpuMs.toFixed(0)} vs ${floor1.cpuMs.toFixed(0)} ms`);
  if (byId.nodeFloor) add("  (CPU/case: llm-eval ÷ bare SDK on llm-eval's transport)", perCase(ev) / perCase(byId.nodeFloor), NaN, '×', null, 'what llm-eval adds over the same transport');
  add('  (marginal CPU/case: llm-eval ÷ bare SDK)', marginal(ev, eval1) / marginal(floor, floor1), NaN, '×', null, `${marginal(ev, eval1).toFixed(3)} vs ${marginal(floor, floor1).toFixed(3)} ms per case once started`);
  if (ONLY === 'overhead') return t;
  const pfWall = pf && !Number.isNaN(pf.wallMs);
  const pfUsage = pf && !Number.isNaN(pf.cpuMs);
  const why = pf?.atLeast ? `promptfoo stopped at the cap: an upper bound` : 'promptfoo did not run';
  add('wall: llm-eval ÷ promptfoo', pfWall ? ev.wallMs / pf.wallMs : NaN, 1 / 8, '×', pfWall ? ev.wallMs / pf.wallMs < 1 / 8 : null, pf?.atLeast ? why : pfWall ? '' : why, pf?.atLeast ? '< ' : '');
  add('CPU/case: llm-eval ÷ promptfoo', pfUsage ? perCase(ev) / perCase(pf) : NaN, 1 / 8, '×', pfUsage ? perCase(ev) / perCase(pf) < 1 / 8 : null, pfUsage ? '' : why);
  add('peak RSS: llm-eval ÷ promptfoo', pfUsage ? ev.rssKB / pf.rssKB : NaN, NaN, '×', null, pfUsage ? 'reported, no target' : why);
  // Context for the two promptfoo targets: where the floor itself lands. When the bare SDK is
  // above 1/8 of promptfoo, no harness built on that SDK can be under it.
  if (pfUsage) {
    add('  (floor: bare SDK wall ÷ promptfoo)', floor.wallMs / pf.wallMs, NaN, '×', null, 'the best any harness on this SDK can do');
    add('  (floor: bare SDK CPU/case ÷ promptfoo)', perCase(floor) / perCase(pf), NaN, '×', null, 'the best any harness on this SDK can do');
  }
  add(`peak RSS: ${big.cases / 1000}k ÷ ${ev.cases / 1000}k cases`, big.rssKB / ev.rssKB, 1.5, '×', big.rssKB / ev.rssKB < 1.5);
  add(`peak RSS at ${big.cases / 1000}k cases`, mb(big.rssKB), 400, 'MB', mb(big.rssKB) < 400);
  for (const arg of ['--version', '--help']) {
    const r = byId[`startup${arg}`];
    add(`start-up ${arg} (median)`, r.wallMs, 150, 'ms', r.wallMs < 150);
  }
  add(`cache: ${cacheWarm.cases / 1000}k cases all from the cache`, cacheWarm.wallMs / 1000, 3, 's', cacheWarm.wallMs < 3000 && cacheWarm.passed);
  add(`reports for ${reports.cases / 1000}k cases`, reports.wallMs / 1000, 10, 's', reports.wallMs < 10_000);
  add('report.html ÷ results.jsonl size', reports.htmlRatio, 2, '×', reports.htmlRatio < 2);
  return t;
}

function printTargets(targets) {
  const fmt = (v, unit) => (Number.isNaN(v) ? '–' : unit === '×' ? `${v.toFixed(v < 1 ? 3 : 2)}×` : unit === 'ms' ? `${v.toFixed(0)} ms` : `${v.toFixed(unit === 's' ? 2 : 0)} ${unit}`);
  const lines = targets.map((t) => {
    const mark = t.holds === null ? 'n/a ' : t.holds ? 'PASS' : 'MISS';
    const limit = Number.isNaN(t.limit) ? '' : ` (target ${t.unit === '×' ? (t.limit < 1 ? `< 1/${Math.round(1 / t.limit)}` : `≤ ${t.limit}×`) : `< ${t.limit} ${t.unit}`})`;
    return `  ${mark}  ${t.name}: ${t.bound}${fmt(t.value, t.unit)}${limit}${t.note ? ` — ${t.note}` : ''}`;
  });
  process.stdout.write(`\nTargets (issue 7):\n${lines.join('\n')}\n`);
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
