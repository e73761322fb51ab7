/**
 * A throwaway project whose models are served by the fake LLM server (test/fake-llm), and
 * readers for what a run leaves on disk (results.jsonl, the cache, every file written).
 *
 * The project has one suite, `qa`, over `rows` dataset rows with two variants:
 *  - `a`: provider `openai` (key from OPENAI_API_KEY), model `gpt-4o-mini`, baseURL = the server;
 *  - `b`: provider `openai-compatible`, model `local-model`, key from `apiKeyEnv: LOCAL_KEY`.
 * The prompt is `Question {{ n }}: {{ question }}`; the fake server echoes the last user
 * message, so every output is predictable and a server request names its case: the body's
 * `model` gives the variant and the text gives the row.
 */
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RecordedRequest } from '../fake-llm/types.js';

export const OPENAI_KEY = 'sk-test-SECRET-123456789';
export const LOCAL_KEY = 'sk-local-SECRET-987654321';
/** The environment every run of the project gets: both keys, recognisable in any file. */
export const KEY_ENV = { OPENAI_API_KEY: OPENAI_KEY, LOCAL_KEY };

export const VARIANT_OF_MODEL: Record<string, string> = { 'gpt-4o-mini': 'a', 'local-model': 'b' };

export interface ProjectOptions {
  /** The fake server's OpenAI base URL (`…/v1`). */
  baseURL: string;
  rows: number;
  repeat?: number;
  concurrency?: number;
  retries?: number;
  /** Extra text for each row's question, by row index (e.g. a marker the server reacts to). */
  question?: (i: number) => string;
}

export function rowName(i: number): string {
  return `q${String(i).padStart(3, '0')}`;
}

export function writeFakeLlmProject(opts: ProjectOptions): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'llm-eval-fake-'));
  mkdirSync(path.join(dir, 'prompts', 'answer'), { recursive: true });
  mkdirSync(path.join(dir, 'datasets'));
  writeFileSync(path.join(dir, 'prompts', 'answer', 'v1.txt'), 'Question {{ n }}: {{ question }}\n');
  const rows = Array.from({ length: opts.rows }, (_, i) =>
    JSON.stringify({ id: rowName(i), vars: { n: rowName(i), question: opts.question?.(i) ?? `what is ${i} + ${i}?` } }),
  );
  writeFileSync(path.join(dir, 'datasets', 'qa.jsonl'), rows.join('\n') + '\n');
  writeFileSync(
    path.join(dir, 'llm-eval.yaml'),
    [
      'models:',
      `  gpt: { provider: openai, model: gpt-4o-mini, baseURL: "${opts.baseURL}" }`,
      `  local: { provider: openai-compatible, model: local-model, baseURL: "${opts.baseURL}", apiKeyEnv: LOCAL_KEY, price: { input: 0, output: 0 } }`,
      'suites:',
      '  qa:',
      '    prompt: answer',
      '    dataset: datasets/qa.jsonl',
      '    variants:',
      '      a: { model: gpt }',
      '      b: { model: local }',
      `    repeat: ${opts.repeat ?? 1}`,
      '    graders:',
      '      - { type: contains, value: "{{ n }}" }',
      `defaults: { concurrency: ${opts.concurrency ?? 4}, retries: ${opts.retries ?? 0}, timeoutMs: 30000, cache: on }`,
      '',
    ].join('\n'),
  );
  return dir;
}

/** The case a server request was made for, minus the repeat (the wire cannot tell samples apart). */
/** The fake project with its one grader replaced by `grader` (a YAML flow mapping), for config checks. */
export function fakeLlmProjectWithGrader(grader: string, opts: ProjectOptions): { dir: string; config: string } {
  const dir = writeFakeLlmProject(opts);
  const config = path.join(dir, 'llm-eval.yaml');
  writeFileSync(config, readFileSync(config, 'utf8').replace('      - { type: contains, value: "{{ n }}" }', `      - ${grader}`));
  return { dir, config };
}

export function requestCase(r: RecordedRequest): { variant: string; row: string } {
  const body = r.body ?? {};
  const variant = VARIANT_OF_MODEL[String(body['model'])] ?? `?${String(body['model'])}`;
  const messages = (body['messages'] as Array<{ role: string; content: unknown }> | undefined) ?? [];
  const text = String(messages.filter((m) => m.role === 'user').at(-1)?.content ?? '');
  const row = /Question (q\d+):/.exec(text)?.[1] ?? `?${text}`;
  return { variant, row };
}

export interface ResultLine {
  suite: string;
  variant: string;
  caseId: string;
  repeat: number;
  output: string | null;
  error: { kind: string; message: string } | null;
  [key: string]: unknown;
}

/** Every line of a results.jsonl, parsed; throws if any line is not JSON (no torn line allowed). */
export function readResultLines(file: string): ResultLine[] {
  const text = readFileSync(file, 'utf8');
  if (text === '') return [];
  if (!text.endsWith('\n')) throw new Error(`${file} does not end with a newline: its last line is torn`);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line, i) => {
      try {
        return JSON.parse(line) as ResultLine;
      } catch {
        throw new Error(`${file}:${i + 1} is not JSON: ${line.slice(0, 120)}`);
      }
    });
}

export function caseKeyOf(r: { suite: string; variant: string; caseId: string; repeat: number }): string {
  return `${r.suite}/${r.variant}/${r.caseId}/${r.repeat}`;
}

/** Every regular file under `dir`, recursively (symlinks are not followed). */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(p));
    else if (entry.isFile()) out.push(p);
  }
  return out;
}

export interface CacheFile {
  file: string;
  entry: { key: string; model: string; request: { messages: Array<{ role: string; content: string }>; sample?: number }; response: { text: string } };
}

/** The cache's entries (`*.json`); temp files left by a killed writer are not entries. Throws on a file that does not parse. */
export function readCacheEntries(cacheDir: string): CacheFile[] {
  let files: string[];
  try {
    statSync(cacheDir);
    files = listFiles(cacheDir);
  } catch {
    return [];
  }
  return files
    .filter((f) => f.endsWith('.json'))
    .map((file) => {
      const text = readFileSync(file, 'utf8');
      try {
        return { file, entry: JSON.parse(text) as CacheFile['entry'] };
      } catch {
        throw new Error(`cache file ${file} does not parse: ${text.slice(0, 120)}`);
      }
    });
}

/** The case a cache entry answers (`qa/<variant>/<row>/<sample>`). */
export function cacheEntryCase(c: CacheFile): string {
  const variant = c.entry.model === 'gpt' ? 'a' : c.entry.model === 'local' ? 'b' : `?${c.entry.model}`;
  const text = c.entry.request.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
  const row = /Question (q\d+):/.exec(text)?.[1] ?? `?${text}`;
  return `qa/${variant}/${row}/${c.entry.request.sample ?? 0}`;
}
