import type { GateFailure, GateVerdict, ResolvedSuite, SuiteSummary } from '../types.js';

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/**
 * The threshold rules of a suite's gate (pure). With no `gate`, every case must pass; with a
 * gate, only the rules it names apply. Regression and repeat rules come from gate/regression.ts
 * and are passed in as extra failures.
 */
export function thresholdFailures(suite: ResolvedSuite, summary: SuiteSummary): GateFailure[] {
  const failures: GateFailure[] = [];
  const gate = suite.gate;
  if (!gate) {
    for (const v of summary.variants) {
      const bad = v.failed + v.errors;
      if (bad > 0) {
        failures.push({
          suite: suite.name,
          variant: v.name,
          rule: 'all-pass',
          message: `${suite.name}/${v.name}: ${v.failed} failed and ${v.errors} errored of ${v.cases} (no gate set: every case must pass; set gate.minPassRate to allow some)`,
        });
      }
    }
    return failures;
  }
  if (gate.minPassRate !== undefined) {
    for (const v of summary.variants) {
      if (v.cases > 0 && v.passRate < gate.minPassRate) {
        failures.push({
          suite: suite.name,
          variant: v.name,
          rule: 'minPassRate',
          message: `${suite.name}/${v.name}: pass rate ${pct(v.passRate)} (95% CI ${pct(v.passRateCI95[0])}–${pct(v.passRateCI95[1])}) is below minPassRate ${pct(gate.minPassRate)}`,
        });
      }
    }
  }
  if (gate.maxCostUsd !== undefined) {
    let cost = 0;
    let unknown = false;
    for (const v of summary.variants) {
      if (v.costUsd == null) unknown = true;
      else cost += v.costUsd;
      if (v.judgeCostUsd != null) cost += v.judgeCostUsd;
    }
    if (cost > gate.maxCostUsd) {
      failures.push({ suite: suite.name, rule: 'maxCostUsd', message: `${suite.name}: cost $${cost.toFixed(4)} is above maxCostUsd $${gate.maxCostUsd}` });
    } else if (unknown) {
      failures.push({ suite: suite.name, rule: 'maxCostUsd', message: `${suite.name}: cost is unknown for some variants (no price for the model); set \`price:\` on the model so maxCostUsd can be checked` });
    }
  }
  return failures;
}

export function verdictOf(failures: GateFailure[]): GateVerdict {
  return { passed: failures.length === 0, failures };
}
