import path from 'node:path';
import Table from 'cli-table3';
import { InvalidArgumentError, type Command } from 'commander';
import type { GateFailure, ResolvedConfig } from '../../types.js';
import { LlmEvalError, UsageError } from '../../errors.js';
import type { Comparison, VariantComparison } from '../../comparison/compare.js';
import { points, signedPoints } from '../../stats/power.js';
import { escapeControlChars } from '../../util/controlChars.js';

/** Where runs live and, when there is a usable config, its suites' gate settings. */
export interface ProjectContext {
  outDir: string;
  config: ResolvedConfig | null;
  warnings: string[];
}

/**
 * An explicit --config must load. A config found by walking up is used when it loads; when it
 * does not, the command still works on stored runs (with default gate settings) and says so —
 * comparing yesterday's runs must not depend on today's config being valid.
 */
export async function projectContext(configFile: string | undefined): Promise<ProjectContext> {
  // Loaded when a command runs, so `--help` and `--version` stay fast.
  const { findConfigFile, loadConfig } = await import('../../config/load.js');
  if (configFile) {
    const config = await loadConfig({ configFile });
    return { outDir: config.outDir, config, warnings: [] };
  }
  const found = findConfigFile(process.cwd());
  if (!found) return { outDir: path.resolve('reports'), config: null, warnings: [] };
  try {
    const config = await loadConfig({ configFile: found });
    return { outDir: config.outDir, config, warnings: [] };
  } catch (err) {
    if (!(err instanceof LlmEvalError)) throw err;
    const first = err.message.split('\n')[0];
    return {
      outDir: path.join(path.dirname(found), 'reports'),
      config: null,
      warnings: [`${path.basename(found)} does not load (${first}); using default gate settings (alpha 0.05, margin 0)`],
    };
  }
}

/**
 * A margin as typed, returned as a fraction (0..1): `5`, `5%`, `5pts` are 5 points; `0` is none.
 * A bare number between 0 and 1 is refused: `0.5` could mean half a point or 50 points (a
 * fraction), and a misread margin silently changes the verdict.
 */
