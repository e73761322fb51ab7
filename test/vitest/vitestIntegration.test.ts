/**
 * `llm-eval/vitest` as a user meets it: a sample project whose test file imports the matchers and
 * describeEval from the installed package (linked to this checkout's build), run by Vitest in a
 * child process. The judge is served by the fake LLM server through the real OpenAI SDK.
 */
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import { repoRoot } from '../helpers/project.js';

const TEST_FILE = `
import { expect, it } from 'vitest';
import { describeEval, loadRows } from 'llm-eval/vitest';

const greet = (vars) => (vars.name === 'Bob' ? 'Hi Bob' : \`Hello, \${vars.name}!\`);

describeEval('greeter', {
  data: await loadRows('rows.jsonl'),
  task: greet,
  graders: [{ type: 'exact' }, { type: 'contains', value: '{{ name }}' }],
});

it('json output passes a schema', async () => {
  await expect('{"answer": "Paris"}').toPassGrader({ type: 'json-schema', schema: { type: 'object', required: ['answer'] } });
});

it('a wrong schema fails, and .not inverts it', async () => {
  await expect('{"a": 1}').not.toPassGrader({ type: 'json-schema', schema: { type: 'object', required: ['answer'] } });
});

it('an unknown grader option is reported, not ignored', async () => {
  await expect('x').toPassGrader({ type: 'exact', ignorecase: true });
});

it('the judge passes a correct answer', async () => {
  await expect('The capital of France is Paris.').toBeJudged({
    model: { provider: 'openai', model: 'gpt-4o-mini', baseURL: process.env.FAKE_OPENAI_URL },
    rubric: 'The answer names the capital of {{ country }} correctly.',
    vars: { country: 'France' },
  });
});
`;

interface VitestJson {
  testResults: Array<{ assertionResults: Array<{ fullName: string; status: string; failureMessages: string[] }> }>;
}

describe('llm-eval/vitest in a sample project', () => {
  let llm: FakeLlm;
  beforeAll(async () => {
    llm = await startFakeLlm();
  });
  afterAll(() => llm.close());

  it('turns rows into tests with grades in the failure message, and grades outputs with graders and a judge', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'llm-eval-vitest-'));
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'sample', type: 'module', private: true }));
    mkdirSync(path.join(dir, 'node_modules'));
    symlinkSync(repoRoot, path.join(dir, 'node_modules', 'llm-eval'), 'dir');
    symlinkSync(path.join(repoRoot, 'node_modules', 'vitest'), path.join(dir, 'node_modules', 'vitest'), 'dir');
    writeFileSync(path.join(dir, 'rows.jsonl'), ['{"id": "ada", "vars": {"name": "Ada"}, "expected": "Hello, Ada!"}', '{"id": "bob", "vars": {"name": "Bob"}, "expected": "Hello, Bob!"}'].join('\n') + '\n');
    writeFileSync(path.join(dir, 'greeter.test.js'), TEST_FILE);
    llm.reset();
    llm.enqueue({ type: 'answer', json: { reasoning: 'Paris is the capital of France.', score: 1 }, usage: { input: 200, output: 20 } });

    const out = path.join(dir, 'results.json');
    // Spawned, not spawnSync: the fake server answers the judge from this process's event loop.
    const child = spawn(process.execPath, [path.join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--reporter=json', `--outputFile=${out}`], {
      cwd: dir,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', CI: 'true', FAKE_OPENAI_URL: llm.openaiBaseURL, OPENAI_API_KEY: 'sk-test-vitest-1234567890' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (b: Buffer) => (log += b.toString()));
    child.stderr.on('data', (b: Buffer) => (log += b.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const r = { status: code, stdout: log, stderr: '' };
    const results = (JSON.parse(readFileSync(out, 'utf8')) as VitestJson).testResults.flatMap((f) => f.assertionResults);
    const status = Object.fromEntries(results.map((t) => [t.fullName, t.status]));
    expect(status, r.stdout + r.stderr).toEqual({
      'greeter ada': 'passed',
      'greeter bob': 'failed',
      'json output passes a schema': 'passed',
      'a wrong schema fails, and .not inverts it': 'passed',
      'an unknown grader option is reported, not ignored': 'failed',
      'the judge passes a correct answer': 'passed',
    });
    const bob = results.find((t) => t.fullName === 'greeter bob')!.failureMessages.join('\n');
    // "Hi Bob" ≠ "Hello, Bob!" (exact fails), but it contains "Bob" (contains passes).
    expect(bob).toContain('✗ exact');
    expect(bob).toContain('✓ contains');
    expect(bob).toContain('"Hi Bob"');
    const option = results.find((t) => t.fullName === 'an unknown grader option is reported, not ignored')!.failureMessages.join('\n');
    expect(option).toMatch(/invalid grader: .*ignorecase/);
    // The judge was asked once, through the fake server, with the rendered rubric.
    expect(llm.requests).toHaveLength(1);
    expect(llm.requests[0]!.rawBody).toContain('The answer names the capital of France correctly.');
    expect(r.status).toBe(1);
  });
});
