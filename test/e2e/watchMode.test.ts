/**
 * `llm-eval run --watch`, end to end through the built CLI against the fake LLM server, in a temp
 * project with two suites (alpha, beta) on one cached OpenAI model. The fake server answers with
 * the prompt it was sent, and each suite's grader passes an answer containing "PASS", so which
 * case passes follows from the rendered prompt alone:
 *   alpha rows: r1 "PASS one" (passes), r2 "fail two" (fails), r3 "PASS three" (passes).
 * Editing alpha's prompt to replace "fail" by "PASS" and "PASS one" by "nope one" renders
 *   r1 "A: nope one" → newly failing, r2 "A: PASS two" → newly passing, r3 unchanged → cache hit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { lastUserText, startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import { runCliAsync, spawnCli, waitUntil, type CliProcess } from '../helpers/spawnCli.js';
import { KEY_ENV, readResultLines } from '../helpers/fakeLlmProject.js';
import { copyExample, editFile } from '../helpers/project.js';

function configText(baseURL: string, betaModel = 'gpt'): string {
  return [
    'models:',
    `  gpt: { provider: openai, model: gpt-4o-mini, baseURL: "${baseURL}" }`,
    'suites:',
    '  alpha:',
    '    dataset: datasets/alpha.jsonl',
    '    variants:',
    '      v1: { prompt: alpha, model: gpt }',
    '    graders:',
    '      - { type: contains, value: PASS }',
    '  beta:',
    '    dataset: datasets/beta.jsonl',
    '    variants:',
    `      v1: { prompt: beta, model: ${betaModel} }`,
    '    graders:',
    '      - { type: contains, value: PASS }',
    'defaults: { concurrency: 2, retries: 0, timeoutMs: 30000, cache: on }',
    '',
  ].join('\n');
}

function writeProject(baseURL: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'llm-eval-watch-'));
  for (const p of ['prompts/alpha', 'prompts/beta', 'datasets']) mkdirSync(path.join(dir, p), { recursive: true });
  writeFileSync(path.join(dir, 'prompts/alpha/v1.txt'), 'A: {{ question }}\n');
  writeFileSync(path.join(dir, 'prompts/beta/v1.txt'), 'B: {{ question }}\n');
  const rows = (list: Array<[string, string]>): string => list.map(([id, question]) => JSON.stringify({ id, vars: { question } })).join('\n') + '\n';
  writeFileSync(path.join(dir, 'datasets/alpha.jsonl'), rows([['r1', 'PASS one'], ['r2', 'fail two'], ['r3', 'PASS three']]));
  writeFileSync(path.join(dir, 'datasets/beta.jsonl'), rows([['b1', 'PASS b']]));
  writeFileSync(path.join(dir, 'llm-eval.yaml'), configText(baseURL));
  return dir;
}

/** waitUntil, with what the CLI printed so far in the failure message. */
async function waitFor(cli: CliProcess, check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  try {
    await waitUntil(check, what, timeoutMs, 50);
  } catch (err) {
    throw new Error(`${String(err)}\n--- stdout\n${cli.stdout()}\n--- stderr\n${cli.stderr()}`, { cause: err });
  }
}

const summaries = (cli: CliProcess): number => cli.stdout().split('Reports: ').length - 1;

