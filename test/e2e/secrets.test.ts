/**
 * Secrets, end to end: runs with recognisable fake keys (OPENAI_API_KEY and an `apiKeyEnv`
 * one) against the fake LLM server, through a 401 whose body echoes the key, a 500 whose
 * message carries it, and an answer that repeats it, then scans every file the runs wrote
 * (reports, cache) and everything they printed. One run takes the apiKeyEnv key from a .env file. No key, nor any 10-character piece of one,
 * may appear anywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startFakeLlm, type FakeLlm, type RecordedRequest } from '../fake-llm/server.js';
import { runCliAsync, type CliExit } from '../helpers/spawnCli.js';
import { KEY_ENV, LOCAL_KEY, OPENAI_KEY, listFiles, readResultLines, writeFakeLlmProject } from '../helpers/fakeLlmProject.js';

function presentedKey(r: RecordedRequest): string {
  return String(r.headers['authorization'] ?? '').replace(/^Bearer /, '');
}

/** The keys and every 10-character piece of them: a truncated key is still a leak. */
function secretPieces(): string[] {
  const pieces = new Set<string>();
  for (const key of [OPENAI_KEY, LOCAL_KEY]) for (let i = 0; i + 10 <= key.length; i++) pieces.add(key.slice(i, i + 10));
  // The shared prefix `sk-test-` / `sk-local-` is not secret on its own; pieces of 10 all reach past it.
  return [...pieces];
}

function leaksIn(text: string): string[] {
  return secretPieces().filter((p) => text.includes(p));
}

describe('API keys never reach a file or the terminal', () => {
  let llm: FakeLlm;
  beforeAll(async () => {
    llm = await startFakeLlm();
  });
  afterAll(() => llm.close());

  it('redacts keys from reports, results, cache, stdout and stderr, including provider errors', { timeout: 90_000 }, async () => {
    const markers = ['fail401', 'fail500', 'leak-answer', 'fail401', 'leak-answer'];
    const dir = writeFakeLlmProject({
      baseURL: llm.openaiBaseURL,
      rows: 12,
      retries: 1,
      question: (i) => (i < markers.length ? `please ${markers[i]} now` : `what is ${i}?`),
    });
    llm.reset();
    llm.setBehaviour((req) => {
      const body = req.rawBody;
      const key = presentedKey(req);
      if (body.includes('fail401')) return { type: 'error', status: 401 }; // the fake echoes the presented key
      if (body.includes('fail500')) return { type: 'error', status: 500, message: `upstream failed for key ${key} (org of ${OPENAI_KEY})` };
      if (body.includes('leak-answer')) return { type: 'answer', text: `Sure! Your keys are ${OPENAI_KEY} and ${LOCAL_KEY}.` };
      return { type: 'answer' };
    });

    const outputs: CliExit[] = [];
    // A full run (every report format); a second one, answered from the cache where it can
    // (errors are not cached, so the 401 and 500 calls are made again), printing report.json;
    // a third in replay mode, where those calls are misses.
    outputs.push(await runCliAsync(['run'], dir, KEY_ENV));
    const firstRun = realpathSync(path.join(dir, 'reports', 'latest'));
    // The second takes LOCAL_KEY from the project's .env (read by llm-eval, not the shell).
    writeFileSync(path.join(dir, '.env'), `LOCAL_KEY=${LOCAL_KEY}\n`);
    outputs.push(await runCliAsync(['run', '--json'], dir, { OPENAI_API_KEY: OPENAI_KEY }));
    outputs.push(await runCliAsync(['run', '--cache', 'replay', '--json'], dir, KEY_ENV));
    for (const o of outputs) {
      expect(o.stderr).not.toMatch(/crashed/);
      expect(o.code, o.stderr).not.toBe(0); // the 401 and 500 cases fail the gate (exit 1) or replay misses them (exit 3)
      expect([1, 3]).toContain(o.code);
    }

    // The runs went through the error paths this test is about.
    const first = readResultLines(path.join(firstRun, 'results.jsonl'));
    const kinds = new Set(first.map((l) => l.error?.kind).filter(Boolean));
    expect(kinds).toContain('auth');
    expect(kinds).toContain('transient');
    expect(first.some((l) => typeof l.output === 'string' && l.output.includes('[REDACTED]'))).toBe(true);
    expect(llm.requests.some((r) => r.rawBody.includes('fail500'))).toBe(true);

    // The openai-compatible model was sent its own key, never OPENAI_API_KEY (a third-party URL).
    for (const r of llm.requests) {
      const model = (r.body as { model?: string } | null)?.model;
      expect(presentedKey(r)).toBe(model === 'local-model' ? LOCAL_KEY : OPENAI_KEY);
    }

    // Every file but the .env this test wrote holding the key.
    const files = listFiles(dir).filter((f) => f !== path.join(dir, '.env'));
    expect(files.some((f) => f.includes(`${path.sep}.llm-eval${path.sep}cache${path.sep}`))).toBe(true);
    expect(files.some((f) => f.endsWith('report.html'))).toBe(true);
    const found: string[] = [];
    for (const f of files) for (const p of leaksIn(readFileSync(f, 'latin1'))) found.push(`${path.relative(dir, f)}: ${p}`);
    outputs.forEach((o, i) => {
      for (const p of leaksIn(o.stdout)) found.push(`stdout of run ${i + 1}: ${p}`);
      for (const p of leaksIn(o.stderr)) found.push(`stderr of run ${i + 1}: ${p}`);
    });
    expect(found).toEqual([]);
  });
});
