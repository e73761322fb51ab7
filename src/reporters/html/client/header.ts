import type { GateFailure } from '../../../types.js';
import type { Comparison } from '../../../comparison/compare.js';
import { formatCount, formatPercent, formatPointsDelta, formatUsd } from '../../format.js';
import { add, bdi, el } from './dom.js';
import type { HeadPayload } from './data.js';
import { CASES_MEANING } from '../../casesMeaning.js';
import { splitGateFailures } from '../../runDetails.js';

/** One meaning of "cases" on the whole page, stated once at the top. */

function scopeOf(f: GateFailure): string {
  return f.suite && f.variant ? `${f.suite} / ${f.variant}` : (f.suite ?? f.variant ?? 'run');
}

export function renderHeader(head: HeadPayload): HTMLElement {
  const report = head.report;
  const t = report.totals ?? { cases: 0, passed: 0, costUsd: null, judgeCostUsd: null };
  return el('header', null, [
    el('h1', { text: 'llm-eval report' }),
    el('div', { class: 'meta' }, [
      el('span', { text: `run ${report.runId}` }),
      el('span', { text: `created ${report.createdAt}` }),
      report.status && report.status !== 'completed' ? el('span', { class: 'warn', text: `status: ${report.status}` }) : null,
      el('span', {
        text: `${formatCount(t.cases)} records · ${formatPercent(t.cases ? t.passed / t.cases : null)} pass · ${formatUsd(t.costUsd)}${t.judgeCostUsd ? ` + ${formatUsd(t.judgeCostUsd)} judging` : ''}`,
      }),
      report.config?.hash ? el('span', { text: `config ${report.config.hash}` }) : null,
    ]),
    el('p', { class: 'muted small', id: 'cases-meaning', text: CASES_MEANING }),
  ]);
}

export type FocusCase = (suite: string, id: string) => void;
export type ShowCases = (suite: string, ids: string[]) => void;

const CHIP_LIMIT = 20;

export function renderVerdict(head: HeadPayload, focusCase: FocusCase, showCases: ShowCases): HTMLElement {
  const verdict = head.verdict ?? head.report.gate;
  const failures = verdict.failures ?? [];
  const box = el('section', { class: `verdict ${verdict.passed ? 'pass' : 'fail'}`, id: 'verdict' }, [
    el('span', { class: 'word', text: verdict.passed ? 'PASSED' : 'FAILED' }),
    el('span', { text: verdict.passed ? 'all gates passed' : `${failures.length} gate failure${failures.length === 1 ? '' : 's'}` }),
  ]);
  if (!failures.length) return box;
  // New failures first; those the baseline already had are listed after them, marked (one rule for every report: runDetails.ts).
  const { fresh, preExisting } = splitGateFailures(head.report, verdict);
  const item = (f: GateFailure, carried: boolean): HTMLElement => {
    const ids = f.cases ?? [];
    const chips: HTMLElement[] = ids.slice(0, CHIP_LIMIT).map((id) =>
      el('button', { class: 'chip mono', type: 'button', title: 'Show this case', text: id, on: { click: () => focusCase(f.suite ?? '', id) } }),
    );
    if (ids.length > CHIP_LIMIT) {
      chips.push(el('button', { class: 'chip more', type: 'button', title: 'List all of them', text: `… ${formatCount(ids.length - CHIP_LIMIT)} more`, on: { click: () => showCases(f.suite ?? '', ids) } }));
    }
    return el('li', { class: carried ? 'pre-existing' : 'new-failure' }, [
      carried ? el('span', { class: 'chip', text: 'pre-existing' }) : null,
      carried ? ' ' : null,
      el('strong', null, bdi(scopeOf(f))),
      ' ',
      el('code', { text: f.rule }),
      ': ',
      bdi(f.message),
      ids.length ? el('div', null, ['cases: ', ...chips]) : null,
    ]);
  };
  if (fresh.length) box.appendChild(el('ul', { id: 'gate-failures' }, fresh.map((f) => item(f, false))));
  if (preExisting.length) {
    box.appendChild(el('div', { class: 'small', id: 'pre-existing-head' }, ['Pre-existing (already failing in ', bdi(head.report.comparison?.against ?? 'the baseline'), '):']));
    box.appendChild(el('ul', { id: 'pre-existing-failures' }, preExisting.map((f) => item(f, true))));
  }
  return box;
}

