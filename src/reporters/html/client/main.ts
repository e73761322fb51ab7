/**
 * The script of report.html, bundled by scripts/build-client.mjs. It runs before the browser has
 * parsed the (large) rows block: the verdict, the warnings, the baseline table and the matrices
 * come from the small head block and show at once; the case list shows a loading state until the
 * rows are parsed and decoded, a slice at a time so the page stays responsive.
 */
import { HEAD_ELEMENT_ID, ROWS_ELEMENT_ID } from '../elementIds.js';
import { Decoder, readJson, type HeadPayload, type Rec, type RowsPayload } from './data.js';
import { add } from './dom.js';
import { Explorer } from './explorer.js';
import { renderComparison, renderHeader, renderVerdict, renderWarnings } from './header.js';
import { fillFromRecords, renderSuite } from './suite.js';
import { parseCaseFragment } from '../../caseLink.js';

const DECODE_SLICE = 5_000;

function start(): void {
  const head = readJson<HeadPayload>(HEAD_ELEMENT_ID);
  const app = document.getElementById('app');
  if (!head || !app) return;
  const report = head.report;
  const comparison = report.comparison;
  const suiteNames = (report.suites ?? []).map((s) => s.name);
  const explorer = new Explorer(suiteNames, !!comparison);
  const focus = (suite: string, id: string): void => explorer.focusCase(suite, id);
  add(app, [renderHeader(head), renderVerdict(head, focus, (suite, ids) => explorer.showCases(suite, ids)), renderWarnings(head), renderComparison(comparison, (c) => explorer.showChange(c))]);
  const suiteSections = new Map<string, HTMLElement>();
  for (const s of report.suites ?? []) {
    const section = renderSuite(s, comparison, focus);
    suiteSections.set(s.name, section);
    app.appendChild(section);
  }
  app.appendChild(explorer.root);
  document.documentElement.dataset['head'] = '1';
  // Marks a test or a curious reader can read back (performance.getEntriesByName).
  performance.mark('llm-eval:head');

  const loadRows = (): void => {
    const payload = readJson<RowsPayload>(ROWS_ELEMENT_ID) ?? { rows: [], strings: [] };
    const decoder = new Decoder(payload);
    let next = 0;
    const step = (): void => {
      next = decoder.decode(next, next + DECODE_SLICE);
      if (next < decoder.total) {
        setTimeout(step, 0);
        return;
      }
      decoder.finish(comparison);
      const suiteVariants = new Map<string, string[]>();
      for (const s of report.suites ?? []) suiteVariants.set(s.name, s.variants.map((v) => v.name));
      const bySuite = new Map<string, Map<string, Rec[]>>();
      for (const g of decoder.groups) {
        let list = suiteVariants.get(g.suite);
        if (!list) suiteVariants.set(g.suite, (list = []));
        let byVariant = bySuite.get(g.suite);
        if (!byVariant) bySuite.set(g.suite, (byVariant = new Map()));
        for (const [v, recs] of g.cells) {
          if (!list.includes(v)) list.push(v);
          let all = byVariant.get(v);
          if (!all) byVariant.set(v, (all = []));
          for (const r of recs) all.push(r);
        }
      }
      for (const [name, section] of suiteSections) fillFromRecords(section, bySuite.get(name) ?? new Map());
      explorer.load({ groups: decoder.groups, comparison, explain: head.explain, prompts: payload.prompts, suiteVariants });
      const focusHash = (): void => {
        const target = parseCaseFragment(location.hash || '');
        if (target) explorer.focusCase(target.suite, target.id);
      };
      focusHash();
      window.addEventListener('hashchange', focusHash);
      document.documentElement.dataset['ready'] = '1';
      performance.mark('llm-eval:ready');
    };
    // Let the browser paint the head before the rows' work starts.
    setTimeout(step, 0);
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', loadRows);
  else loadRows();
}

start();
