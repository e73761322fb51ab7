import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cliBin, copyExample, editFile, path, repoRoot, runCli } from '../helpers/project.js';

const EXAMPLE = path.join(repoRoot, 'examples', 'github-actions');
const WORKFLOW = path.join(EXAMPLE, 'llm-eval.yml');
const POST_COMMENT = path.join(EXAMPLE, 'post-comment.sh');

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { steps: Step[] }>;
}

const workflow = (): Workflow => parse(readFileSync(WORKFLOW, 'utf8')) as Workflow;
const steps = (): Step[] => workflow().jobs['eval']!.steps;
const stepNamed = (text: string): Step => steps().find((s) => (s.name ?? '').includes(text))!;

/** A step's shell script as the runner would get it, with the `${{ }}` expressions it uses filled in. */
function script(step: Step, expressions: Record<string, string>): string {
  return step.run!.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
    if (!(expr in expressions)) throw new Error(`the test does not know \${{ ${expr} }}`);
    return expressions[expr]!;
  });
}

function bash(text: string, cwd: string, env: Record<string, string>): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync('bash', ['-eo', 'pipefail', '-c', text], { cwd, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function git(args: string[], cwd: string): void {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
}

describe('examples/github-actions/llm-eval.yml', () => {
  it('runs on pull requests with a cache restore, a baseline from the target branch, report.html uploaded and the comment posted', () => {
    const wf = workflow();
    expect(Object.keys(wf.on)).toEqual(['pull_request']);
    expect(wf.permissions['pull-requests']).toBe('write');
    const uses = steps().map((s) => s.uses?.split('@')[0]).filter(Boolean);
    expect(uses).toEqual(['actions/checkout', 'actions/setup-node', 'actions/cache', 'actions/upload-artifact']);
    expect(stepNamed('cache').with!['path']).toBe('.llm-eval/cache');
    expect(stepNamed('Baseline').run).toContain('git show "origin/${{ github.base_ref }}:reports/baseline.json"');
    expect(String(stepNamed('Upload').with!['path'])).toContain('reports/latest/report.html');
    // The upload and the comment happen when the gate fails too: that is when they matter most.
    expect(stepNamed('Upload').if).toContain('!cancelled()');
    const comment = stepNamed('Comment');
    expect(comment.if).toContain('!cancelled()');
    expect(comment.env!['GH_TOKEN']).toBe('${{ github.token }}');
    expect(comment.run).toContain('post-comment.sh reports/latest/summary.md');
  });

  it("its baseline and evaluate steps, run as written on a regressed quickstart, fail the job and write the pull request comment", { timeout: 120_000 }, () => {
    const dir = copyExample();
    expect(runCli(['run', '--format', 'json'], dir).code).toBe(0);
    expect(runCli(['baseline', 'save'], dir).code).toBe(0);
    // The target branch `main`, with its committed baseline, is the project's `origin`.
    git(['init', '-q', '-b', 'main'], dir);
    git(['add', '-f', 'llm-eval.yaml', 'prompts', 'datasets', 'providers', 'schemas', 'reports/baseline.json'], dir);
    git(['commit', '-q', '-m', 'baseline'], dir);
    git(['remote', 'add', 'origin', `file://${dir}`], dir);
    // The pull request: v2 loses its billing and technical keywords (as in baselineGate.test.ts).
    editFile(path.join(dir, 'prompts', 'classify-ticket', 'v2.md'), (t) => t.replace(/- billing: .*\n/, '- billing: invoice\n').replace(/- technical: .*\n/, '- technical: crash\n'));

    // `npx llm-eval` resolves to the built CLI, as it does in a project that installed llm-eval.
    const bin = mkdtempSync(path.join(tmpdir(), 'llm-eval-gha-bin-'));
    writeFileSync(path.join(bin, 'npx'), `#!/usr/bin/env bash\n[ "$1" = llm-eval ] || exit 127\nshift\nexec "${process.execPath}" "${cliBin}" "$@"\n`);
    chmodSync(path.join(bin, 'npx'), 0o755);
    const runnerTemp = mkdtempSync(path.join(tmpdir(), 'llm-eval-gha-temp-'));
    const env = { PATH: `${bin}:${process.env['PATH'] ?? ''}`, RUNNER_TEMP: runnerTemp, CI: 'true', NO_COLOR: '1', GITHUB_ACTIONS: 'true' };

    const baseline = bash(script(stepNamed('Baseline'), { 'github.base_ref': 'main' }), dir, env);
    expect(baseline.code, baseline.stderr).toBe(0);
    expect(JSON.parse(readFileSync(path.join(runnerTemp, 'baseline.json'), 'utf8')).suites['ticket-routing']).toBeDefined();

    const evaluate = stepNamed('Evaluate');
    const reportUrl = 'https://reports.example.test/pr-7/report.html';
    const r = bash(script(evaluate, {}), dir, { ...env, LLM_EVAL_REPORT_URL: reportUrl });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^::error title=llm-eval gate failed%3A ticket-routing \/ v2 \(regression\)::/m);

    const md = readFileSync(path.join(dir, 'reports', 'latest', 'summary.md'), 'utf8');
    const lines = md.split('\n');
    expect(lines[0]).toMatch(/^### ❌ llm-eval FAILED: /);
    const report = JSON.parse(readFileSync(path.join(dir, 'reports', 'latest', 'report.json'), 'utf8')) as { comparison: { changes: Array<{ change: string; suite: string; caseId: string }> } };
    const failing = report.comparison.changes.filter((c) => c.change === 'newly-failing');
    expect(failing.length).toBeGreaterThan(5);
    expect(md).toContain(`#### Regressions: ${failing.length} newly failing cases`);
    expect(md).toContain(`[\`${failing[0]!.caseId}\`](${reportUrl}#case=ticket-routing/${failing[0]!.caseId})`);
    expect(md).toMatch(/^#### Cost vs baseline: \$\d+\.\d+ → \$\d+\.\d+ \([+−±]\d+\.\d%\)$/m);
    expect(md).toMatch(/^\| ticket-routing \| v2 \| \$\d+\.\d+ → \$\d+\.\d+ \| [+−]\d+\.\d% \|$/m);
    expect(lines.filter((l) => l).at(-1)).toBe('<!-- llm-eval-report -->');
  });
});

/** A stand-in for the GitHub CLI: answers the comment listing from a file (through the real jq) and logs writes. */
function fakeGh(comments: unknown[]): { bin: string; log: string } {
  const bin = mkdtempSync(path.join(tmpdir(), 'llm-eval-fake-gh-'));
  const log = path.join(bin, 'calls.log');
  writeFileSync(path.join(bin, 'comments.json'), JSON.stringify(comments));
  writeFileSync(
    path.join(bin, 'gh'),
    `#!/usr/bin/env bash
set -e
[ "$1" = api ] || { echo "fake gh: only api" >&2; exit 1; }
shift
method=GET; jq_filter=; endpoint=; body=
while [ $# -gt 0 ]; do
  case "$1" in
    --method) method=$2; shift 2 ;;
    --paginate) shift ;;
    --jq) jq_filter=$2; shift 2 ;;
    -F) case "$2" in body=@*) body=$(cat "\${2#body=@}") ;; *) echo "fake gh: field $2" >&2; exit 1 ;; esac; shift 2 ;;
    *) endpoint=$1; shift ;;
  esac
done
if [ "$method" = GET ]; then jq -r "$jq_filter" "${bin}/comments.json"; exit 0; fi
printf '%s %s\\n%s\\n--end--\\n' "$method" "$endpoint" "$body" >> "${log}"
echo '{}'
`,
  );
  chmodSync(path.join(bin, 'gh'), 0o755);
  return { bin, log };
}

describe('examples/github-actions/post-comment.sh', () => {
  const summary = (dir: string): string => {
    const file = path.join(dir, 'summary.md');
    writeFileSync(file, '### ✅ llm-eval PASSED: all gates passed\n\n<!-- llm-eval-report -->\n');
    return file;
  };
  const env = (bin: string) => ({ PATH: `${bin}:${process.env['PATH'] ?? ''}`, GITHUB_REPOSITORY: 'acme/app', PR_NUMBER: '7', GH_TOKEN: 'x' });

  it('posts a new comment when the pull request has none of its own', () => {
    const gh = fakeGh([{ id: 5, user: { type: 'User' }, body: 'LGTM, and I quote: <!-- llm-eval-report -->' }]);
    const r = bash(`bash "${POST_COMMENT}" "${summary(gh.bin)}" https://github.com/acme/app/actions/runs/1/artifacts/2`, gh.bin, env(gh.bin));
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(gh.log, 'utf8')).toBe(
      'POST repos/acme/app/issues/7/comments\n### ✅ llm-eval PASSED: all gates passed\n\n<!-- llm-eval-report -->\n\n[Download report.html](https://github.com/acme/app/actions/runs/1/artifacts/2)\n--end--\n',
    );
  });

  it('edits the newest comment it posted before, found by the marker', () => {
    const gh = fakeGh([
      { id: 11, user: { type: 'Bot' }, body: '### ❌ old run\n<!-- llm-eval-report -->' },
      { id: 12, user: { type: 'Bot' }, body: 'coverage report' },
      { id: 13, user: { type: 'Bot' }, body: '### ❌ newer run\n<!-- llm-eval-report -->' },
    ]);
    const r = bash(`bash "${POST_COMMENT}" "${summary(gh.bin)}"`, gh.bin, env(gh.bin));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('updated comment 13 on #7\n');
    expect(readFileSync(gh.log, 'utf8')).toBe('PATCH repos/acme/app/issues/comments/13\n### ✅ llm-eval PASSED: all gates passed\n\n<!-- llm-eval-report -->\n--end--\n');
  });

  it('refuses a file that is not llm-eval summary.md, naming it', () => {
    const gh = fakeGh([]);
    const other = path.join(gh.bin, 'other.md');
    mkdirSync(path.dirname(other), { recursive: true });
    writeFileSync(other, '# notes\n');
    const r = bash(`bash "${POST_COMMENT}" "${other}"`, gh.bin, env(gh.bin));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${other} has no '<!-- llm-eval-report -->' line`);
  });
});