/** The run folders, oldest first (run ids sort by time). */
function runDirs(dir: string): string[] {
  return readdirSync(path.join(dir, 'reports'), { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== 'latest')
    .map((e) => path.join(dir, 'reports', e.name))
    .sort();
}

describe('run --watch', () => {
  let llm: FakeLlm;
  beforeAll(async () => {
    llm = await startFakeLlm();
  });
  afterAll(() => llm.close());

  it('re-runs only the edited suite, from the cache where calls are unchanged, names newly failing/passing cases, survives a broken config, ends on SIGINT', { timeout: 120_000 }, async () => {
    const dir = writeProject(llm.openaiBaseURL);
    llm.reset();
    const cli = spawnCli(['run', '--watch', '--format', 'json'], dir, KEY_ENV);
    try {
      await waitFor(cli, () => summaries(cli) === 1 && cli.stderr().includes('watching'), 'the first summary');
      expect(cli.stdout()).toMatch(/alpha/);
      expect(cli.stdout()).toMatch(/beta/);
      // All four cases were asked once.
      expect(llm.requests.map(lastUserText).sort()).toEqual(['A: PASS one', 'A: PASS three', 'A: fail two', 'B: PASS b']);

      // Edit alpha's prompt: r1 flips to failing, r2 to passing, r3's request is unchanged.
      llm.reset();
      writeFileSync(path.join(dir, 'prompts/alpha/v1.txt'), 'A: {{ question | replace: "fail", "PASS" | replace: "PASS one", "nope one" }}\n');
      await waitFor(cli, () => summaries(cli) === 2, 'the second summary');
      await waitFor(cli, () => /since the last run of alpha/.test(cli.stdout()), 'the changes lines');
      const second = cli.stdout().slice(cli.stdout().indexOf('watch: re-running'));
      expect(second).toMatch(/watch: re-running alpha \(prompt alpha@v1 changed\)/);
      expect(second).not.toMatch(/beta/);
      expect(second).toMatch(/since the last run of alpha: 1 newly failing: v1\/r1/);
      expect(second).toMatch(/since the last run of alpha: 1 newly passing: v1\/r2/);
      // Only the two changed calls reached the server; r3 and all of beta did not.
      expect(llm.requests.map(lastUserText).sort()).toEqual(['A: PASS two', 'A: nope one']);
      const runs = runDirs(dir);
      expect(runs).toHaveLength(2);
      const lines = readResultLines(path.join(runs[1]!, 'results.jsonl'));
      expect(lines.map((l) => `${l.suite}/${l.caseId}:${String(l['cached'])}:${String(l['pass'])}`).sort()).toEqual(['alpha/r1:false:false', 'alpha/r2:false:true', 'alpha/r3:true:true']);

      // A broken config: the error names the file and line, nothing runs, watching goes on.
      const configFile = path.join(dir, 'llm-eval.yaml');
      const badLine = configText('x').split('\n').findIndex((l) => l.includes('prompt: beta')) + 1;
      writeFileSync(configFile, configText(llm.openaiBaseURL, 'gtp'));
      await waitFor(cli, () => cli.stderr().includes(`llm-eval.yaml:${badLine}`), 'the config error');
      expect(cli.stderr()).not.toMatch(/crashed|\n\s+at /);
      expect(cli.hasExited()).toBe(false);
      expect(summaries(cli)).toBe(2);

      // Fixed, and beta's dataset edited: beta alone runs again.
      llm.reset();
      writeFileSync(configFile, configText(llm.openaiBaseURL));
      writeFileSync(path.join(dir, 'datasets/beta.jsonl'), JSON.stringify({ id: 'b1', vars: { question: 'PASS b, again' } }) + '\n');
      await waitFor(cli, () => summaries(cli) === 3, 'the third summary');
      expect(cli.stdout().slice(cli.stdout().lastIndexOf('watch: re-running'))).toMatch(/watch: re-running beta \(datasets\/beta\.jsonl changed\)/);
      expect(llm.requests.map(lastUserText)).toEqual(['B: PASS b, again']);

      // Ctrl-C ends watching; alpha's last run failed (r1), so the exit code is the gate's 1.
      await waitFor(cli, () => cli.stderr().split('watch: watching').length - 1 >= 4, 'watching again');
      cli.child.kill('SIGINT');
      const exit = await cli.exited;
      expect(exit.stderr).toMatch(/SIGINT: stopping watch mode/);
      expect(exit.stderr).not.toMatch(/crashed/);
      expect(exit.code, exit.stderr).toBe(1);
    } finally {
      if (!cli.hasExited()) cli.child.kill('SIGKILL');
    }
  });

  it('ends with exit 0 on SIGINT when the last runs passed', { timeout: 60_000 }, async () => {
    const dir = writeProject(llm.openaiBaseURL);
    const cli = spawnCli(['run', '--watch', '--suite', 'beta', '--format', 'json'], dir, KEY_ENV);
    try {
      await waitFor(cli, () => summaries(cli) === 1 && cli.stderr().includes('watching'), 'the first summary');
      expect(readFileSync(path.join(runDirs(dir)[0]!, 'results.jsonl'), 'utf8')).not.toMatch(/"suite":"alpha"/);
      cli.child.kill('SIGINT');
      const exit = await cli.exited;
      expect(exit.code, exit.stderr).toBe(0);
    } finally {
      if (!cli.hasExited()) cli.child.kill('SIGKILL');
    }
  });

  it('a broken dataset line is reported with FILE:LINE and nothing runs; once fixed the suite runs again; exit 2 while broken', { timeout: 120_000 }, async () => {
    const dir = writeProject(llm.openaiBaseURL);
    const dataset = path.join(dir, 'datasets/beta.jsonl');
    const cli = spawnCli(['run', '--watch', '--suite', 'beta', '--format', 'json'], dir, KEY_ENV);
    try {
      await waitFor(cli, () => summaries(cli) === 1 && cli.stderr().includes('watching'), 'the first summary');
      // Line 2 is not JSON.
      writeFileSync(dataset, JSON.stringify({ id: 'b1', vars: { question: 'PASS b' } }) + '\n{ "id": "b2", \n');
      await waitFor(cli, () => cli.stderr().includes('datasets/beta.jsonl:2'), 'the dataset error');
      expect(cli.stderr()).not.toMatch(/crashed|\n\s+at /);
      expect(summaries(cli)).toBe(1);
      writeFileSync(dataset, [{ id: 'b1', vars: { question: 'PASS b' } }, { id: 'b2', vars: { question: 'PASS c' } }].map((r) => JSON.stringify(r)).join('\n') + '\n');
      await waitFor(cli, () => summaries(cli) === 2 && /since the last run of beta: 1 new: v1\/b2/.test(cli.stdout()), 'the run after the fix');
      // Broken again, then Ctrl-C: the suite's last attempt was bad input.
      writeFileSync(dataset, '{ oops\n');
      await waitFor(cli, () => cli.stderr().includes('datasets/beta.jsonl:1'), 'the second dataset error');
      cli.child.kill('SIGINT');
      const exit = await cli.exited;
      expect(exit.code, exit.stderr).toBe(2);
    } finally {
      if (!cli.hasExited()) cli.child.kill('SIGKILL');
    }
  });

  it('an edited script model takes effect (an ESM project): its suite re-runs with the new code', { timeout: 120_000 }, async () => {
    const dir = copyExample();
    // An ESM project: Node imports the module itself (and caches it by URL), not jiti.
    writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
    const cli = spawnCli(['run', '--watch', '--suite', 'ticket-routing,smoke', '--format', 'json'], dir);
    try {
      await waitFor(cli, () => summaries(cli) === 1 && cli.stderr().includes('watching'), 'the first summary');
      // The classifier now answers "other" to every ticket: tickets labelled otherwise now fail.
      editFile(path.join(dir, 'providers/rule-classifier.js'), (t) => t.replace("return { output: best.label", "return { output: 'other'"));
      await waitFor(cli, () => summaries(cli) === 2 && /since the last run/.test(cli.stdout()), 'the second summary');
      const second = cli.stdout().slice(cli.stdout().indexOf('watch: re-running'));
      expect(second).toMatch(/watch: re-running ticket-routing \(providers\/rule-classifier\.js changed\)/);
      expect(second).not.toMatch(/smoke/);
      expect(second).toMatch(/since the last run of ticket-routing: \d+ newly failing: v1\/t\d+/);
      cli.child.kill('SIGINT');
      const exit = await cli.exited;
      expect(exit.code, exit.stderr).toBe(1);
    } finally {
      if (!cli.hasExited()) cli.child.kill('SIGKILL');
    }
  });

  it.each([['--resume', 'latest'], ['--shard', '1/2'], ['--json'], ['--dry-run']])('--watch with %s is a usage error (exit 2)', async (...flag) => {
    const dir = writeProject(llm.openaiBaseURL);
    const exit = await runCliAsync(['run', '--watch', ...flag], dir, KEY_ENV);
    expect(exit.code, exit.stderr).toBe(2);
    expect(exit.stderr).toMatch(new RegExp(`--watch cannot be combined with ${flag[0]}`));
  });
});