export function parseMargin(flag: string) {
  return (value: string): number => {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(%|pts?|points?)?\s*$/i.exec(value);
    if (!m) throw new InvalidArgumentError(`${flag} takes a margin in points such as 5, 5pts or 5%, not "${value}".`);
    const x = Number(m[1]);
    if (!m[2] && x > 0 && x < 1) {
      throw new InvalidArgumentError(
        `${flag} ${value} is ambiguous: write ${x}pts for ${x} of a point, or ${points(x)}pts (or ${points(x)}%) if you meant the fraction ${x} of the pass rate.`,
      );
    }
    if (x > 100) throw new InvalidArgumentError(`${flag}: a margin above 100 points makes no sense ("${value}").`);
    return x / 100;
  };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const fmtP = (p: number | null): string => (p === null ? '–' : p < 0.0001 ? p.toExponential(1) : p < 0.01 ? p.toFixed(4) : p.toFixed(3));
const fmtX = (x: number | null): string => (x === null ? '–' : `${x >= 10 ? x.toFixed(0) : x.toFixed(2)}×`);
const where = (v: VariantComparison): string => (v.beforeVariant === v.variant ? `${v.suite}/${v.variant}` : `${v.suite}/${v.beforeVariant} → ${v.variant}`);

/** The comparison as a table and sentences, for a terminal or a CI log. */
export function formatComparison(c: Comparison, failures: GateFailure[], opts: { maxCases?: number; verdict?: boolean; warnings?: boolean; colour?: boolean } = {}): string {
  const maxCases = opts.maxCases ?? 10;
  const lines: string[] = [c.after === c.before ? `Comparing variants within ${c.after}` : `Comparing ${c.after} against ${c.before}`];
  const table = new Table({
    head: ['suite/variant', 'cases', 'before (95% CI)', 'after (95% CI)', 'change, pts (95% CI)', 'p (BH)', 'MDE', 'cost', 'p50 speed'],
    // cli-table3 paints the header red and the border grey unless told not to: only on a colour terminal.
    ...(opts.colour ? {} : { style: { head: [], border: [] } }),
  });
  for (const v of c.variants) {
    table.push([
      escapeControlChars(where(v)),
      `${v.pairedCases}${v.addedCases || v.removedCases ? ` (+${v.addedCases} −${v.removedCases})` : ''}`,
      `${pct(v.passRateBefore)} (${pct(v.before.ci95[0])}–${pct(v.before.ci95[1])})`,
      `${pct(v.passRateAfter)} (${pct(v.after.ci95[0])}–${pct(v.after.ci95[1])})`,
      `${signedPoints(v.diff)} (${signedPoints(v.diffCI95[0])} to ${signedPoints(v.diffCI95[1])})${v.significant ? ' *' : ''}`,
      `${fmtP(v.pValue)} (${fmtP(v.pAdjusted)})`,
      v.power.mde === null ? 'n/a' : `${points(v.power.mde)} pts`,
      fmtX(v.cost.ratio),
      fmtX(v.latency.speedup),
    ]);
  }
  // Untrusted text (names, case ids, notes) is escaped line by line; the table's own colour codes are not.
  const tableLine = lines.push(table.toString()) - 1;
  const text = (): string => lines.map((l, i) => (i === tableLine ? l : escapeControlChars(l))).join('\n') + '\n';
  lines.push(
    '* significant after Benjamini–Hochberg across the pairs above. Intervals: Tango score interval with cases as the unit (clustered by case with repeats), reaching 0 whenever the test finds no change; ' +
      'p: exact McNemar (one sample per case) or exact within-case permutation test (repeats). MDE: smallest drop detectable at 80% power after BH (Connor). See docs/statistics.md.',
  );

  for (const v of c.variants) {
    if (v.nonInferiority) lines.push(`${v.nonInferiority.nonInferior ? '✓' : '✗'} ${v.nonInferiority.sentence}.`);
  }
  for (const v of c.variants) {
    const failing = c.changes.filter((x) => x.change === 'newly-failing' && x.suite === v.suite && x.variant === v.variant);
    const passing = c.changes.filter((x) => x.change === 'newly-passing' && x.suite === v.suite && x.variant === v.variant);
    const show = (list: typeof failing) =>
      list.slice(0, maxCases).map((x) => `${x.caseId} (${x.before!.passes}/${x.before!.n} → ${x.after!.passes}/${x.after!.n})`).join(', ') + (list.length > maxCases ? `, … ${list.length - maxCases} more` : '');
    if (failing.length) lines.push(`${where(v)}: ${failing.length} newly failing: ${show(failing)}`);
    if (passing.length) lines.push(`${where(v)}: ${passing.length} newly passing: ${show(passing)}`);
    if (v.addedCases || v.removedCases) lines.push(`${where(v)}: ${v.addedCases} new case(s) and ${v.removedCases} removed case(s), not in the paired analysis`);
  }
  for (const n of c.notes) lines.push(`note: ${n}`);
  if (opts.warnings !== false) for (const w of c.warnings) lines.push(`warning: ${w}`);
  if (opts.verdict === false) return text();
  if (failures.length === 0) lines.push('Verdict: passed (no significant regression beyond the margin).');
  else {
    lines.push(`Verdict: failed (${failures.length} rule${failures.length > 1 ? 's' : ''} fired)`);
    for (const f of failures) lines.push(`  ✗ [${f.rule}] ${f.message}`);
  }
  return text();
}

interface CompareFlags {
  config?: string;
  variants?: string;
  nonInferiority?: number;
  alpha?: number;
  margin?: number;
  json?: boolean;
}

function parseVariantPair(text: string): { before: string; after: string } {
  const parts = text.split(',').map((s) => s.trim());
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw new UsageError(`--variants takes two variant names, incumbent first: --variants old,new (got "${text}")`);
  return { before: parts[0], after: parts[1] };
}

function parseAlpha(value: string): number {
  const x = Number(value);
  if (!(x > 0 && x <= 0.5)) throw new InvalidArgumentError(`--alpha takes a significance level in (0, 0.5], not "${value}".`);
  return x;
}

export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description('case-by-case diff of two runs, or of a run and a baseline, with paired significance tests')
    .argument('<a>', 'before: a run id, run folder, latest, or a baseline .json file')
    .argument('[b]', 'after: a run id, run folder or latest (default: latest; with --variants and no B, A itself)')
    .option('--variants <old,new>', 'compare variant old of A with variant new of B (or of A alone): e.g. a model being deprecated and its candidate')
    .option('--non-inferiority <margin>', 'is B no worse than A by more than MARGIN points (5, 5pts or 5%)?', parseMargin('--non-inferiority'))
    .option('--alpha <level>', 'significance level of the regression test (default: each suite\'s gate.regression.alpha, else 0.05)', parseAlpha)
    .option('--margin <points>', 'regression margin in points, tested (default: each suite\'s gate.regression.margin, else 0)', parseMargin('--margin'))
    .option('--config <file>', 'config file, for suites\' gate settings (default: found from the current folder up)')
    .option('--json', 'print the comparison and verdict as JSON')
    .action(async (a: string, b: string | undefined, flags: CompareFlags) => {
      const [{ colourLevel }, { resolveRunDir }, { compareOutcomes, compareSettingsFromConfig, readSide }, { decideVerdict }] = await Promise.all([
        import('../../reporters/console/colour.js'),
        import('../../results/store.js'),
        import('../../comparison/compare.js'),
        import('../../gate/decide.js'),
      ]);
      const ctx = await projectContext(flags.config);
      const variantPair = flags.variants ? parseVariantPair(flags.variants) : undefined;
      const bRef = b ?? (variantPair ? a : 'latest');
      if (/\.json$/i.test(bRef)) throw new UsageError(`The second side must be a run, not a baseline file (${bRef}): a baseline is what a run is compared against. Put it first.`);
      const before = await readSide(a, ctx.outDir, resolveRunDir);
      const after = bRef === a && !/\.json$/i.test(a) ? before : await readSide(bRef, ctx.outDir, resolveRunDir);
      const settings = compareSettingsFromConfig(ctx.config?.suites ?? []);
      const suiteNames = new Set([...before.variants, ...after.variants].map((v) => v.suite));
      for (const s of suiteNames) {
        const cur = settings[s] ?? {};
        settings[s] = { ...cur, alpha: flags.alpha ?? cur.alpha, margin: flags.margin ?? cur.margin };
      }
      const comparison = compareOutcomes(before, after, { suites: settings, nonInferiorityMargin: flags.nonInferiority, variantPairs: variantPair ? [variantPair] : undefined });
      comparison.warnings = [...ctx.warnings, ...comparison.warnings];
      if (variantPair && comparison.variants.length === 0) {
        throw new UsageError(`No suite has variant "${variantPair.before}" in ${before.label} and "${variantPair.after}" in ${after.label}.`);
      }
      // The one gate (gate/decide.ts) on the comparison alone: regression and non-inferiority.
      const { verdict } = decideVerdict({ suites: ctx.config?.suites ?? [], comparison, regression: { alpha: flags.alpha, margin: flags.margin } });
      if (flags.json) process.stdout.write(JSON.stringify({ ...comparison, gate: verdict }, null, 2) + '\n');
      else process.stdout.write(formatComparison(comparison, verdict.failures, { colour: colourLevel(process.stdout, process.env) > 0 }));
      process.exitCode = verdict.passed ? 0 : 1;
    });
}
