import { describe, expect, it } from 'vitest';
import { copyExample, editFile, path, readFileSync, runCli } from '../helpers/project.js';

/** The head data block of a report.html, as its script reads it. */
function htmlHead(file: string): { explain?: { baselineOutputs: Record<string, string>; templates: Record<string, string>; baselinePrompts: Record<string, string> } } {
  const html = readFileSync(file, 'utf8');
  const open = '<script type="application/json" id="llm-eval-head">';
  const start = html.indexOf(open) + open.length;
  return JSON.parse(html.slice(start, html.indexOf('</script>', start)));
}

describe('report.html explains a regression against the baseline (built CLI)', () => {
  it('embeds the baseline output of each newly failing case and both template texts of the changed prompt', () => {
    const dir = copyExample();
    expect(runCli(['run', '--format', 'json'], dir).code).toBe(0);
    expect(runCli(['baseline', 'save'], dir).code).toBe(0);
    const baselineFile = path.join(dir, 'reports', 'baseline.json');
    const baseline = JSON.parse(readFileSync(baselineFile, 'utf8'));
    const promptFile = path.join(dir, 'prompts', 'classify-ticket', 'v2.md');
    const before = readFileSync(promptFile, 'utf8');
    // The baseline keeps the template text it was measured with, under its name@version#hash.
    const v2Prompt: string = baseline.suites['ticket-routing'].v2.fingerprint.prompt;
    expect(baseline.prompts[v2Prompt]).toBe(before);

    editFile(promptFile, (t) => t.replace(/- billing: .*\n/, '- billing: invoice\n').replace(/- technical: .*\n/, '- technical: crash\n'));
    const after = readFileSync(promptFile, 'utf8');
    const worse = runCli(['run', '--format', 'html,json', '--baseline', baselineFile], dir);
    expect(worse.code).toBe(1);
    const runDir = path.join(dir, 'reports', 'latest');
    const report = JSON.parse(readFileSync(path.join(runDir, 'report.json'), 'utf8'));
    const failing = report.comparison.changes.filter((c: { change: string }) => c.change === 'newly-failing');
    expect(failing.length).toBeGreaterThan(5);

    const explain = htmlHead(path.join(runDir, 'report.html')).explain!;
    for (const c of failing) {
      expect(explain.baselineOutputs[`${c.suite}\u0000${c.variant}\u0000${c.caseId}`]).toBe(baseline.suites[c.suite][c.variant].outputs[c.caseId]);
    }
    const v2 = report.suites.find((s: { name: string }) => s.name === 'ticket-routing').variants.find((v: { name: string }) => v.name === 'v2');
    const nowPrompt = `${v2.prompt}#${v2.promptHash}`;
    expect(nowPrompt).not.toBe(v2Prompt);
    expect(explain.baselinePrompts['ticket-routing\u0000v2']).toBe(v2Prompt);
    expect(explain.templates[v2Prompt]).toBe(before);
    expect(explain.templates[nowPrompt]).toBe(after);
    // Three CLI runs: ~30 s alone, more on a loaded machine.
  }, 120_000);
});
