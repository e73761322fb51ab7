import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReporterHub } from '../../src/reporters/hub.js';
import type { Reporter } from '../../src/reporters/types.js';
import { loadConfig } from '../../src/config/load.js';
import { runEval } from '../../src/runner/runEval.js';
import type { CaseRecord } from '../../src/types.js';
import { copyExample } from '../helpers/project.js';

const record = { caseId: 'c1' } as CaseRecord;

describe('reporter hooks', () => {
  it('turn a throwing or rejecting hook into one warning per reporter and hook', async () => {
    const warnings: string[] = [];
    const seen: string[] = [];
    const reporters: Reporter[] = [
      { name: 'sync-boom', onCaseResult: () => { throw new Error('disk full'); } },
      { name: 'async-boom', onCaseResult: async () => { throw new Error('socket closed'); } },
      { name: 'fine', onCaseResult: (r) => { seen.push(r.caseId); } },
    ];
    const hub = new ReporterHub(reporters, (m) => warnings.push(m));
    hub.emit('onCaseResult', record);
    hub.emit('onCaseResult', record);
    await hub.flush();
    expect(seen).toEqual(['c1', 'c1']);
    expect(warnings).toEqual([
      'reporter "sync-boom" failed in onCaseResult (the run goes on): disk full',
      'reporter "async-boom" failed in onCaseResult (the run goes on): socket closed',
    ]);
  });

  it('awaits async per-case hooks at flush, and run hooks in order', async () => {
    const order: string[] = [];
    const slow: Reporter = { name: 'slow', onCaseResult: async (r) => { await new Promise((resolve) => setTimeout(resolve, 20)); order.push(`case ${r.caseId}`); } };
    const hub = new ReporterHub([slow], () => undefined);
    hub.emit('onCaseResult', record);
    expect(order).toEqual([]);
    await hub.flush();
    expect(order).toEqual(['case c1']);
  });

  it('a reporter that throws in every hook does not stop a run: it completes, exit 0, with the warnings in report.json', async () => {
    const dir = copyExample('quickstart');
    const config = await loadConfig({ cwd: dir });
    const boom = (): never => {
      throw new Error('reporter bug');
    };
    const broken: Reporter = { name: 'broken', onRunStart: boom, onCaseStart: boom, onCaseResult: async () => boom(), onRunEnd: boom };
    const outcome = await runEval({ config, reporters: [broken], formats: ['json'] });
    expect(outcome.status).toBe('completed');
    expect(outcome.exitCode).toBe(0);
    const report = JSON.parse(readFileSync(path.join(outcome.dir, 'report.json'), 'utf8')) as { warnings: string[] };
    for (const hook of ['onRunStart', 'onCaseStart', 'onCaseResult']) {
      expect(report.warnings).toContain(`reporter "broken" failed in ${hook} (the run goes on): reporter bug`);
    }
  });
});
