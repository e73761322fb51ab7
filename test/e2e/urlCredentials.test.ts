/**
 * Credentials in base URLs, end to end: models whose base URL carries userinfo
 * (`http://user:pass@host`) or a credential query parameter (`?api-key=`, `?sig=`) run through
 * the built CLI against the fake LLM server. One fails (fetch refuses a URL with credentials and
 * quotes it), the others are answered and cached. No credential may appear in any file the run
 * wrote (results.jsonl, report.html, junit.xml, the cache) or in what it printed, however short.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import { runCliAsync } from '../helpers/spawnCli.js';
import { listFiles, readResultLines } from '../helpers/fakeLlmProject.js';

const USER = 'svc-account-7781';
/** Shorter than the secret registry's minimum: only structural redaction can catch it. */
const PASSWORD = 'pw9';
const QUERY_KEY = 'QKEY-secret-123456';
const SIG = 'SIGsecret-98765';
const ENV = { OPENAI_API_KEY: 'sk-test-urlcreds-000000', ANTHROPIC_API_KEY: 'sk-ant-urlcreds-000000' };

function leaks(text: string): string[] {
  return [USER, `:${PASSWORD}@`, QUERY_KEY, SIG].filter((s) => text.includes(s));
}

describe('credentials in a base URL never reach a report, the cache or the terminal', () => {
  let llm: FakeLlm;
  beforeAll(async () => {
    llm = await startFakeLlm();
  });
  afterAll(() => llm.close());

  it('redacts userinfo and credential query values everywhere a URL is written', { timeout: 90_000 }, async () => {
    const host = llm.url.replace('http://', '');
    const dir = mkdtempSync(path.join(tmpdir(), 'llm-eval-urlcreds-'));
    mkdirSync(path.join(dir, 'prompts', 'ask'), { recursive: true });
    mkdirSync(path.join(dir, 'datasets'));
    writeFileSync(path.join(dir, 'prompts', 'ask', 'v1.txt'), 'Say {{ word }}\n');
    writeFileSync(path.join(dir, 'datasets', 'words.jsonl'), ['alpha', 'beta'].map((w) => JSON.stringify({ id: w, vars: { word: w } })).join('\n') + '\n');
    // The SDKs append their path to the base URL, so a query placed before `&x=` still routes to
    // /v1/chat/completions (/v1/messages): those calls are answered, and cached.
    writeFileSync(
      path.join(dir, 'llm-eval.yaml'),
      [
        'models:',
        `  userinfo: { provider: openai, model: gpt-4o-mini, baseURL: "http://${USER}:${PASSWORD}@${host}/v1" }`,
        `  query: { provider: openai-compatible, model: local-model, baseURL: "${llm.url}/v1/chat/completions?api-key=${QUERY_KEY}&x=", price: { input: 0, output: 0 } }`,
        `  signed: { provider: anthropic, model: claude-haiku-4-5, baseURL: "${llm.url}/v1/messages?sig=${SIG}&x=" }`,
        'suites:',
        '  words:',
        '    prompt: ask',
        '    dataset: datasets/words.jsonl',
        '    variants: { userinfo: { model: userinfo }, query: { model: query }, signed: { model: signed } }',
        '    graders:',
        '      - { type: contains, value: "{{ word }}" }',
        'defaults: { concurrency: 2, retries: 0, timeoutMs: 30000, cache: on }',
        '',
      ].join('\n'),
    );

    const run = await runCliAsync(['run'], dir, ENV);
    expect(run.stderr).not.toMatch(/crashed/);
    expect(run.code, run.stdout + run.stderr).toBe(1); // the userinfo variant errors

    // The run went through both paths: the quoted URL in an error, and answered, cached calls.
    const lines = readResultLines(path.join(realpathSync(path.join(dir, 'reports', 'latest')), 'results.jsonl'));
    const errored = lines.filter((l) => l.variant === 'userinfo');
    expect(errored).toHaveLength(2);
    for (const l of errored) expect(l.error?.message).toContain(`http://[REDACTED]@${host}/v1`);
    expect(lines.filter((l) => l.variant !== 'userinfo').every((l) => l['pass'] === true)).toBe(true);
    const files = listFiles(dir).filter((f) => f !== path.join(dir, 'llm-eval.yaml'));
    const cacheFiles = files.filter((f) => f.includes(`${path.sep}.llm-eval${path.sep}cache${path.sep}`));
    expect(cacheFiles.length).toBe(4);
    expect(cacheFiles.map((f) => readFileSync(f, 'utf8')).join('\n')).toContain(`api-key=[REDACTED]&x=`);

    const found: string[] = [];
    for (const f of files) for (const s of leaks(readFileSync(f, 'latin1'))) found.push(`${path.relative(dir, f)}: ${s}`);
    for (const s of leaks(run.stdout)) found.push(`stdout: ${s}`);
    for (const s of leaks(run.stderr)) found.push(`stderr: ${s}`);
    expect(found).toEqual([]);
  });
});