export function renderWarnings(head: HeadPayload): HTMLElement | null {
  const comparison = head.report.comparison;
  const warnings = [...(head.report.warnings ?? []), ...(comparison?.warnings ?? [])];
  const notes = comparison?.notes ?? [];
  if (!warnings.length && !notes.length) return null;
  return el('section', { id: 'warnings' }, [
    warnings.length ? el('h2', { text: 'Warnings' }) : null,
    warnings.length ? el('ul', null, warnings.map((w) => el('li', { class: 'warn' }, bdi(w)))) : null,
    notes.length ? el('h3', { text: 'Notes on the comparison' }) : null,
    notes.length ? el('ul', { id: 'notes' }, notes.map((n) => el('li', null, bdi(n)))) : null,
  ]);
}

function formatP(p: number | null | undefined): string {
  if (p == null) return 'n/a';
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

export function renderComparison(comparison: Comparison | undefined, onFilter: (change: 'newly-failing' | 'newly-passing') => void): HTMLElement | null {
  if (!comparison) return null;
  const counts: Record<string, number> = { 'newly-failing': 0, 'newly-passing': 0, added: 0, removed: 0 };
  for (const c of comparison.changes ?? []) counts[c.change] = (counts[c.change] ?? 0) + 1;
  const heads = ['Suite', 'Variant', 'Paired cases', 'Before', 'After', 'Change (95% CI)', 'p-value', 'BH-adjusted p', 'Significant', 'Flips (to fail / to pass)', 'Min. detectable drop'];
  const summary = el('div', { class: 'meta' }, [
    el('span', null, ['compared with ', bdi(comparison.against)]),
    el('span', null, [
      el('button', { type: 'button', class: 'linkish', id: 'show-newly-failing', text: `${formatCount(counts['newly-failing']!)} newly failing`, on: { click: () => onFilter('newly-failing') } }),
      ' · ',
      el('button', { type: 'button', class: 'linkish', id: 'show-newly-passing', text: `${formatCount(counts['newly-passing']!)} newly passing`, on: { click: () => onFilter('newly-passing') } }),
      ` · ${formatCount(counts['added']!)} added · ${formatCount(counts['removed']!)} removed (case × variant)`,
    ]),
  ]);
  const table = el('table', { class: 'baseline' }, [
    el('thead', null, el('tr', null, heads.map((h, i) => el('th', { class: i >= 2 ? 'num' : null, text: h })))),
    el(
      'tbody',
      null,
      (comparison.variants ?? []).map((v) =>
        el('tr', null, [
          el('td', null, bdi(v.suite)),
          el('td', null, bdi(v.variant)),
          el('td', { class: 'num', text: formatCount(v.pairedCases) }),
          el('td', { class: 'num', text: formatPercent(v.passRateBefore) }),
          el('td', { class: 'num', text: formatPercent(v.passRateAfter) }),
          el('td', { class: 'num', text: `${formatPointsDelta(v.diff)} (${formatPointsDelta(v.diffCI95?.[0])} … ${formatPointsDelta(v.diffCI95?.[1])})` }),
          el('td', { class: 'num', text: formatP(v.pValue) }),
          el('td', { class: 'num', text: formatP(v.pAdjusted) }),
          el('td', { text: v.significant ? 'yes' : 'no' }),
          el('td', { class: 'num', text: v.flips ? `${formatCount(v.flips.harmful)} / ${formatCount(v.flips.helpful)}` : 'n/a' }),
          el('td', { class: 'num', text: v.power?.mde != null ? `${(v.power.mde * 100).toFixed(1)} pts` : 'n/a' }),
        ]),
      ),
    ),
  ]);
  const powerWarnings = (comparison.variants ?? []).map((v) => v.power?.warning).filter((w): w is string => !!w);
  const sentences = (comparison.variants ?? []).map((v) => v.nonInferiority?.sentence).filter((s): s is string => !!s);
  return add(el('section', { id: 'comparison' }, [el('h2', { text: 'Against baseline' }), summary, el('div', { class: 'scroll' }, table)]), [
    el('p', { class: 'muted small', text: 'p-value: exact paired test of "no change"; BH-adjusted: Benjamini–Hochberg over every pair compared here (significance uses it). Min. detectable drop: the smallest fall in pass rate this many cases would flag 80% of the time.' }),
    powerWarnings.length ? el('ul', null, powerWarnings.map((w) => el('li', { class: 'warn' }, bdi(w)))) : null,
    sentences.length ? el('ul', null, sentences.map((s) => el('li', null, bdi(s)))) : null,
  ]);
}
