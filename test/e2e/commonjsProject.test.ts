/**
 * First contact, as a new user: a fresh `npm init -y` project (CommonJS: npm writes
 * "type": "commonjs"), the packed package installed into it, then `npx llm-eval init` and
 * `npx llm-eval run`. The scaffolded script models are .js files with `export default`; they
 * must load, and the run must pass (exit 0). Needs `npm run build` first (the pack ships dist/).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/project.js';
import { cliEnv } from '../helpers/spawnCli.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

/** `npm install` of the tarball, offline; where the npm cache cannot supply the dependencies, the same install laid out by hand (dependencies from this checkout). */
function installTarball(project: string, tarball: string): void {
  const offline = spawnSync(npm, ['install', '--save-dev', tarball, '--offline', '--no-audit', '--no-fund'], { cwd: project, encoding: 'utf8', timeout: 60_000 });
  if (offline.status === 0) return;
  const pkgDir = path.join(project, 'node_modules', 'llm-eval');
  mkdirSync(pkgDir, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', pkgDir, '--strip-components=1']);
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(pkgDir, 'node_modules'), 'dir');
  mkdirSync(path.join(project, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(path.join('..', 'llm-eval', 'bin', 'llm-eval.js'), path.join(project, 'node_modules', '.bin', 'llm-eval'));
  const pkg = JSON.parse(readFileSync(path.join(project, 'package.json'), 'utf8')) as Record<string, unknown>;
  pkg['devDependencies'] = { 'llm-eval': `file:${path.basename(tarball)}` };
  writeFileSync(path.join(project, 'package.json'), JSON.stringify(pkg, null, 2));
}

describe('a fresh CommonJS project (npm init -y)', () => {
  it('installs the packed package, and `llm-eval init` then `llm-eval run` pass with exit 0', () => {
    const project = mkdtempSync(path.join(tmpdir(), 'llm-eval-cjs-'));
    // --ignore-scripts: `prepare` would rebuild; the tests run on the build already made.
    execFileSync(npm, ['pack', '--ignore-scripts', '--pack-destination', project], { cwd: repoRoot, stdio: 'ignore', timeout: 60_000 });
    const tarball = path.join(project, readdirSync(project).find((f) => f.endsWith('.tgz'))!);
    execFileSync(npm, ['init', '-y'], { cwd: project, stdio: 'ignore' });
    const pkg = JSON.parse(readFileSync(path.join(project, 'package.json'), 'utf8')) as { type?: string };
    expect(pkg.type ?? 'commonjs').toBe('commonjs');
    installTarball(project, tarball);

    const env = { ...cliEnv(), npm_config_offline: 'true' };
    const init = spawnSync(npx, ['--no', 'llm-eval', 'init'], { cwd: project, encoding: 'utf8', env, timeout: 60_000 });
    expect(init.status, init.stderr).toBe(0);
    expect(existsSync(path.join(project, 'llm-eval.yaml'))).toBe(true);

    const run = spawnSync(npx, ['--no', 'llm-eval', 'run'], { cwd: project, encoding: 'utf8', env, timeout: 60_000 });
    expect(run.stderr).not.toMatch(/Unexpected token 'export'/);
    expect(run.stdout).toMatch(/✔ PASSED/);
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
  }, 120_000);
});
