/**
 * Malformed 200 replies, end to end: the built CLI runs OpenAI and Anthropic models (streamed
 * and not) against the fake LLM server, which answers each case with one broken reply. No
 * answer is a case error (exit 1, the gate fails), never output "" that `not-contains` and
 * `pii` pass; an HTML page is named as such with its base URL; impossible token counts are
 * rejected, never stored as usage.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeLlm, type FakeLlm, type MalformedKind } from '../fake-llm/server.js';
import { runCliAsync } from '../helpers/spawnCli.js';
import { readResultLines } from '../helpers/fakeLlmProject.js';

const KINDS: MalformedKind[] = ['no-choices', 'null-content', 'empty-content', 'html', 'negative-usage', 'text-usage'];
const ENV = { OPENAI_API_KEY: 'sk-test-malformed-000000', ANTHROPIC_API_KEY: 'sk-ant-malformed-000000' };

function writeProject(llm: FakeLlm): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'llm-eval-malformed-'));
  mkdirSync(path.join(dir, 'prompts', 'ask'), { recursive: true });
  mkdirSync(path.join(dir, 'datasets'));
  writeFileSync(path.join(dir, 'prompts', 'ask', 'v1.txt'), 'Reply kind {{ kind }}\n');
  writeFileSync(path.join(dir, 'datasets', 'kinds.jsonl'), KINDS.map((k) => JSON.stringify({ id: k, vars: { kind: k } })).join('\n') + '\n');
  writeFileSync(
    path.join(dir, 'llm-eval.yaml'),
    [
      'models:',
      `  oa:  { provider: openai, model: gpt-4o-mini, baseURL: "${llm.openaiBaseURL}", stream: false }`,
      `  oas: { provider: openai, model: gpt-4.1-mini, baseURL: "${llm.openaiBaseURL}", stream: true }`,
      `  an:  { provider: anthropic, model: claude-haiku-4-5, baseURL: "${llm.anthropicBaseURL}", stream: false }`,
      `  ans: { provider: anthropic, model: claude-sonnet-4-5, baseURL: "${llm.anthropicBaseURL}", stream: true }`,
      'suites:',
      '  replies:',
      '    prompt: ask',
      '    dataset: datasets/kinds.jsonl',
      '    variants: { oa: { model: oa }, oas: { model: oas }, an: { model: an }, ans: { model: ans } }',
      // One model id per variant: each its own endpoint, so six failures in a row do not look like an outage.
    '    graders:',
      '      - { type: not-contains, value: "forbidden" }',
      '      - { type: pii }',
      'defaults: { concurrency: 4, retries: 0, timeoutMs: 30000, cache: off }',
      '',
    ].join('\n'),
  );
  return dir;
}

describe('malformed 200 replies are case errors, never passes', () => {
  let llm: FakeLlm;
  beforeAll(async () => {
    llm = await startFakeLlm();
    llm.setBehaviour((req) => {
      const kind = KINDS.find((k) => req.rawBody.includes(`Reply kind ${k}\\n`) || req.rawBody.includes(`Reply kind ${k}`));
      return kind ? { type: 'malformed', kind } : { type: 'answer' };
    });
  });
  afterAll(() => llm.close());

  it('records an error for every broken reply, OpenAI and Anthropic, streamed or not, and fails the gate', { timeout: 90_000 }, async () => {
    const dir = writeProject(llm);
    const r = await runCliAsync(['run'], dir, ENV);
    expect(r.stderr).not.toMatch(/crashed|Cannot read properties/);
    expect(r.code, r.stdout + r.stderr).toBe(1);

    const lines = readResultLines(path.join(realpathSync(path.join(dir, 'reports', 'latest')), 'results.jsonl'));
    expect(lines).toHaveLength(KINDS.length * 4);
    const byCase = new Map(lines.map((l) => [`${l.variant}/${l.caseId}`, l]));
    for (const variant of ['oa', 'oas', 'an', 'ans']) {
      for (const kind of KINDS) {
        const line = byCase.get(`${variant}/${kind}`);
        expect(line, `${variant}/${kind}`).toBeDefined();
        // An error with no output: graders never saw an empty answer.
        expect(line!.error, `${variant}/${kind}: ${JSON.stringify(line)}`).not.toBeNull();
        expect(line!.output ?? '', `${variant}/${kind}`).toBe('');
        expect(line!['pass'], `${variant}/${kind}`).not.toBe(true);
        const message = line!.error!.message;
        if (kind === 'html') {
          const base = variant.startsWith('o') ? llm.openaiBaseURL : llm.anthropicBaseURL;
          expect(message).toContain(`non-JSON response (text/html) from ${base}`);
        } else {
          expect(message).toMatch(/malformed reply|ended before the answer was complete/);
        }
        if (kind === 'negative-usage') expect(message).toContain('-5');
        if (kind === 'text-usage') expect(message).toContain('"many"');
      }
    }
  });
});
