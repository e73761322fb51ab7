import type { SuiteSummary, VariantSummary } from '../../../types.js';
import type { Comparison } from '../../../comparison/compare.js';
import { compact, formatCount, formatInterval, formatMs, formatPercent, formatPointsDelta, formatScore, formatUsd } from '../../format.js';
import { add, bdi, el, svg } from './dom.js';
import { comparisonFor, type Rec } from './data.js';
import { percentile } from '../../../results/summary.js';

const hasJudgeCost = (vs: VariantSummary[]): boolean => vs.some((v) => v.judgeCostUsd != null && v.judgeCostUsd > 0);

function renderMatrix(suite: SuiteSummary, comparison: Comparison | undefined): HTMLElement {
  const vs = suite.variants;
  let best = 0;
  for (const v of vs) if (v.passRate > best) best = v.passRate;
  const hasJudge = hasJudgeCost(vs);
  const heads = ['Variant', 'Model', 'Prompt', 'Records', 'Pass rate', '95% CI', 'Mean score', 'Cost'];
  if (hasJudge) heads.push('Judge cost');
  heads.push('Tokens', 'p50 latency', 'p95 latency', 'TTFT p50', 'TTFT p95', 'Errors');
  if (comparison) heads.push('vs baseline');
  return el('table', { class: 'matrix' }, [
    el('thead', null, el('tr', null, heads.map((h, i) => el('th', { class: i >= 3 ? 'num' : null, text: h })))),
    el(
      'tbody',
      null,
      vs.map((v) => {
        const c = comparisonFor(comparison, suite.name, v.name);
        const cells: HTMLElement[] = [
          el('td', { class: vs.length > 1 && v.passRate === best && v.cases > 0 ? 'best' : null }, bdi(v.name)),
          el('td', null, bdi(v.model)),
          el('td', { class: 'mono' }, bdi(v.prompt + (v.promptHash ? ` #${v.promptHash}` : ''))),
          el('td', { class: 'num', text: formatCount(v.cases) }),
          el('td', { class: 'num', text: formatPercent(v.passRate) }),
          el('td', { class: 'num', text: formatInterval(v.passRateCI95) }),
          el('td', { class: 'num', text: formatScore(v.meanScore) }),
          el('td', { class: 'num', text: formatUsd(v.costUsd) }),
        ];
        if (hasJudge) cells.push(el('td', { class: 'num', text: formatUsd(v.judgeCostUsd) }));
        cells.push(
          el('td', { class: 'num', text: v.tokens ? `${compact(v.tokens.input)} / ${compact(v.tokens.output)}` : 'n/a' }),
          el('td', { class: 'num', text: formatMs(v.latencyMs?.p50) }),
          el('td', { class: 'num', text: formatMs(v.latencyMs?.p95) }),
          el('td', { class: 'num ttft', data: { variant: v.name, q: 'p50' }, text: '…' }),
          el('td', { class: 'num ttft', data: { variant: v.name, q: 'p95' }, text: '…' }),
          el('td', { class: 'num', text: formatCount(v.errors ?? 0) }),
        );
        if (comparison) cells.push(el('td', { class: 'num', text: c ? formatPointsDelta(c.diff) + (c.significant ? ' (significant)' : '') : 'n/a' }));
        return el('tr', null, cells);
      }),
    ),
  ]);
}

interface BarRow {
  label: string;
  values: Array<number | null | undefined>;
}

/** A horizontal bar chart in inline SVG; null when every value is zero or missing (it would say nothing). */
export function barChart(title: string, rows: BarRow[], series: string[], fmt: (x: number | null | undefined) => string): HTMLElement | null {
  const LABEL_W = 130;
  const BAR_W = 200;
  const VALUE_W = 80;
  const BAR_H = 12;
  const ROW_GAP = 8;
  let max = 0;
  for (const r of rows) for (const v of r.values) if (v != null && v > max) max = v;
  if (max <= 0) return null;
  const rowH = series.length * (BAR_H + 2) + ROW_GAP;
  const legendH = series.length > 1 ? 16 : 0;
  const H = rows.length * rowH + legendH + 4;
  const W = LABEL_W + BAR_W + VALUE_W;
  const root = svg('svg', { width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: 'img' });
  root.appendChild(svg('title', {}, title));
  rows.forEach((r, i) => {
    const y0 = legendH + i * rowH;
    root.appendChild(svg('text', { x: 0, y: y0 + BAR_H, class: 'lbl' }, r.label.length > 20 ? `${r.label.slice(0, 19)}…` : r.label));
    r.values.forEach((v, j) => {
      const y = y0 + j * (BAR_H + 2);
      const w = v != null && max > 0 ? Math.max(v > 0 ? 1 : 0, (v / max) * BAR_W) : 0;
      root.appendChild(svg('rect', { x: LABEL_W, y, width: w, height: BAR_H, class: `b${j + 1}` }));
      root.appendChild(svg('text', { x: LABEL_W + w + 4, y: y + BAR_H - 2 }, fmt(v)));
    });
  });
  root.appendChild(svg('line', { x1: LABEL_W, y1: legendH, x2: LABEL_W, y2: H, class: 'axis' }));
  if (series.length > 1) {
    series.forEach((name, j) => {
      const x = LABEL_W + j * 90;
      root.appendChild(svg('rect', { x, y: 2, width: 10, height: 10, class: `b${j + 1}` }));
      root.appendChild(svg('text', { x: x + 14, y: 11 }, name));
    });
  }
  return el('figure', null, [el('figcaption', { text: title }), root]);
}

