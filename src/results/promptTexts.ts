import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ResolvedSuite } from '../types.js';
import { redactDeep } from '../util/secrets.js';
import { writeFileAtomic } from './store.js';

/**
 * prompts.json in a run folder: the text of every prompt template the run used, keyed
 * `name@version#hash` (as case records and fingerprints name a prompt), once per hash. It lets
 * report.html show what changed in a prompt whose hash moved against the baseline, and lets a
 * baseline saved from the run keep the text (results/baseline.ts).
 */
export const PROMPT_TEXTS_FILE = 'prompts.json';

/** A template longer than this is cut: a report needs the gist of a change, not a novel. */
export const MAX_PROMPT_TEXT = 16 * 1024;

export type PromptTexts = Record<string, string>;

export const promptKey = (p: { name: string; version: string; hash: string }): string => `${p.name}@${p.version}#${p.hash}`;

/** Cuts `text` to `max` UTF-16 units without splitting a surrogate pair, marking the cut. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}\n… (cut at ${max} characters of ${text.length})`;
}

export async function collectPromptTexts(suites: ResolvedSuite[]): Promise<PromptTexts> {
  const texts: PromptTexts = {};
  for (const s of suites) {
    for (const v of s.variants) {
      const key = promptKey(v.prompt);
      if (key in texts) continue;
      try {
        texts[key] = cutText(await readFile(v.prompt.file, 'utf8'), MAX_PROMPT_TEXT);
      } catch {
        // A template that vanished since it was loaded: the report shows no diff for it.
      }
    }
  }
  return texts;
}

export async function writePromptTexts(runDir: string, suites: ResolvedSuite[]): Promise<void> {
  await writeFileAtomic(path.join(runDir, PROMPT_TEXTS_FILE), JSON.stringify(redactDeep(await collectPromptTexts(suites)), null, 2) + '\n');
}

/** The run folder's prompt texts; empty when the run predates prompts.json. */
export async function readPromptTexts(runDir: string): Promise<PromptTexts> {
  try {
    const data: unknown = JSON.parse(await readFile(path.join(runDir, PROMPT_TEXTS_FILE), 'utf8'));
    if (!data || typeof data !== 'object' || Array.isArray(data)) return {};
    const out: PromptTexts = {};
    for (const [k, v] of Object.entries(data as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
    return out;
  } catch {
    return {};
  }
}
