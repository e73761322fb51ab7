import type { PairDecision } from './compare.js';
import type { PairwiseSummary } from '../../../types.js';

export type { PairwiseSummary } from '../../../types.js';

const LISTED_CASES = 20;
const LISTED_ERRORS = 5;

export function emptySummary(grader: string, judge: string, rubric: string, a: string, b: string): PairwiseSummary {
  return {
    grader,
    judge,
    rubric,
    a,
    b,
    cases: 0,
    wins: 0,
    ties: 0,
    losses: 0,
    winRate: 0,
    tieRate: 0,
    lossRate: 0,
    orderDisagreement: 0,
    orderDisagreementRate: 0,
    firstShownPicked: 0,
    decisiveVerdicts: 0,
    missing: 0,
    errors: 0,
    costUsd: null,
    disagreementCases: [],
    errorSamples: [],
  };
}

export function addDecision(s: PairwiseSummary, d: PairDecision, caseKey: string): void {
  s.cases++;
  if (d.outcome === 'a') s.wins++;
  else if (d.outcome === 'b') s.losses++;
  else s.ties++;
  if (d.orderDisagreement) {
    s.orderDisagreement++;
    if (s.disagreementCases.length < LISTED_CASES) s.disagreementCases.push(caseKey);
  }
  s.firstShownPicked += d.firstShownPicked;
  s.decisiveVerdicts += d.decisive;
}

export function addError(s: PairwiseSummary, caseId: string, repeat: number, message: string): void {
  s.errors++;
  if (s.errorSamples.length < LISTED_ERRORS) s.errorSamples.push({ caseId, repeat, message });
}

/** Adds a comparison's judge spend; null (a judge call of unknown price) makes the pair's cost unknown. */
export function addCost(s: PairwiseSummary, costUsd: number | null): void {
  if (costUsd === null) s.costUnknown = true;
  else s.costUsd = (s.costUsd ?? 0) + costUsd;
}

/** Fills in the rates once every case is counted. */
export function finishSummary(s: PairwiseSummary): PairwiseSummary {
  const rate = (k: number): number => (s.cases > 0 ? k / s.cases : 0);
  s.winRate = rate(s.wins);
  s.tieRate = rate(s.ties);
  s.lossRate = rate(s.losses);
  s.orderDisagreementRate = rate(s.orderDisagreement);
  return s;
}
