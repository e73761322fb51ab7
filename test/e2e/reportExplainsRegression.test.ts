import { describe, expect, it } from 'vitest';
import { ROWS_ELEMENT_ID } from '../../src/reporters/html/elementIds.js';
import { copyExample, editFile, path, readFileSync, runCli } from '../helpers/project.js';

/** The head data block of a report.html, as its script reads it. */
function htmlHead(file: string): { explain?: { baselineOutputs: Record<string, string>; templates: Record<string, string>; baselinePrompts: Record<string, string> } } {
  const html = readFileSync(file, 'utf8');
  const open = '<script type="application/json" id="llm-eval-head">';
  const start = html.indexOf(open) + open.length;
  return JSON.parse(html.slice(start, html.indexOf('</script>', start)));
}

/** The rendered prompts at the end of report.html's rows block. */
function htmlPrompts(file: string): { byCase: Record<string, { m: Array<[string, string]> } | { error: string }>; omitted: number } {
  const html = readFileSync(file, 'utf8');
  const open = `<script type="application/json" id="${ROWS_ELEMENT_ID}">`;
  const start = html.indexOf(open) + open.length;
  return JSON.parse(html.slice(start, html.indexOf('</script>', start))).prompts;
}

/**
 * quickstart's classify-ticket/v2.md rendered by hand for one dataset row: the front matter's
 * system line, then the body with the ticket put in and the channel line kept only when given.
 */
function renderByHand(templateText: string, vars: { ticket: string; channel?: string }): Array<[string, string]> {
  const system = /^system: (.*)$/m.exec(templateText)![1]!;
  const body = templateText.slice(templateText.indexOf('---', 3) + 4).replace(/^\n+/, '').trimEnd();
  const user = body.replace('{{ ticket }}', vars.ticket).replace('{% if channel %}(received via {{ channel }}){% endif %}', vars.channel ? `(received via ${vars.channel})` : '');
  return [['system', system], ['user', user]];
}

describe('report.html explains a regression against the baseline (built CLI)', () => {
  it('embeds the baseline output of each newly failing case, both template texts of the changed prompt, and the messages sent under each', () => {
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

    // The messages each newly failing case was sent, and those the baseline's template gives with the same vars.
    const prompts = htmlPrompts(path.join(runDir, 'report.html'));
    const rows = new Map<string, { ticket: string; channel?: string }>();
    for (const line of readFileSync(path.join(dir, 'datasets', 'tickets.jsonl'), 'utf8').split('\n').filter(Boolean)) {
      const row = JSON.parse(line);
      rows.set(row.id, row.vars);
    }
    for (const c of failing) {
      expect(prompts.byCase[`${c.suite}\u0000${c.caseId}\u0000${nowPrompt}`]).toEqual({ m: renderByHand(after, rows.get(c.caseId)!) });
      expect(prompts.byCase[`${c.suite}\u0000${c.caseId}\u0000${v2Prompt}`]).toEqual({ m: renderByHand(before, rows.get(c.caseId)!) });
    }
    expect(prompts.omitted).toBe(0);
    // Three CLI runs: ~30 s alone, more on a loaded machine.
  }, 120_000);
});
