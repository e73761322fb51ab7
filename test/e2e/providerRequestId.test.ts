/**
 * A provider's request id survives to where a CI user looks: a case whose call failed keeps the
 * id the provider gave its request (OpenAI `x-request-id`) in results.jsonl, and the error digest
 * in the terminal and summary.md quotes it, so the failure can be taken to the provider's support.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import { runCliAsync } from '../helpers/spawnCli.js';
import { KEY_ENV, readResultLines, rowName, writeFakeLlmProject } from '../helpers/fakeLlmProject.js';

describe('provider request ids in the case record and the error digest', () => {
  let llm: FakeLlm;
  beforeAll(async () => {
    llm = await startFakeLlm();
  });
  afterAll(() => llm.close());

  it('records and shows the request id of a failed call', { timeout: 60_000 }, async () => {
    // 2 rows; variant a's call for row q001 gets a 400 with request id req_e2e_q001, the rest answer.
    const dir = writeFakeLlmProject({ baseURL: llm.openaiBaseURL, rows: 2, question: (i) => (i === 1 ? 'refuse-me' : 'fine') });
    llm.reset();
    llm.setBehaviour((req) =>
      req.rawBody.includes('gpt-4o-mini') && req.rawBody.includes('refuse-me')
        ? { type: 'error', status: 400, message: 'Invalid prompt', requestId: 'req_e2e_q001' }
        : { type: 'answer' },
    );

    const r = await runCliAsync(['run', '--format', 'md'], dir, KEY_ENV);
    const out = r.stdout;
    expect(out).toMatch(/qa \/ a: 1 of 2 cases errored\n\s+1 case: .*Invalid prompt.* \(request id req_e2e_q001\)/);

    const reportDir = /Reports: (.+)/.exec(out)![1]!.trim();
    const records = readResultLines(path.join(reportDir, 'results.jsonl'));
    const failed = records.find((l) => l.variant === 'a' && l.caseId === rowName(1));
    expect(failed?.error).toMatchObject({ kind: 'bad-request', requestId: 'req_e2e_q001' });
    // A case that answered carries no error and so no request id.
    expect(records.find((l) => l.variant === 'a' && l.caseId === rowName(0))?.error).toBeNull();

    const md = readFileSync(path.join(reportDir, 'summary.md'), 'utf8');
    expect(md).toMatch(/- 1 case: .*Invalid prompt.* \(request id req\\_e2e\\_q001\)/);
  });
});
