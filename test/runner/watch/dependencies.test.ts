/**
 * Which suite a file edit concerns, on a copy of examples/quickstart, whose llm-eval.yaml says:
 * ticket-routing reads datasets/tickets.jsonl and calls providers/rule-classifier.js;
 * order-extraction reads datasets/orders.jsonl, providers/order-extractor.js and (its json-schema
 * grader) schemas/order.schema.json; smoke reads datasets/smoke.jsonl and calls echo.
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../../src/config/load.js';
import { fingerprintDiff, foldersToWatch, suiteFingerprint, type SuiteFingerprint } from '../../../src/runner/watch/dependencies.js';
import { copyExample, editFile } from '../../helpers/project.js';
import type { ResolvedConfig } from '../../../src/types.js';

function fingerprints(config: ResolvedConfig): Map<string, SuiteFingerprint> {
  return new Map(config.suites.map((s) => [s.name, suiteFingerprint(config, s)]));
}

/** Per suite, the labels that differ between two fingerprint sets (suites with none left out). */
function changed(before: Map<string, SuiteFingerprint>, after: Map<string, SuiteFingerprint>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, fp] of after) {
    const diff = fingerprintDiff(before.get(name), fp);
    if (diff.length) out[name] = diff;
  }
  return out;
}

describe('watch: what each suite depends on', () => {
  it.each([
    ['schemas/order.schema.json', 'order-extraction'],
    ['providers/rule-classifier.js', 'ticket-routing'],
    ['providers/order-extractor.js', 'order-extraction'],
    ['datasets/smoke.jsonl', 'smoke'],
  ])('an edit of %s changes only %s', async (file, suite) => {
    const dir = copyExample();
    const config = await loadConfig({ configFile: path.join(dir, 'llm-eval.yaml') });
    const before = fingerprints(config);
    editFile(path.join(dir, file), (t) => t + '\n');
    expect(changed(before, fingerprints(config))).toEqual({ [suite]: [file] });
  });

  it("an edit of a prompt's shared tools file changes only the suites whose prompts use it", async () => {
    const dir = copyExample();
    writeFileSync(path.join(dir, 'tools.yaml'), '- name: lookup_order\n  parameters: { type: object }\n');
    editFile(path.join(dir, 'prompts', 'extract-order', 'v2.yaml'), (t) => `${t.trimEnd()}\ntools: { file: ../../tools.yaml }\n`);
    const config = await loadConfig({ configFile: path.join(dir, 'llm-eval.yaml') });
    const before = fingerprints(config);
    editFile(path.join(dir, 'tools.yaml'), (t) => t.replace('lookup_order', 'find_order'));
    expect(changed(before, fingerprints(config))).toEqual({ 'order-extraction': ['tools.yaml'] });
  });

  it('a setting of one suite in llm-eval.yaml changes only that suite', async () => {
    const dir = copyExample();
    const file = path.join(dir, 'llm-eval.yaml');
    const before = fingerprints(await loadConfig({ configFile: file }));
    editFile(file, (t) => t.replace('gate: { minPassRate: 0.7 }', 'gate: { minPassRate: 0.8 }'));
    const after = fingerprints(await loadConfig({ configFile: file }));
    expect(changed(before, after)).toEqual({ 'ticket-routing': ['llm-eval.yaml'] });
  });

  it('an unchanged project has unchanged fingerprints, and every file a suite reads is in a watched folder', async () => {
    const dir = copyExample();
    const file = path.join(dir, 'llm-eval.yaml');
    const config = await loadConfig({ configFile: file });
    expect(changed(fingerprints(config), fingerprints(await loadConfig({ configFile: file })))).toEqual({});
    const folders = foldersToWatch(config, config.suites);
    for (const sub of ['', 'datasets', 'providers', 'schemas', 'prompts']) expect(folders).toContain(path.join(dir, sub));
  });
});
