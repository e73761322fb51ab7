import type { GateFailure, GateVerdict, ResolvedSuite, SuiteSummary } from '../types.js';
import type { PairwiseSummary } from '../graders/judge/pairwise/tally.js';

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/**
 * The threshold rules of a suite's gate (pure). With no `gate`, every case must pass; with a
 * gate, only the rules it names apply. Regression and repeat rules come from gate/regression.ts
 * and are passed in as extra failures.
 */
export function thresholdFailures(suite: ResolvedSuite, summary: SuiteSummary, pairwise: readonly PairwiseSummary[] = []): GateFailure[] {
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
    let judgeUnknown = false;
    for (const v of summary.variants) {
      if (v.costUsd == null) unknown = true;
      else cost += v.costUsd;
      if (v.judgeCostUsd != null) cost += v.judgeCostUsd;
      if (v.judgeCostUnknown) judgeUnknown = true;
    }
    // Pairwise judges are paid like any judge.
    for (const p of pairwise) {
      if (p.costUsd != null) cost += p.costUsd;
      if (p.costUnknown) judgeUnknown = true;
    }
    if (cost > gate.maxCostUsd) {
      failures.push({ suite: suite.name, rule: 'maxCostUsd', message: `${suite.name}: cost $${cost.toFixed(4)} (candidates and judges) is above maxCostUsd $${gate.maxCostUsd}` });
    } else if (unknown || judgeUnknown) {
      const who = unknown && judgeUnknown ? 'a candidate and a judge model' : unknown ? 'a candidate model' : 'a judge model';
      failures.push({
        suite: suite.name,
        rule: 'maxCostUsd',
        message: `${suite.name}: cost is unknown (no price for ${who}; $${cost.toFixed(4)} known so far); set \`price:\` on the model so maxCostUsd can be checked`,
      });
    }
  }
  return failures;
}

/**
 * A pairwise comparison the judge could not decide is an error, never a pass: any undecided
 * case of a compared pair fails the gate, whatever the suite's other rules.
 */
export function pairwiseFailures(suite: string, pairwise: readonly PairwiseSummary[]): GateFailure[] {
  const failures: GateFailure[] = [];
  for (const p of pairwise) {
    if (p.errors === 0) continue;
    const first = p.errorSamples[0];
    failures.push({
      suite,
      rule: 'pairwise-undecided',
      message:
        `${suite}: pairwise ${p.grader} (${p.a} vs ${p.b}): the judge could not decide ${p.errors} of ${p.errors + p.cases} comparison(s)` +
        `${first ? `, e.g. ${first.caseId}: ${first.message}` : ''}; an undecided comparison is an error, so the gate fails`,
      cases: p.errorSamples.map((e) => e.caseId),
    });
  }
  return failures;
}

export function verdictOf(failures: GateFailure[]): GateVerdict {
  return { passed: failures.length === 0, failures };
}
