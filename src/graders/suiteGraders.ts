import type { Grader, GraderConfig, GraderEnv, GraderOptionProblem, ResolvedSuite } from '../types.js';
import { createGrader } from './create.js';
import { allGraderFactories, getGraderFactory } from './registry.js';
// Declarations are looked up by type: the built-in types must be registered first.
import './builtins.js';

/**
 * Which graders a suite runs and when, read from the graders' own declarations (`scope`,
 * `suiteOption`, `suiteProblems`), so the runner, the dry run and the config loader never test a
 * grader's name.
 */

/** True for a grader that compares outputs across variants after the cases ran (scope `run`: pairwise). */
export function isRunScopeGrader(g: GraderConfig): boolean {
  return getGraderFactory(g.type)?.scope === 'run';
}

/** The suite's graders that grade each case: its own per-case ones, plus any a suite option turns on (`canary: true`). */
export function caseGraderConfigs(suite: Pick<ResolvedSuite, 'graders' | 'options'>): GraderConfig[] {
  const implied = allGraderFactories()
    .filter((f) => f.suiteOption !== undefined && suite.options[f.suiteOption] === true)
    .map((f): GraderConfig => ({ type: f.type }));
  return [...suite.graders, ...implied].filter((g) => !isRunScopeGrader(g));
}

/** The suite's graders that run once over the finished run (pairwise). */
export function runGraderConfigs(suite: Pick<ResolvedSuite, 'graders'>): GraderConfig[] {
  return suite.graders.filter(isRunScopeGrader);
}

/** A suite's per-case graders, created once for a run, a rescore or a dry run. */
export async function createSuiteGraders(suite: Pick<ResolvedSuite, 'graders' | 'options'>, env: GraderEnv): Promise<Grader[]> {
  return Promise.all(caseGraderConfigs(suite).map((g) => createGrader(g, env)));
}

/** Problems of a suite's graders that need the suite to see (variant names), keyed by grader index; for config validation. */
export function suiteGraderProblems(suite: Pick<ResolvedSuite, 'graders'> & { variants: Array<{ name: string }> }): Array<GraderOptionProblem & { grader: number }> {
  const variants = suite.variants.map((v) => v.name);
  return suite.graders.flatMap((g, i) => (getGraderFactory(g.type)?.suiteProblems?.(g, { variants }) ?? []).map((p) => ({ ...p, grader: i })));
}
