import { describe, expect, it } from 'vitest';
import { copyExample, editFile, existsSync, path, readFileSync, runCli, writeFileSync } from '../helpers/project.js';

/** A script model that leaves a mark when called: proves that bad input calls nothing. */
function addCallTracer(dir: string): string {
  const marker = path.join(dir, 'called.txt');
  writeFileSync(
    path.join(dir, 'providers', 'tracer.js'),
    `import { appendFileSync } from 'node:fs';\nexport default async (prompt) => { appendFileSync(${JSON.stringify(marker)}, 'x'); return prompt; };\n`,
  );
  editFile(path.join(dir, 'llm-eval.yaml'), (t) =>
    t.replace('  classifier: { provider: script, module: providers/rule-classifier.js', '  classifier: { provider: script, module: providers/tracer.js'),
  );
  return marker;
}

describe('the quickstart example, through the built CLI', () => {
  it('runs offline, writes results.jsonl and report.json, and exits 0', () => {
    const dir = copyExample();
    const r = runCli(['run'], dir);
    expect(r.stderr).not.toMatch(/crashed/);
    expect(r.code).toBe(0);
    const latest = path.join(dir, 'reports', 'latest');
    const report = JSON.parse(readFileSync(path.join(latest, 'report.json'), 'utf8'));
    expect(report.gate.passed).toBe(true);
    const suites = Object.fromEntries(report.suites.map((s: { name: string }) => [s.name, s]));
    const routing = suites['ticket-routing'].variants;
    // v2's prompt lists more keywords: it must beat v1 on the same rows.
    expect(routing.map((v: { name: string }) => v.name)).toEqual(['v1', 'v2']);
    expect(routing[1].passRate).toBeGreaterThan(routing[0].passRate);
    expect(routing[0].passRateCI95[0]).toBeLessThan(routing[0].passRate);
    expect(routing[1].classification.confusion.labels).toContain('billing');
    const lines = readFileSync(path.join(latest, 'results.jsonl'), 'utf8').trim().split('\n');
    expect(lines.length).toBe(36 * 2 + 32 * 2 + 5);
    const first = JSON.parse(lines[0]!);
    expect(first).toMatchObject({ suite: expect.any(String), caseId: expect.any(String), prompt: { hash: expect.stringMatching(/^[0-9a-f]{12}$/) } });
  });

  it('exits 1 when a golden row is broken', () => {
    const dir = copyExample();
    editFile(path.join(dir, 'datasets', 'orders.jsonl'), (t) => t.replace('"intent": "refund"', '"intent": "status"'));
    const r = runCli(['run', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    const report = JSON.parse(readFileSync(path.join(dir, 'reports', 'latest', 'report.json'), 'utf8'));
    expect(report.gate.failures.map((f: { suite: string }) => f.suite)).toContain('order-extraction');
  });

  it('exits 2 with FILE:LINE for a broken config, calling nothing', () => {
    const dir = copyExample();
    const marker = addCallTracer(dir);
    editFile(path.join(dir, 'llm-eval.yaml'), (t) => t.replace('      v2: { prompt: classify-ticket@v2, model: classifier }', '      v2: { prompt: classify-ticket@v2, model: clasifier }'));
    const r = runCli(['run'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^llm-eval\.yaml:\d+: .*unknown model "clasifier".*classifier/m);
    expect(existsSync(marker)).toBe(false);
  });

  it('exits 2 naming the prompt, variable and dataset line for a missing template variable', () => {
    const dir = copyExample();
    const marker = addCallTracer(dir);
    editFile(path.join(dir, 'datasets', 'tickets.jsonl'), (t) => {
      const lines = t.split('\n');
      lines[4] = lines[4]!.replace('"ticket"', '"tikcet"');
      return lines.join('\n');
    });
    const r = runCli(['run'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/datasets[\\/]tickets\.jsonl:5: .*classify-ticket@v\d.*"ticket"/);
    expect(existsSync(marker)).toBe(false);
  });

  it('exits 2 with the line of a malformed JSONL row, calling nothing', () => {
    const dir = copyExample();
    const marker = addCallTracer(dir);
    editFile(path.join(dir, 'datasets', 'tickets.jsonl'), (t) => {
      const lines = t.split('\n');
      lines[9] = lines[9]!.slice(0, -3);
      return lines.join('\n');
    });
    const r = runCli(['run'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/datasets[\\/]tickets\.jsonl:10: /);
    expect(existsSync(marker)).toBe(false);
  });

  it('validate checks everything and calls nothing', () => {
    const dir = copyExample();
    const marker = addCallTracer(dir);
    const r = runCli(['validate'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ticket-routing: 36 rows × 2 variants/);
    expect(existsSync(marker)).toBe(false);
  });

  it('--dry-run estimates tokens and calls nothing', () => {
    const dir = copyExample();
    const marker = addCallTracer(dir);
    const r = runCli(['run', '--dry-run', '--json'], dir);
    expect(r.code).toBe(0);
    const est = JSON.parse(r.stdout);
    expect(est.totals.cases).toBe(36 * 2 + 32 * 2 + 5);
    expect(est.totals.inputTokens).toBeGreaterThan(1000);
    expect(existsSync(marker)).toBe(false);
  });

  it('rescore re-grades stored outputs without calling the model', () => {
    const dir = copyExample();
    expect(runCli(['run', '--format', 'json'], dir).code).toBe(0);
    const marker = addCallTracer(dir);
    // Tighten the gate: the same outputs now fail it.
    editFile(path.join(dir, 'llm-eval.yaml'), (t) => t.replace('gate: { minPassRate: 0.7 }', 'gate: { minPassRate: 0.95 }'));
    const r = runCli(['rescore', 'latest', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    expect(existsSync(marker)).toBe(false);
    const report = JSON.parse(readFileSync(path.join(dir, 'reports', 'latest', 'report.json'), 'utf8'));
    expect(report.rescoredFrom).toMatch(/^\d{8}-\d{6}-/);
    expect(report.gate.failures[0].rule).toBe('minPassRate');
  });

  it('init scaffolds a project that runs offline', () => {
    const dir = copyExample();
    const target = path.join(dir, 'fresh');
    expect(runCli(['init', '--dir', target], dir).code).toBe(0);
    expect(runCli(['run', '--format', 'json'], target).code).toBe(0);
    expect(runCli(['init', '--dir', target], dir).code).toBe(2);
  });
});
