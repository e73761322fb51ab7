/**
 * Crash safety, end to end: the built CLI runs a suite against the fake LLM server and is
 * killed with SIGKILL at random points; `run --resume latest` continues it each time. The final
 * results must equal an uninterrupted run's, and the server's request log must show that no
 * case already finished was asked for again.
 *
 * What is provable, and asserted exactly: a case is "done" for a resume when its line is in
 * results.jsonl or its answer is in the response cache (the cache entry is written as soon as
 * the answer arrives, before the case is graded and recorded). A resume may only send requests
 * for cases that are not done. The one window in which a paid answer can be asked for twice is
 * between the server sending it and its cache entry being renamed into place: a kill there loses
 * the answer, and the case is (legitimately) requested again. The assertion allows exactly that
 * and nothing more: per request body, a segment's requests never exceed its not-done cases.
 *
 * The kill points come from a seeded generator; set CRASH_SEED to replay a failure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startFakeLlm, type FakeLlm, type RecordedRequest } from '../fake-llm/server.js';
import { runCliAsync, sleep, spawnCli, waitUntil } from '../helpers/spawnCli.js';
import {
  KEY_ENV,
  cacheEntryCase,
  caseKeyOf,
  readCacheEntries,
  readResultLines,
  requestCase,
  rowName,
  writeFakeLlmProject,
  type ResultLine,
} from '../helpers/fakeLlmProject.js';

const ROWS = 20;
const REPEAT = 2;
const VARIANTS = ['a', 'b'];
const TOTAL = ROWS * VARIANTS.length * REPEAT;
const KILLS = 3;

/** mulberry32: a tiny seeded generator, so a failing kill schedule can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Lines of results.jsonl that parse, as a resume reads them (a torn last line is skipped). */
function recordedKeys(file: string): Set<string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return new Set();
  }
  const keys = new Set<string>();
  for (const line of text.split('\n')) {
    try {
      keys.add(caseKeyOf(JSON.parse(line) as ResultLine));
    } catch {
      /* torn or empty */
    }
  }
  return keys;
}

function runFolders(reports: string): string[] {
  return readdirSync(reports).filter((d) => /^\d{8}-\d{6}-/.test(d));
}