function renderCharts(suite: SuiteSummary): HTMLElement | null {
  const vs = suite.variants;
  if (!vs.length) return null;
  const hasJudge = hasJudgeCost(vs);
  const cost = barChart(
    'Cost per variant',
    vs.map((v) => ({ label: v.name, values: hasJudge ? [v.costUsd, v.judgeCostUsd] : [v.costUsd] })),
    hasJudge ? ['model', 'judge'] : ['cost'],
    formatUsd,
  );
  const latency = barChart(
    'Latency per variant',
    vs.map((v) => ({ label: v.name, values: [v.latencyMs?.p50, v.latencyMs?.p95] })),
    ['p50', 'p95'],
    formatMs,
  );
  if (!cost && !latency) return null;
  return el('div', { class: 'charts' }, [cost, latency, el('div', { class: 'histograms' })]);
}

function renderConfusion(suite: SuiteSummary): HTMLElement[] {
  const parts: HTMLElement[] = [];
  for (const v of suite.variants) {
    const cls = v.classification;
    if (!cls?.confusion?.labels.length) continue;
    const labels = cls.confusion.labels;
    const m = cls.confusion.matrix;
    let max = 1;
    for (const row of m) for (const n of row) if (n > max) max = n;
    const table = el('table', { class: 'cm' }, [
      el('thead', null, el('tr', null, [el('th', { text: 'expected \\ predicted' }), ...labels.map((l) => el('th', null, bdi(l)))])),
      el(
        'tbody',
        null,
        labels.map((l, i) =>
          el('tr', null, [
            el('th', null, bdi(l)),
            ...labels.map((_, j) => {
              const n = m[i]?.[j] ?? 0;
              const td = el('td', { class: i === j ? 'diag' : null, text: formatCount(n) });
              // Set through the CSSOM (allowed by the page's style-src), shading by count.
              if (n > 0) td.style.backgroundColor = `rgba(9,105,218,${(0.08 + (0.5 * n) / max).toFixed(3)})`;
              return td;
            }),
          ]),
        ),
      ),
    ]);
    const per = el('table', null, [
      el('thead', null, el('tr', null, ['Label', 'Precision', 'Recall', 'F1', 'Support'].map((h, i) => el('th', { class: i ? 'num' : null, text: h })))),
      el(
        'tbody',
        null,
        Object.entries(cls.perLabel ?? {}).map(([l, p]) =>
          el('tr', null, [el('td', null, bdi(l)), el('td', { class: 'num', text: formatScore(p.precision) }), el('td', { class: 'num', text: formatScore(p.recall) }), el('td', { class: 'num', text: formatScore(p.f1) }), el('td', { class: 'num', text: formatCount(p.support) })]),
        ),
      ),
    ]);
    parts.push(
      el('div', { class: 'confusion' }, [
        el('h3', null, ['Confusion matrix: ', bdi(v.name), ` (accuracy ${formatPercent(cls.accuracy)}, macro-F1 ${formatScore(cls.macroF1)})`]),
        el('div', { class: 'charts' }, [el('div', { class: 'scroll' }, table), el('div', { class: 'scroll' }, per)]),
      ]),
    );
  }
  return parts;
}

/** pass@k, pass^k and the flaky cases, for variants that ran repeats. */
function renderRepeats(suite: SuiteSummary, focusCase: (suite: string, id: string) => void): HTMLElement | null {
  const vs = suite.variants.filter((v) => v.repeats && v.repeats.k > 1);
  if (!vs.length) return null;
  return el('div', { class: 'repeats' }, [
    el('h3', { text: 'Repeats' }),
    el(
      'div',
      { class: 'scroll' },
      el('table', null, [
        el('thead', null, el('tr', null, ['Variant', 'k', 'Cases', 'pass@k', 'pass^k', 'Always pass', 'Never pass', 'Flaky', 'Flaky cases'].map((h, i) => el('th', { class: i && i < 8 ? 'num' : null, text: h })))),
        el(
          'tbody',
          null,
          vs.map((v) => {
            const r = v.repeats!;
            return el('tr', null, [
              el('td', null, bdi(v.name)),
              el('td', { class: 'num', text: formatCount(r.k) }),
              el('td', { class: 'num', text: formatCount(r.cases) }),
              el('td', { class: 'num', text: formatPercent(r.passAtK) }),
              el('td', { class: 'num', text: formatPercent(r.passHatK) }),
              el('td', { class: 'num', text: formatCount(r.alwaysPass) }),
              el('td', { class: 'num', text: formatCount(r.neverPass) }),
              el('td', { class: 'num', text: formatCount(r.flaky) }),
              el(
                'td',
                { class: 'flaky' },
                r.flakyCases.map((id) => el('button', { class: 'chip mono', type: 'button', text: id, on: { click: () => focusCase(suite.name, id) } })),
              ),
            ]);
          }),
        ),
      ]),
    ),
    el('p', { class: 'muted small', text: 'pass@k: chance at least one of k tries passes; pass^k: chance all k pass; flaky: cases whose repeats disagree.' }),
  ]);
}

