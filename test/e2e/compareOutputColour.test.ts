import { describe, expect, it } from 'vitest';
import { runCliAsync } from '../helpers/spawnCli.js';
import { caseIds, record, tempDir, writeRun } from '../results/runFixture.js';

/** `compare` printed into a pipe or a CI log: plain text unless colour is asked for. */
describe('compare output colour', () => {
  const out = tempDir();
  const ids = caseIds(20);
  const a = writeRun(out, { runId: 'a', records: ids.map((caseId) => record({ caseId, pass: true })) });
  const b = writeRun(out, { runId: 'b', records: ids.map((caseId, i) => record({ caseId, pass: i > 1 })) });
  // eslint-disable-next-line no-control-regex
  const ANSI = /\u001b\[/;

  it('writes no ANSI escape into a pipe, even with NO_COLOR unset', async () => {
    const r = await runCliAsync(['compare', a, b], out, { NO_COLOR: '', CI: '' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Comparing run b against run a');
    expect(r.stdout).not.toMatch(ANSI);
  });

  it('NO_COLOR wins over FORCE_COLOR; FORCE_COLOR alone colours the table', async () => {
    const plain = await runCliAsync(['compare', a, b], out, { NO_COLOR: '1', FORCE_COLOR: '1' });
    expect(plain.stdout).not.toMatch(ANSI);
    const coloured = await runCliAsync(['compare', a, b], out, { NO_COLOR: '', FORCE_COLOR: '1' });
    expect(coloured.stdout).toMatch(ANSI);
  });
});
