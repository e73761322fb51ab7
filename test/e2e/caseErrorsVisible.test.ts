/**
 * Case errors are shown where CI users look: the terminal summary and summary.md list, per
 * suite × variant, how many cases errored and the distinct messages with how many cases each
 * hit — not only results.jsonl and junit.xml.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import { runCliAsync } from '../helpers/spawnCli.js';
import { KEY_ENV, writeFakeLlmProject } from '../helpers/fakeLlmProject.js';
import { editFile } from '../helpers/project.js';

describe('case errors in the terminal summary and summary.md', () => {
  let llm: FakeLlm;
  beforeAll(async () => {
    llm = await startFakeLlm();
  });
  afterAll(() => llm.close());

  it('lists each variant’s error count and its distinct messages with case counts', { timeout: 60_000 }, async () => {
    // 6 rows. Variant a (gpt-4o-mini): rows 0-3 get a 401, rows 4-5 a 404 → 6 errors, 2 messages (4 + 2).
    // Variant b (local-model): every call answers, but a script grader throws on rows 0-2 → 3 errors, 1 message.
    const dir = writeFakeLlmProject({ baseURL: llm.openaiBaseURL, rows: 6, question: (i) => (i < 4 ? `auth-${i}` : i < 6 ? `gone-${i}` : '') });
    mkdirSync(path.join(dir, 'graders'));
    writeFileSync(
      path.join(dir, 'graders', 'picky.mjs'),
      'export default (output, ctx) => { if (["q000", "q001", "q002"].includes(ctx.vars.n)) throw new Error("picky grader cannot read this"); return true; };\n',
    );
    editFile(path.join(dir, 'llm-eval.yaml'), (t) => t.replace('      - { type: contains, value: "{{ n }}" }', '      - { type: contains, value: "{{ n }}" }\n      - { type: script, module: graders/picky.mjs }'));
    llm.reset();
    llm.setBehaviour((req) => {
      const body = req.rawBody;
      if (!body.includes('gpt-4o-mini')) return { type: 'answer' };
      if (body.includes('auth-')) return { type: 'error', status: 401, message: 'Incorrect API key provided' };
      return { type: 'model-not-found' };
    });

    const r = await runCliAsync(['run', '--format', 'md'], dir, KEY_ENV);
    const out = r.stdout;
    // Terminal: the count per variant, then each distinct message with its case count, most frequent first.
    expect(out).toMatch(/qa \/ a: 6 of 6 cases errored\n\s+4 cases: .*Incorrect API key provided.*\n\s+2 cases: .*gpt-4o-mini.*does not exist/);
    expect(out).toMatch(/qa \/ b: 3 of 6 cases errored\n\s+3 cases: .*picky grader cannot read this/);

    const reportDir = /Reports: (.+)/.exec(out)![1]!.trim();
    const md = readFileSync(path.join(reportDir, 'summary.md'), 'utf8');
    expect(md).toContain('#### Errored cases');
    expect(md).toMatch(/\*\*qa \/ a\*\*: 6 of 6 cases errored\n {2}- 4 cases: .*Incorrect API key provided.*\n {2}- 2 cases: .*does not exist/);
    expect(md).toMatch(/\*\*qa \/ b\*\*: 3 of 6 cases errored\n {2}- 3 cases: .*picky grader cannot read this/);
  });
});
