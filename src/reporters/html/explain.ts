import path from 'node:path';
import { readBaseline, type BaselineFile } from '../../results/baseline.js';
import type { PromptTexts } from '../../results/promptTexts.js';
import { readRunMeta } from '../../results/store.js';
import type { StoredRun } from '../types.js';
import type { ExplainData } from './explainFormat.js';

/** Baseline outputs embedded for at most this many changed cases, and this many characters in all (the head block must stay small to paint fast). */
export const MAX_EXPLAINED_CASES = 2_000;
export const MAX_EXPLAINED_CHARS = 2 * 1024 * 1024;

const key = (...parts: string[]): string => parts.join('\u0000');

/** The baseline the run was compared with (run.json's `baseline` option), or null when none can be read. */
async function runBaseline(runDir: string): Promise<BaselineFile | null> {
  try {
    const meta = await readRunMeta(runDir);
    const file = meta.options['baseline'];
    if (typeof file !== 'string' || !file) return null;
    return await readBaseline(path.resolve(file));
  } catch {
    return null;
  }
}

/**
 * What report.html needs to explain each change against the baseline: the baseline's output of
 * every newly failing or newly passing case, and both template texts of a prompt whose hash moved.
 * Undefined when the run has no comparison. `runPrompts`: the run folder's prompts.json.
 */
export async function explainData(run: StoredRun, runPrompts: PromptTexts): Promise<ExplainData | undefined> {
  const comparison = run.report.comparison;
  if (!comparison) return undefined;
  const baseline = await runBaseline(run.dir);
  const data: ExplainData = { baselineOutputs: {}, templates: {}, baselinePrompts: {} };
  const beforeVariant = new Map<string, string>();
  for (const v of comparison.variants) {
    const named = (v as { beforeVariant?: unknown }).beforeVariant;
    beforeVariant.set(key(v.suite, v.variant), typeof named === 'string' ? named : v.variant);
  }
  const baselineVariant = (suite: string, variant: string) => baseline?.suites[suite]?.[beforeVariant.get(key(suite, variant)) ?? variant];

  let cases = 0;
  let chars = 0;
  for (const c of comparison.changes) {
    if (c.change !== 'newly-failing' && c.change !== 'newly-passing') continue;
    const output = baselineVariant(c.suite, c.variant)?.outputs?.[c.caseId];
    if (output === undefined) continue;
    if (cases >= MAX_EXPLAINED_CASES || chars + output.length > MAX_EXPLAINED_CHARS) break;
    data.baselineOutputs[key(c.suite, c.variant, c.caseId)] = output;
    cases++;
    chars += output.length;
  }
  for (const s of run.report.suites) {
    for (const v of s.variants) {
      const before = baselineVariant(s.name, v.name)?.fingerprint?.prompt;
      const now = `${v.prompt}#${v.promptHash}`;
      if (!before) continue;
      data.baselinePrompts[key(s.name, v.name)] = before;
      if (before === now) continue;
      const beforeText = baseline?.prompts?.[before];
      const nowText = runPrompts[now];
      if (beforeText !== undefined) data.templates[before] = beforeText;
      if (nowText !== undefined) data.templates[now] = nowText;
    }
  }
  return data;
}
