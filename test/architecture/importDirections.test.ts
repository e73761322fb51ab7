/**
 * "No module imports from a later pipeline stage" (docs/architecture.md, "Which way imports
 * run"), checked over every import in src/: the stages in pipeline order, the building blocks
 * every stage may use, and the exceptions the map documents. A new import that points forward
 * fails here with the file, the import and the rule.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '..', '..', 'src');

/** The pipeline, in order: a stage imports only from stages before it (and the blocks below). */
const PIPELINE = ['config', 'plan', 'execute', 'graders', 'runner', 'results', 'comparison', 'gate', 'reporters', 'cli'];
/** Building blocks before every stage: they import only each other (and config/limits.ts, the one place limits live). */
const BLOCKS = ['types', 'errors', 'util', 'prompts', 'datasets', 'providers', 'cost', 'stats'];
/** Tools over the whole pipeline; no stage or block imports them. */
const TOOLS = ['calibrate', 'testing', 'vitest', 'init', 'importers', 'index'];

/** Forward imports the map allows, with its reason. */
const DOCUMENTED: Record<string, string[]> = {
  // config checks grader options against the graders' schemas.
  config: ['graders'],
  // runner orchestrates: it stores, compares, gates and reports.
  runner: ['results', 'comparison', 'gate', 'reporters'],
};

/** Single files allowed to break the rule for now, each with why; keep this list short. */
const KNOWN: Record<string, string> = {
  // A run-scope grader reads the finished cases of its run: runPairwise(runDir, …) is public API.
  'graders/judge/pairwise/run.ts -> results/store.js': 'pairwise reads results.jsonl after the cases ran',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

/** The top-level folder (or root file without .ts) a path under src/ belongs to. */
function areaOf(file: string): string {
  return path.relative(SRC, file).split(path.sep)[0]!.replace(/\.(ts|js)$/, '');
}

/** The relative imports of a file, static and dynamic, type-only included. */
function importsOf(text: string): string[] {
  return [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm)].map((m) => m[1]!);
}

/** Why `from` may not import `to`, or undefined when it may. */
function violation(from: string, to: string, target: string): string | undefined {
  if (from === to) return undefined;
  if (TOOLS.includes(to) && !TOOLS.includes(from) && from !== 'cli') return `${to} is a tool over the pipeline: no stage imports it`;
  if (BLOCKS.includes(from)) {
    if (BLOCKS.includes(to)) return undefined;
    if (target === 'config/limits.ts') return undefined;
    return `${from} is a building block: it imports only ${BLOCKS.join(', ')} and config/limits.ts`;
  }
  const f = PIPELINE.indexOf(from);
  const t = PIPELINE.indexOf(to);
  if (f < 0 || t < 0 || t < f) return undefined;
  if (DOCUMENTED[from]?.includes(to)) return undefined;
  return `${to} is a later pipeline stage than ${from}`;
}

describe('import directions (docs/architecture.md)', () => {
  it('no module imports from a later pipeline stage, beyond the documented exceptions', () => {
    const found: string[] = [];
    const used = new Set<string>();
    for (const file of sourceFiles(SRC)) {
      const from = areaOf(file);
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        const resolved = path.resolve(path.dirname(file), spec);
        const target = path.relative(SRC, resolved).replace(/\.js$/, '.ts');
        const why = violation(from, areaOf(resolved), target);
        if (!why) continue;
        const key = `${path.relative(SRC, file)} -> ${path.relative(SRC, resolved)}`;
        if (KNOWN[key]) used.add(key);
        else found.push(`src/${key}: ${why}`);
      }
    }
    expect(found).toEqual([]);
    // An exception no longer needed is removed, so the list stays the truth.
    expect([...used].sort()).toEqual(Object.keys(KNOWN).sort());
  });

  it('catches a forward import: the rule itself is not vacuous', () => {
    expect(violation('results', 'gate', 'gate/decide.ts')).toBe('gate is a later pipeline stage than results');
    expect(violation('config', 'results', 'results/store.ts')).toBe('results is a later pipeline stage than config');
    expect(violation('prompts', 'runner', 'runner/runEval.ts')).toMatch(/building block/);
    expect(violation('gate', 'testing', 'testing/harness.ts')).toMatch(/tool over the pipeline/);
    expect(violation('prompts', 'config', 'config/limits.ts')).toBeUndefined();
    expect(violation('runner', 'gate', 'gate/decide.ts')).toBeUndefined();
    expect(importsOf("import a from '../x.js';\nimport type { B } from '../y.js';\nconst c = await import('../z.js');\nimport '../side.js';")).toEqual(['../x.js', '../y.js', '../z.js', '../side.js']);
  });
});