function renderPairwise(suite: SuiteSummary): HTMLElement | null {
  const list = suite.pairwise ?? [];
  if (!list.length) return null;
  return el('div', { class: 'pairwise' }, [
    el('h3', { text: 'Pairwise judge' }),
    el(
      'div',
      { class: 'scroll' },
      el('table', null, [
        el('thead', null, el('tr', null, ['A vs B', 'Judge', 'Cases', 'Win', 'Tie', 'Loss', 'Order disagreement', 'First shown picked'].map((h, i) => el('th', { class: i >= 2 ? 'num' : null, text: h })))),
        el(
          'tbody',
          null,
          list.map((p) =>
            el('tr', null, [
              el('td', null, [bdi(p.a), ' vs ', bdi(p.b), p.skipped ? el('div', { class: 'muted' }, bdi(p.skipped)) : null]),
              el('td', null, [bdi(p.grader), ' (', bdi(p.judge), ')']),
              el('td', { class: 'num', text: formatCount(p.cases) }),
              el('td', { class: 'num', text: `${formatCount(p.wins)} (${formatPercent(p.winRate)})` }),
              el('td', { class: 'num', text: `${formatCount(p.ties)} (${formatPercent(p.tieRate)})` }),
              el('td', { class: 'num', text: `${formatCount(p.losses)} (${formatPercent(p.lossRate)})` }),
              el('td', { class: 'num', text: `${formatCount(p.orderDisagreement)} (${formatPercent(p.orderDisagreementRate)})` }),
              el('td', { class: 'num', text: p.decisiveVerdicts ? `${formatCount(p.firstShownPicked)} of ${formatCount(p.decisiveVerdicts)}` : 'n/a' }),
            ]),
          ),
        ),
      ]),
    ),
  ]);
}

export function renderSuite(suite: SuiteSummary, comparison: Comparison | undefined, focusCase: (suite: string, id: string) => void): HTMLElement {
  return el('section', { class: 'suite', data: { suite: suite.name } }, [
    el('h2', null, ['Suite: ', bdi(suite.name)]),
    el('div', { class: 'scroll' }, renderMatrix(suite, comparison)),
    renderCharts(suite) ?? el('div', { class: 'charts' }, el('div', { class: 'histograms' })),
    ...renderConfusion(suite),
    renderRepeats(suite, focusCase),
    renderPairwise(suite),
  ]);
}

/** Once the rows are decoded: TTFT percentiles in the matrix, and a score histogram per variant. */
export function fillFromRecords(section: HTMLElement, recordsByVariant: Map<string, Rec[]>): void {
  for (const td of section.querySelectorAll<HTMLElement>('td.ttft')) {
    const recs = recordsByVariant.get(td.dataset['variant'] ?? '') ?? [];
    const ttfts = recs.map((r) => r.ttft).filter((x): x is number => x != null).sort((a, b) => a - b);
    td.textContent = formatMs(percentile(ttfts, td.dataset['q'] === 'p95' ? 95 : 50));
  }
  const holder = section.querySelector<HTMLElement>('.histograms');
  if (!holder) return;
  const BINS = 10;
  const rows: BarRow[] = [];
  const series: string[] = [];
  const variants = [...recordsByVariant.keys()];
  for (let b = 0; b < BINS; b++) rows.push({ label: `${(b / BINS).toFixed(1)}–${((b + 1) / BINS).toFixed(1)}`, values: [] });
  variants.forEach((v, j) => {
    series.push(v);
    for (const row of rows) row.values[j] = 0;
    for (const r of recordsByVariant.get(v)!) {
      const bin = Math.min(BINS - 1, Math.max(0, Math.floor(r.score * BINS)));
      rows[bin]!.values[j] = (rows[bin]!.values[j] ?? 0) + 1;
    }
  });
  // One chart per variant keeps the bars readable with many variants.
  const charts = variants.map((v, j) => barChart(`Score histogram: ${v}`, rows.map((r) => ({ label: r.label, values: [r.values[j]] })), [v], (x) => (x == null ? 'n/a' : formatCount(x))));
  add(holder, charts);
}
