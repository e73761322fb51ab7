/**
 * Loading a user's module is Node's job, not Vitest's: Vitest's own loader accepts any module
 * syntax anywhere, so these tests load through the built package (dist/) in a real Node process,
 * as the CLI does. Run `npm run build` first.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/project.js';

/** A folder with its own package.json, as a user's project would have. */
function project(type: 'commonjs' | 'module' | undefined, files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'llm-eval-import-'));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'user-project', version: '1.0.0', ...(type ? { type } : {}) }));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** Loads `file` with the built importUserModule in a fresh Node process and calls the function with `arg`. */
function loadAndCall(file: string, arg: string, exportName = 'default'): { ok: true; value: unknown } | { ok: false; error: string } {
  const mod = pathToFileURL(path.join(repoRoot, 'dist', 'util', 'importModule.js')).href;
  const script = `
    const { importUserModule } = await import(${JSON.stringify(mod)});
    try {
      const fn = await importUserModule(${JSON.stringify(file)}, 'test', ${JSON.stringify(exportName)});
      process.stdout.write(JSON.stringify({ ok: true, value: await fn(${JSON.stringify(arg)}) }));
    } catch (err) {
      process.stdout.write(JSON.stringify({ ok: false, error: err.message }));
    }`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: path.dirname(file), encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`node exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as { ok: true; value: unknown } | { ok: false; error: string };
}

const ESM = 'export default function shout(x) { return x.toUpperCase(); }\n';
const CJS = 'module.exports = function shout(x) { return x.toUpperCase(); };\n';

describe('user modules load in CommonJS and ESM projects alike', () => {
  it('loads a .js with `export default` in a CommonJS project (`npm init -y` writes "type": "commonjs")', () => {
    const dir = project('commonjs', { 'providers/p.js': ESM });
    expect(loadAndCall(path.join(dir, 'providers/p.js'), 'ok')).toEqual({ ok: true, value: 'OK' });
  });

  it('loads a .js with `export default` in a project whose package.json has no "type"', () => {
    const dir = project(undefined, { 'p.js': ESM });
    expect(loadAndCall(path.join(dir, 'p.js'), 'ok')).toEqual({ ok: true, value: 'OK' });
  });

  it('loads a .js with `module.exports =` in a CommonJS project', () => {
    const dir = project('commonjs', { 'p.js': CJS });
    expect(loadAndCall(path.join(dir, 'p.js'), 'ok')).toEqual({ ok: true, value: 'OK' });
  });

  it('says how to fix a .js with `module.exports =` in an ESM project (Node refuses it)', () => {
    const dir = project('module', { 'p.js': CJS });
    const r = loadAndCall(path.join(dir, 'p.js'), 'ok');
    expect(r.ok ? '' : r.error).toMatch(/p\.js: .*rename it to \.cjs/);
  });

  it('loads .mjs and .cjs in either kind of project', () => {
    for (const type of ['commonjs', 'module'] as const) {
      const dir = project(type, { 'p.mjs': ESM, 'p.cjs': CJS });
      expect(loadAndCall(path.join(dir, 'p.mjs'), 'a')).toEqual({ ok: true, value: 'A' });
      expect(loadAndCall(path.join(dir, 'p.cjs'), 'b')).toEqual({ ok: true, value: 'B' });
    }
  });

  it('loads a .ts module in a CommonJS project', () => {
    const dir = project('commonjs', { 'p.ts': 'export default (x: string): string => x.toUpperCase();\n' });
    expect(loadAndCall(path.join(dir, 'p.ts'), 'ts')).toEqual({ ok: true, value: 'TS' });
  });

  it('finds a named export of a .cjs using `exports.name`', () => {
    const dir = project('module', { 'g.cjs': 'exports.check = (x) => x === "y";\nexports.other = 1;\n' });
    expect(loadAndCall(path.join(dir, 'g.cjs'), 'y', 'check')).toEqual({ ok: true, value: true });
  });

  it('still reports a real syntax error, naming the file', () => {
    const dir = project('commonjs', { 'bad.js': 'export default function (x) { return x +; }\n' });
    const r = loadAndCall(path.join(dir, 'bad.js'), 'x');
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.error).toContain('bad.js');
  });
});
