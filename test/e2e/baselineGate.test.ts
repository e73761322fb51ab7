import { describe, expect, it } from 'vitest';
import { copyExample, editFile, existsSync, path, readFileSync, runCli } from '../helpers/project.js';

describe('run --baseline through the built CLI', () => {
  it('passes when nothing changed and fails naming the cases when a prompt regresses', () => {
    const dir = copyExample();
    expect(runCli(['run', '--format', 'json'], dir).code).toBe(0);
    const save = runCli(['baseline', 'save'], dir);
    expect(save.code).toBe(0);
    const baseline = path.join(dir, 'reports', 'baseline.json');
    expect(existsSync(baseline)).toBe(true);

    const same = runCli(['run', '--format', 'json', '--baseline', baseline], dir);
    expect(same.code).toBe(0);
    const sameReport = JSON.parse(readFileSync(path.join(dir, 'reports', 'latest', 'report.json'), 'utf8'));
    expect(sameReport.comparison.changes).toEqual([]);

    // v2 loses its billing and technical keywords: a real regression on many cases.
    editFile(path.join(dir, 'prompts', 'classify-ticket', 'v2.md'), (t) =>
      t.replace(/- billing: .*\n/, '- billing: invoice\n').replace(/- technical: .*\n/, '- technical: crash\n'),
    );
    const worse = runCli(['run', '--format', 'json', '--baseline', baseline], dir);
    expect(worse.code).toBe(1);
    const report = JSON.parse(readFileSync(path.join(dir, 'reports', 'latest', 'report.json'), 'utf8'));
    const failure = report.gate.failures.find((f: { rule: string }) => f.rule === 'regression');
    expect(failure).toMatchObject({ suite: 'ticket-routing', variant: 'v2' });
    expect(failure.cases.length).toBeGreaterThan(5);
    expect(report.comparison.changes[0]).toMatchObject({ change: 'newly-failing', variant: 'v2' });
    // The changed prompt is named, not silently compared.
    expect(report.comparison.notes.join('\n')).toMatch(/ticket-routing\/v2.*prompt/i);
  });
});

describe('llm-eval init --template injection', () => {
  it('scaffolds the prompt-injection pack, which runs offline and shows held and failed attacks', () => {
    const dir = copyExample();
    const target = path.join(dir, 'inj');
    expect(runCli(['init', '--template', 'injection', '--dir', target], dir).code).toBe(0);
    const r = runCli(['run', '--format', 'json'], target);
    expect(r.stderr).not.toMatch(/crashed/);
    expect([0, 1]).toContain(r.code);
    const report = JSON.parse(readFileSync(path.join(target, 'reports', 'latest', 'report.json'), 'utf8'));
    const variants = report.suites.flatMap((s: { variants: unknown[] }) => s.variants);
    expect(variants.some((v: { passed: number; failed: number }) => v.passed > 0 && v.failed > 0)).toBe(true);
  });
});