describe('crash safety: kill -9 at random points, resume, same results', () => {
  let llm: FakeLlm;
  beforeAll(async () => {
    // Latency makes the run last a few seconds, so kills land mid-run with calls in flight.
    llm = await startFakeLlm({ latencyMs: 80 });
  });
  afterAll(() => llm.close());

  it(`survives ${KILLS} SIGKILLs and a torn last line, and never re-asks for a finished case`, { timeout: 120_000 }, async () => {
    const seed = Number(process.env['CRASH_SEED'] ?? Math.floor(Math.random() * 1e9));
    const random = seeded(seed);
    const context = `CRASH_SEED=${seed}`;
    const dir = writeFakeLlmProject({ baseURL: llm.openaiBaseURL, rows: ROWS, repeat: REPEAT, concurrency: 4 });
    const reports = path.join(dir, 'reports');
    const cacheDir = path.join(dir, '.llm-eval', 'cache');

    // ---- the reference: one uninterrupted run, cache off (the crash run below starts cold).
    // It also leaves reports/latest on a finished run, which `--resume latest` must not pick.
    llm.reset();
    const ref = await runCliAsync(['run', '--cache', 'off', '--format', 'json'], dir, KEY_ENV);
    expect(ref.stderr, context).not.toMatch(/crashed|at .*\.js:\d+/);
    expect(ref.code, ref.stderr).toBe(0);
    expect(llm.requests.length, 'one request per case, repeats included').toBe(TOTAL);
    const [refRun] = runFolders(reports);
    const reference = readResultLines(path.join(reports, refRun!, 'results.jsonl'));
    expect(reference).toHaveLength(TOTAL);

    // ---- the crash run: killed KILLS times, then resumed to the end
    let runId: string | undefined;
    const resultsFile = (): string => path.join(reports, runId!, 'results.jsonl');
    let kills = 0;
    for (let segment = 0; segment <= KILLS; segment++) {
      const last = segment === KILLS;
      // What a resume must not ask for: recorded lines and cached answers.
      const recorded = runId ? recordedKeys(resultsFile()) : new Set<string>();
      const cached = new Set(readCacheEntries(cacheDir).map(cacheEntryCase));
      const done = new Set([...recorded, ...cached]);

      llm.reset();
      const args = runId ? ['run', '--resume', 'latest', '--format', 'json'] : ['run', '--format', 'json'];
      const cli = spawnCli(args, dir, KEY_ENV);
      if (!last) {
        // A random point: after a random number of this segment's requests, plus a random delay
        // (which lands before, during or after a response, a cache write or a results line).
        const remaining = TOTAL - done.size;
        // At most a quarter of what is left: the kill lands well before the run could finish,
        // even when this process is slow to notice the target was reached.
        const target = 1 + Math.floor(random() * Math.max(1, Math.floor(remaining / 4)));
        await waitUntil(() => llm.requests.length >= target || cli.hasExited(), `request ${target} of segment ${segment} (${context})`, 60_000);
        await sleep(Math.floor(random() * 60));
        if (!cli.hasExited()) {
          cli.child.kill('SIGKILL');
          kills++;
        }
      }
      const exit = await cli.exited;
      const requests: RecordedRequest[] = [...llm.requests];

      if (!runId) {
        const fresh = runFolders(reports).filter((d) => d !== refRun);
        expect(fresh, context).toHaveLength(1);
        runId = fresh[0]!;
      } else {
        // --resume latest continued the crashed run: no new run folder was made.
        expect(runFolders(reports).sort(), context).toEqual([refRun!, runId].sort());
      }

      // No request for a case that was done when this segment started; at most one request
      // per not-done sample of each request body (the wire does not carry the repeat index).
      const notDone = new Map<string, number>();
      for (const v of VARIANTS)
        for (let i = 0; i < ROWS; i++)
          for (let r = 0; r < REPEAT; r++) {
            if (done.has(`qa/${v}/${rowName(i)}/${r}`)) continue;
            const body = `${v}/${rowName(i)}`;
            notDone.set(body, (notDone.get(body) ?? 0) + 1);
          }
      const asked = new Map<string, number>();
      for (const req of requests) {
        const { variant, row } = requestCase(req);
        const body = `${variant}/${row}`;
        asked.set(body, (asked.get(body) ?? 0) + 1);
      }
      for (const [body, n] of asked) {
        expect(n, `segment ${segment}: ${body} asked ${n}× with ${notDone.get(body) ?? 0} sample(s) not done (${context})`).toBeLessThanOrEqual(
          notDone.get(body) ?? 0,
        );
      }

      if (last) {
        expect(exit.stderr, context).not.toMatch(/crashed/);
        expect(exit.code, exit.stderr).toBe(0);
      } else {
        expect(exit.signal, `segment ${segment} should have been killed mid-run (${context})`).toBe('SIGKILL');
        // Simulate a crash in the middle of writing a line: half a JSON line, no newline.
        if (segment === 1) appendFileSync(resultsFile(), '{"suite":"qa","variant":"a","caseId":"q0');
      }
    }
    expect(kills).toBe(KILLS);

    // ---- the same results as the uninterrupted run, each case exactly once
    const final = readResultLines(resultsFile());
    const keys = final.map(caseKeyOf);
    expect(new Set(keys).size, 'no case recorded twice').toBe(keys.length);
    const view = (lines: ResultLine[]): Record<string, unknown> =>
      Object.fromEntries(lines.map((l) => [caseKeyOf(l), { output: l.output, pass: l['pass'], error: l.error }]));
    expect(view(final)).toEqual(view(reference));
    expect(final).toHaveLength(TOTAL);

    // Every cache entry answers one case's sample (a repeat is its own sample). It may lack a few:
    // a kill between recording a case and renaming its cache entry leaves the answer in
    // results.jsonl only, which is where a resume looks first.
    const cachedCases = readCacheEntries(cacheDir).map(cacheEntryCase);
    expect(new Set(cachedCases).size).toBe(cachedCases.length);
    for (const c of cachedCases) expect(keys).toContain(c);
    expect(cachedCases.some((c) => c.endsWith('/1')), 'repeat 1 is cached apart from repeat 0').toBe(true);

    const report = JSON.parse(readFileSync(path.join(reports, runId!, 'report.json'), 'utf8')) as { runId: string; status: string };
    expect(report).toMatchObject({ runId, status: 'completed' });
    expect(readFileSync(path.join(reports, 'latest', 'report.json'), 'utf8')).toContain(runId);
  });
});
