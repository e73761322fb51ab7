import { wordDiff } from './wordDiff.js';
import { compact, formatCount, formatDuration, formatInterval, formatMs, formatPercent, formatPointsDelta, formatScore, formatUsd } from '../format.js';

/**
 * The script of report.html. It reads the data block, decodes the rows written by payload.ts and
 * builds the page with createElement / textContent only: no string from the data ever reaches an
 * HTML parser (no innerHTML, no href or src from data), so a model output holding markup shows
 * as text. The case table renders one page of case groups at a time, so 10,000 cases cost no
 * more to display than 50.
 *
 * Pure helpers written in TypeScript (the word diff and the number formats shared with the
 * terminal and Markdown reporters) are shipped by their source (Function.prototype.toString):
 * they are self-contained by contract, and a test evaluates the assembled script on its own.
 */

export const SHIPPED_FUNCTIONS: Array<(...args: never[]) => unknown> = [
  wordDiff,
  formatCount,
  formatPercent,
  formatInterval,
  formatPointsDelta,
  formatUsd,
  formatMs,
  formatDuration,
  compact,
  formatScore,
];

// Written as a raw string (no backticks or dollar-brace inside) because it runs in the browser,
// not in Node; it is ES2020 and uses only the DOM.
const APP = String.raw`
var DATA = JSON.parse(document.getElementById('llm-eval-data').textContent);
var STR = DATA.strings || [];
var report = DATA.report;
var verdict = DATA.verdict || report.gate;
var comparison = report.comparison || null;
function str(v) { return typeof v === 'number' ? STR[v] : v; }

// ------------------------------------------------------------------ DOM helpers
function el(tag, props, kids) {
  var e = document.createElement(tag);
  if (props) {
    for (var k in props) {
      var v = props[k];
      if (v == null || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = String(v);
      else if (k.slice(0, 2) === 'on') e.addEventListener(k.slice(2), v);
      else if (k === 'data') { for (var d in v) e.dataset[d] = String(v[d]); }
      else e.setAttribute(k, v === true ? '' : String(v));
    }
  }
  add(e, kids);
  return e;
}
function add(parent, kids) {
  if (kids == null) return parent;
  if (!Array.isArray(kids)) kids = [kids];
  for (var i = 0; i < kids.length; i++) {
    var c = kids[i];
    if (c == null || c === false) continue;
    parent.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
  return parent;
}
var SVG_NS = 'http://www.w3.org/2000/svg';
function svg(tag, attrs, text) {
  var e = document.createElementNS(SVG_NS, tag);
  for (var k in attrs) e.setAttribute(k, String(attrs[k]));
  if (text != null) e.textContent = String(text);
  return e;
}
function valueText(v) {
  if (typeof v === 'string') return v;
  if (v === undefined) return '';
  try { return JSON.stringify(v, null, 2); } catch (err) { return String(v); }
}

// ------------------------------------------------------------------ decode the rows
var groups = [];
var records = [];
(function decode() {
  var rows = DATA.rows || [];
  for (var i = 0; i < rows.length; i++) {
    var r = rows[i];
    var g;
    if (typeof r[0] === 'number') g = groups[r[0]];
    else {
      var def = r[0];
      g = {
        idx: groups.length, suite: str(def.s), id: def.id, vars: def.v || {},
        hasExpected: Object.prototype.hasOwnProperty.call(def, 'e'), expected: def.e,
        tags: (def.t || []).map(str), cells: new Map(), failing: false, changes: null, rank: 3, text: null,
      };
      groups.push(g);
    }
    var out = r[5];
    if (Array.isArray(out)) out = records[out[0]].output;
    else if (out != null) out = str(out);
    var rec = {
      variant: str(r[1]), repeat: r[2], status: r[3], score: r[4], output: out,
      grades: (r[6] || []).map(function (x) { return { grader: str(x[0]), pass: x[1] === 1, score: x[2], reason: str(x[3]) }; }),
      cost: r[7], latency: r[8], tokens: r[9] || null, cached: r[10] === 1,
      error: r[11] ? { kind: str(r[11][0]), message: str(r[11][1]) } : null,
      prompt: str(r[12]), judgeCost: r[13], toolCalls: r[14] || null,
      conversation: r[15] ? { steps: r[15][0], transcript: r[15][1] } : null,
    };
    records.push(rec);
    var list = g.cells.get(rec.variant);
    if (!list) { list = []; g.cells.set(rec.variant, list); }
    list.push(rec);
    if (rec.status !== 1) g.failing = true;
  }
  groups.forEach(function (g) { g.cells.forEach(function (list) { list.sort(function (a, b) { return a.repeat - b.repeat; }); }); });
})();

var KEY_SEP = '\u0000';
var groupByKey = new Map();
groups.forEach(function (g) { groupByKey.set(g.suite + KEY_SEP + g.id, g); });
var CHANGE_RANK = { 'newly-failing': 0, 'newly-passing': 1, added: 2, removed: 2 };
if (comparison) {
  (comparison.changes || []).forEach(function (c) {
    var g = groupByKey.get(c.suite + KEY_SEP + c.caseId);
    if (!g) return;
    if (!g.changes) g.changes = new Map();
    g.changes.set(c.variant, c);
    g.rank = Math.min(g.rank, CHANGE_RANK[c.change] == null ? 2 : CHANGE_RANK[c.change]);
  });
}
// With a baseline, newly failing cases stand first, then newly passing, then the rest in run order.
var ordered = groups.slice().sort(function (a, b) { return Math.min(a.rank, 2) - Math.min(b.rank, 2) || a.idx - b.idx; });

var suiteVariants = new Map();
(report.suites || []).forEach(function (s) { suiteVariants.set(s.name, s.variants.map(function (v) { return v.name; })); });
groups.forEach(function (g) {
  var list = suiteVariants.get(g.suite);
  if (!list) { list = []; suiteVariants.set(g.suite, list); }
  g.cells.forEach(function (_, v) { if (list.indexOf(v) < 0) list.push(v); });
});
var suiteNames = Array.from(suiteVariants.keys());
function variantsFor(suite) {
  if (suite) return suiteVariants.get(suite) || [];
  var all = [];
  suiteVariants.forEach(function (list) { list.forEach(function (v) { if (all.indexOf(v) < 0) all.push(v); }); });
  return all;
}
var allTags = (function () {
  var set = new Set();
  groups.forEach(function (g) { g.tags.forEach(function (t) { set.add(t); }); });
  return Array.from(set).sort();
})();

// ------------------------------------------------------------------ header, verdict, comparison
function statusLabel(s) { return s === 1 ? 'pass' : s === 2 ? 'error' : 'fail'; }
function scopeOf(f) { return f.suite && f.variant ? f.suite + ' / ' + f.variant : (f.suite || f.variant || 'run'); }

function renderHeader() {
  var t = report.totals || { cases: 0, passed: 0, costUsd: null };
  return el('header', null, [
    el('h1', { text: 'llm-eval report' }),
    el('div', { class: 'meta' }, [
      el('span', { text: 'run ' + report.runId }),
      el('span', { text: 'created ' + report.createdAt }),
      report.status && report.status !== 'completed' ? el('span', { class: 'warn', text: 'status: ' + report.status }) : null,
      el('span', { text: formatCount(t.cases) + ' cases · ' + formatPercent(t.cases ? t.passed / t.cases : null) + ' pass · ' + formatUsd(t.costUsd) + (t.judgeCostUsd ? ' + ' + formatUsd(t.judgeCostUsd) + ' judging' : '') }),
      report.config && report.config.hash ? el('span', { text: 'config ' + report.config.hash }) : null,
    ]),
  ]);
}

function renderVerdict() {
  var failures = verdict.failures || [];
  var box = el('section', { class: 'verdict ' + (verdict.passed ? 'pass' : 'fail'), id: 'verdict' }, [
    el('span', { class: 'word', text: verdict.passed ? 'PASSED' : 'FAILED' }),
    el('span', { text: verdict.passed ? 'all gates passed' : failures.length + ' gate failure' + (failures.length === 1 ? '' : 's') }),
  ]);
  if (failures.length) {
    box.appendChild(el('ul', null, failures.map(function (f) {
      return el('li', null, [
        el('strong', { text: scopeOf(f) }), ' ', el('code', { text: f.rule }), ': ', f.message,
        f.cases && f.cases.length ? el('div', null, ['cases: '].concat(f.cases.slice(0, 20).map(function (id) {
          return el('button', { class: 'chip mono', type: 'button', text: id, title: 'Show this case', onclick: function () { focusCase(f.suite || '', id); } });
        }), f.cases.length > 20 ? ['… ' + (f.cases.length - 20) + ' more'] : [])) : null,
      ]);
    })));
  }
  return box;
}

function renderWarnings() {
  var list = (report.warnings || []).concat(comparison ? comparison.warnings || [] : []);
  if (!list.length) return null;
  return el('section', null, [el('h2', { text: 'Warnings' }), el('ul', null, list.map(function (w) { return el('li', { class: 'warn', text: w }); }))]);
}

function renderComparison() {
  if (!comparison) return null;
  var counts = { 'newly-failing': 0, 'newly-passing': 0, added: 0, removed: 0 };
  (comparison.changes || []).forEach(function (c) { counts[c.change] = (counts[c.change] || 0) + 1; });
  return el('section', { id: 'comparison' }, [
    el('h2', { text: 'Against baseline' }),
    el('div', { class: 'meta' }, [el('span', { text: 'compared with ' + comparison.against }),
      el('span', { text: counts['newly-failing'] + ' newly failing · ' + counts['newly-passing'] + ' newly passing · ' + counts.added + ' added · ' + counts.removed + ' removed' })]),
    el('div', { class: 'scroll' }, el('table', null, [
      el('thead', null, el('tr', null, ['Suite', 'Variant', 'Paired cases', 'Before', 'After', 'Change (95% CI)', 'p-value', 'Significant'].map(function (h, i) { return el('th', { class: i >= 2 ? 'num' : null, text: h }); }))),
      el('tbody', null, (comparison.variants || []).map(function (v) {
        return el('tr', null, [
          el('td', { text: v.suite }), el('td', { text: v.variant }),
          el('td', { class: 'num', text: formatCount(v.pairedCases) }),
          el('td', { class: 'num', text: formatPercent(v.passRateBefore) }),
          el('td', { class: 'num', text: formatPercent(v.passRateAfter) }),
          el('td', { class: 'num', text: formatPointsDelta(v.diff) + ' (' + formatPointsDelta(v.diffCI95 && v.diffCI95[0]) + ' … ' + formatPointsDelta(v.diffCI95 && v.diffCI95[1]) + ')' }),
          el('td', { class: 'num', text: v.pValue == null ? 'n/a' : v.pValue < 0.001 ? '<0.001' : v.pValue.toFixed(3) }),
          el('td', { text: v.significant ? 'yes' : 'no' }),
        ]);
      })),
    ])),
  ]);
}

// ------------------------------------------------------------------ per suite: matrix, charts, confusion
function comparisonFor(suite, variant) {
  if (!comparison) return null;
  var list = comparison.variants || [];
  for (var i = 0; i < list.length; i++) if (list[i].suite === suite && list[i].variant === variant) return list[i];
  return null;
}

function renderMatrix(suite) {
  var vs = suite.variants;
  var best = Math.max.apply(null, vs.map(function (v) { return v.passRate; }).concat([0]));
  var hasJudge = vs.some(function (v) { return v.judgeCostUsd != null && v.judgeCostUsd > 0; });
  var heads = ['Variant', 'Model', 'Prompt', 'Cases', 'Pass rate', '95% CI', 'Mean score', 'Cost'];
  if (hasJudge) heads.push('Judge cost');
  heads = heads.concat(['Tokens', 'p50 latency', 'p95 latency', 'Errors']);
  if (comparison) heads.push('vs baseline');
  return el('table', { class: 'matrix' }, [
    el('thead', null, el('tr', null, heads.map(function (h, i) { return el('th', { class: i >= 3 ? 'num' : null, text: h }); }))),
    el('tbody', null, vs.map(function (v) {
      var c = comparisonFor(suite.name, v.name);
      var cells = [
        el('td', { class: vs.length > 1 && v.passRate === best && v.cases > 0 ? 'best' : null, text: v.name }),
        el('td', { text: v.model }),
        el('td', { class: 'mono', text: v.prompt + (v.promptHash ? ' #' + v.promptHash : '') }),
        el('td', { class: 'num', text: formatCount(v.cases) }),
        el('td', { class: 'num', text: formatPercent(v.passRate) }),
        el('td', { class: 'num', text: formatInterval(v.passRateCI95) }),
        el('td', { class: 'num', text: formatScore(v.meanScore) }),
        el('td', { class: 'num', text: formatUsd(v.costUsd) }),
      ];
      if (hasJudge) cells.push(el('td', { class: 'num', text: formatUsd(v.judgeCostUsd) }));
      cells.push(
        el('td', { class: 'num', text: v.tokens ? compact(v.tokens.input) + ' / ' + compact(v.tokens.output) : 'n/a' }),
        el('td', { class: 'num', text: formatMs(v.latencyMs && v.latencyMs.p50) }),
        el('td', { class: 'num', text: formatMs(v.latencyMs && v.latencyMs.p95) }),
        el('td', { class: 'num', text: formatCount(v.errors || 0) })
      );
      if (comparison) cells.push(el('td', { class: 'num', text: c ? formatPointsDelta(c.diff) + (c.significant ? ' (significant)' : '') : 'n/a' }));
      return el('tr', null, cells);
    })),
  ]);
}

// A horizontal bar chart in inline SVG: one group of bars per variant.
function barChart(title, rows, series, fmt) {
  var LABEL_W = 130, BAR_W = 260, VALUE_W = 90, BAR_H = 12, ROW_GAP = 8;
  var max = 0;
  rows.forEach(function (r) { r.values.forEach(function (v) { if (v != null && v > max) max = v; }); });
  var rowH = series.length * (BAR_H + 2) + ROW_GAP;
  var legendH = series.length > 1 ? 16 : 0;
  var H = rows.length * rowH + legendH + 4;
  var W = LABEL_W + BAR_W + VALUE_W;
  var root = svg('svg', { width: W, height: H, viewBox: '0 0 ' + W + ' ' + H, role: 'img' });
  root.appendChild(svg('title', {}, title));
  rows.forEach(function (r, i) {
    var y0 = legendH + i * rowH;
    root.appendChild(svg('text', { x: 0, y: y0 + BAR_H, class: 'lbl' }, r.label.length > 20 ? r.label.slice(0, 19) + '…' : r.label));
    r.values.forEach(function (v, j) {
      var y = y0 + j * (BAR_H + 2);
      var w = v != null && max > 0 ? Math.max(1, (v / max) * BAR_W) : 0;
      root.appendChild(svg('rect', { x: LABEL_W, y: y, width: w, height: BAR_H, class: 'b' + (j + 1) }));
      root.appendChild(svg('text', { x: LABEL_W + w + 4, y: y + BAR_H - 2 }, fmt(v)));
    });
  });
  root.appendChild(svg('line', { x1: LABEL_W, y1: legendH, x2: LABEL_W, y2: H, class: 'axis' }));
  if (series.length > 1) {
    series.forEach(function (name, j) {
      var x = LABEL_W + j * 90;
      root.appendChild(svg('rect', { x: x, y: 2, width: 10, height: 10, class: 'b' + (j + 1) }));
      root.appendChild(svg('text', { x: x + 14, y: 11 }, name));
    });
  }
  return el('figure', null, [el('figcaption', { text: title }), root]);
}

function renderCharts(suite) {
  var vs = suite.variants;
  if (!vs.length) return null;
  var hasJudge = vs.some(function (v) { return v.judgeCostUsd != null && v.judgeCostUsd > 0; });
  var cost = barChart('Cost per variant', vs.map(function (v) {
    return { label: v.name, values: hasJudge ? [v.costUsd, v.judgeCostUsd] : [v.costUsd] };
  }), hasJudge ? ['model', 'judge'] : ['cost'], formatUsd);
  var latency = barChart('Latency per variant', vs.map(function (v) {
    var l = v.latencyMs || {};
    return { label: v.name, values: [l.p50, l.p95] };
  }), ['p50', 'p95'], formatMs);
  return el('div', { class: 'charts' }, [cost, latency]);
}

function renderConfusion(suite) {
  var parts = [];
  suite.variants.forEach(function (v) {
    var cls = v.classification;
    if (!cls || !cls.confusion || !cls.confusion.labels.length) return;
    var labels = cls.confusion.labels, m = cls.confusion.matrix;
    var max = 1;
    m.forEach(function (row) { row.forEach(function (n) { if (n > max) max = n; }); });
    var table = el('table', { class: 'cm' }, [
      el('thead', null, el('tr', null, [el('th', { text: 'expected \\ predicted' })].concat(labels.map(function (l) { return el('th', { text: l }); })))),
      el('tbody', null, labels.map(function (l, i) {
        return el('tr', null, [el('th', { text: l })].concat(labels.map(function (_, j) {
          var n = (m[i] && m[i][j]) || 0;
          var td = el('td', { class: i === j ? 'diag' : null, text: formatCount(n) });
          // Set through the CSSOM (allowed by the page's style-src), shading by count.
          if (n > 0) td.style.backgroundColor = 'rgba(9,105,218,' + (0.08 + 0.5 * n / max).toFixed(3) + ')';
          return td;
        })));
      })),
    ]);
    var per = el('table', null, [
      el('thead', null, el('tr', null, ['Label', 'Precision', 'Recall', 'F1', 'Support'].map(function (h, i) { return el('th', { class: i ? 'num' : null, text: h }); }))),
      el('tbody', null, Object.keys(cls.perLabel || {}).map(function (l) {
        var p = cls.perLabel[l];
        return el('tr', null, [el('td', { text: l }), el('td', { class: 'num', text: formatScore(p.precision) }), el('td', { class: 'num', text: formatScore(p.recall) }), el('td', { class: 'num', text: formatScore(p.f1) }), el('td', { class: 'num', text: formatCount(p.support) })]);
      })),
    ]);
    parts.push(el('div', { class: 'confusion' }, [
      el('h3', { text: 'Confusion matrix: ' + v.name + ' (accuracy ' + formatPercent(cls.accuracy) + ', macro-F1 ' + formatScore(cls.macroF1) + ')' }),
      el('div', { class: 'charts' }, [table, per]),
    ]));
  });
  return parts;
}

function renderSuite(suite) {
  return el('section', { class: 'suite', data: { suite: suite.name } }, [
    el('h2', { text: 'Suite: ' + suite.name }),
    el('div', { class: 'scroll' }, renderMatrix(suite)),
    renderCharts(suite),
  ].concat(renderConfusion(suite)));
}

// ------------------------------------------------------------------ case explorer
var PAGE_SIZE = 50;
// id: one exact case id (a verdict chip or a #case= link); typing a search clears it.
var state = { suite: '', failing: false, changed: false, tag: '', q: '', id: '', page: 0, a: '', b: '' };
var filtered = ordered;

function searchText(g) {
  if (g.text != null) return g.text;
  var parts = [g.id, g.suite, valueText(g.vars), g.hasExpected ? valueText(g.expected) : '', g.tags.join(' ')];
  g.cells.forEach(function (list) {
    list.forEach(function (r) {
      if (r.output != null) parts.push(r.output);
      if (r.toolCalls) parts.push(r.toolCalls.join('\n'));
      r.grades.forEach(function (x) { parts.push(x.grader, x.reason); });
      if (r.error) parts.push(r.error.kind, r.error.message);
    });
  });
  g.text = parts.join('\n').toLowerCase();
  return g.text;
}

function applyFilters() {
  var q = state.q.trim().toLowerCase();
  filtered = ordered.filter(function (g) {
    if (state.suite && g.suite !== state.suite) return false;
    if (state.id && g.id !== state.id) return false;
    if (state.failing && !g.failing) return false;
    if (state.changed && !g.changes) return false;
    if (state.tag && g.tags.indexOf(state.tag) < 0) return false;
    if (q && searchText(g).indexOf(q) < 0) return false;
    return true;
  });
  var pages = Math.max(1, Math.ceil(filtered.length / PAGE_SIZE));
  if (state.page >= pages) state.page = pages - 1;
}

function option(value, label, selected) {
  var o = el('option', { value: value, text: label });
  if (selected) o.selected = true;
  return o;
}

var controls = {};
function fillDiffSelects() {
  var vs = variantsFor(state.suite);
  if (vs.indexOf(state.a) < 0) state.a = vs[0] || '';
  if (vs.indexOf(state.b) < 0 || state.b === state.a) state.b = vs.filter(function (v) { return v !== state.a; })[0] || '';
  [['a', controls.a], ['b', controls.b]].forEach(function (pair) {
    var sel = pair[1];
    sel.textContent = '';
    sel.appendChild(option('', '(none)', state[pair[0]] === ''));
    vs.forEach(function (v) { sel.appendChild(option(v, v, state[pair[0]] === v)); });
  });
}

function renderControls() {
  var searchTimer = null;
  controls.suite = el('select', { id: 'f-suite', onchange: function () { state.suite = controls.suite.value; state.page = 0; fillDiffSelects(); update(); } },
    [option('', 'All suites', true)].concat(suiteNames.map(function (s) { return option(s, s, false); })));
  controls.failing = el('input', { type: 'checkbox', id: 'f-failing', onchange: function () { state.failing = controls.failing.checked; state.page = 0; update(); } });
  controls.changed = el('input', { type: 'checkbox', id: 'f-changed', disabled: !comparison, onchange: function () { state.changed = controls.changed.checked; state.page = 0; update(); } });
  controls.tag = el('select', { id: 'f-tag', disabled: !allTags.length, onchange: function () { state.tag = controls.tag.value; state.page = 0; update(); } },
    [option('', allTags.length ? 'All tags' : 'No tags', true)].concat(allTags.map(function (t) { return option(t, t, false); })));
  controls.search = el('input', { type: 'search', id: 'f-search', placeholder: 'Search ids, vars, outputs, reasons', oninput: function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(function () { state.q = controls.search.value; state.id = ''; state.page = 0; update(); }, 120);
  } });
  controls.a = el('select', { id: 'diff-a', onchange: function () { state.a = controls.a.value; renderPage(); } });
  controls.b = el('select', { id: 'diff-b', onchange: function () { state.b = controls.b.value; renderPage(); } });
  fillDiffSelects();
  return el('div', { class: 'controls' }, [
    suiteNames.length > 1 ? el('label', null, ['Suite ', controls.suite]) : null,
    el('label', null, [controls.failing, ' Failing only']),
    el('label', { title: comparison ? 'Cases whose outcome moved against the baseline' : 'No baseline in this run' }, [controls.changed, ' Changed vs baseline']),
    el('label', null, ['Tag ', controls.tag]),
    el('label', null, ['Search ', controls.search]),
    el('label', null, ['Diff ', controls.a, ' → ', controls.b]),
  ]);
}

function pager() {
  var pages = Math.max(1, Math.ceil(filtered.length / PAGE_SIZE));
  function go(p) { return function () { state.page = p; renderPage(); document.getElementById('cases').scrollIntoView(); }; }
  return el('div', { class: 'pager' }, [
    el('button', { type: 'button', class: 'prev', disabled: state.page === 0, onclick: go(state.page - 1), text: '‹ Previous' }),
    el('span', { class: 'pageno', text: 'page ' + (state.page + 1) + ' of ' + pages }),
    el('button', { type: 'button', class: 'next', disabled: state.page >= pages - 1, onclick: go(state.page + 1), text: 'Next ›' }),
  ]);
}

function changeText(variant, c) {
  var t = variant + ': ' + c.change;
  if (c.before && c.after) t += ' (' + c.before.passes + '/' + c.before.n + ' → ' + c.after.passes + '/' + c.after.n + ')';
  return t;
}

function renderCaseCell(g, multiSuite) {
  var kids = [el('div', { class: 'cid', text: g.id })];
  if (multiSuite) kids.push(el('div', { class: 'muted', text: g.suite }));
  if (g.tags.length) kids.push(el('div', null, g.tags.map(function (t) { return el('span', { class: 'chip', text: t }); })));
  if (g.changes) {
    var chg = [];
    g.changes.forEach(function (c, v) { chg.push(el('span', { class: 'chg ' + c.change, text: changeText(v, c) })); });
    kids.push(el('div', null, chg));
  }
  var dl = el('dl');
  Object.keys(g.vars).forEach(function (k) { add(dl, [el('dt', { text: k }), el('dd', null, el('pre', { text: valueText(g.vars[k]) }))]); });
  if (g.hasExpected) add(dl, [el('dt', { text: 'expected' }), el('dd', null, el('pre', { text: valueText(g.expected) }))]);
  kids.push(dl);
  return el('td', { class: 'case' }, kids);
}

function renderRecord(r, showRepeat) {
  var st = statusLabel(r.status);
  var head = [el('span', { class: 'st ' + st, text: st === 'pass' ? '✓ pass' : st === 'fail' ? '✗ fail' : '! error' })];
  if (showRepeat) head.push(' #' + r.repeat);
  head.push(' · score ' + formatScore(r.score));
  if (r.cost != null) head.push(' · ' + formatUsd(r.cost));
  if (r.latency != null) head.push(' · ' + formatMs(r.latency));
  if (r.tokens) head.push(' · ' + compact(r.tokens[0]) + '/' + compact(r.tokens[1]) + ' tok');
  if (r.cached) head.push(' · cached');
  return el('div', { class: 'rec ' + st }, [
    el('div', { class: 'rec-head', title: r.prompt }, head),
    r.error ? el('div', { class: 'errmsg', text: 'error (' + r.error.kind + '): ' + r.error.message }) : null,
    r.output != null && (r.output !== '' || !r.toolCalls) ? el('pre', { class: 'out', text: r.output }) : r.toolCalls ? null : el('div', { class: 'muted', text: 'no output' }),
    renderToolCalls(r),
    renderTranscript(r.conversation),
    r.grades.length ? el('ul', { class: 'grades' }, r.grades.map(function (x) {
      return el('li', { class: x.pass ? 'pass' : 'fail' }, [el('span', { class: 'g', text: (x.pass ? '✓ ' : '✗ ') + x.grader + ' ' + formatScore(x.score) }), x.reason ? ' — ' + x.reason : '']);
    })) : null,
  ]);
}

// The model's tool calls after its text, one 'name(args)' line each (a small transcript).
function renderToolCalls(r) {
  if (!r.toolCalls) return null;
  return el('ul', { class: 'tools' }, r.toolCalls.map(function (line) { return el('li', null, el('code', { text: '→ ' + line })); }));
}

/** A conversation case's transcript (turns, tool calls, tool results), folded under its step count. */
function renderTranscript(conversation) {
  if (!conversation) return null;
  var steps = conversation.steps + ' model call' + (conversation.steps === 1 ? '' : 's');
  return el('details', { class: 'transcript' }, [el('summary', { text: 'Transcript · ' + steps }), el('pre', { class: 'out', text: conversation.transcript })]);
}

function renderDiff(g, colspan) {
  if (!state.a || !state.b || state.a === state.b) return null;
  var ra = g.cells.get(state.a), rb = g.cells.get(state.b);
  if (!ra || !rb) return null;
  var blocks = [];
  ra.forEach(function (x) {
    var y = null;
    for (var i = 0; i < rb.length; i++) if (rb[i].repeat === x.repeat) { y = rb[i]; break; }
    if (!y || x.output == null || y.output == null) return;
    var label = state.a + ' → ' + state.b + (ra.length > 1 || rb.length > 1 ? ' #' + x.repeat : '') + ': ';
    var parts = wordDiff(x.output, y.output);
    var same = parts.every(function (p) { return p[0] === 0; });
    var div = el('div', { class: 'diff' }, [el('span', { class: 'muted', text: label })]);
    if (same) div.appendChild(el('span', { class: 'muted', text: 'identical outputs' }));
    else parts.forEach(function (p) { div.appendChild(el(p[0] === 0 ? 'span' : p[0] < 0 ? 'del' : 'ins', { text: p[1] })); });
    blocks.push(div);
  });
  if (!blocks.length) return null;
  return el('tr', { class: 'diffrow', data: { case: g.id } }, el('td', { colspan: colspan }, blocks));
}

function renderPage() {
  var wrap = document.getElementById('cases-body');
  wrap.textContent = '';
  var vs = variantsFor(state.suite);
  var multiSuite = !state.suite && suiteNames.length > 1;
  var start = state.page * PAGE_SIZE;
  var slice = filtered.slice(start, start + PAGE_SIZE);
  document.getElementById('count').textContent = filtered.length
    ? 'Showing ' + formatCount(start + 1) + '–' + formatCount(start + slice.length) + ' of ' + formatCount(filtered.length) + ' cases' + (filtered.length !== groups.length ? ' (filtered from ' + formatCount(groups.length) + ')' : '')
    : 'No case matches the filters (' + formatCount(groups.length) + ' in the run).';
  var tbody = el('tbody');
  slice.forEach(function (g) {
    var multiRepeat = false;
    g.cells.forEach(function (list) { if (list.length > 1) multiRepeat = true; });
    var tr = el('tr', { class: 'case' + (g.failing ? ' failing' : ''), data: { case: g.id, suite: g.suite } }, [renderCaseCell(g, multiSuite)]);
    vs.forEach(function (v) {
      var list = g.cells.get(v) || [];
      var c = g.changes && g.changes.get(v);
      tr.appendChild(el('td', { class: 'variant', data: { variant: v } }, [c ? el('span', { class: 'chg ' + c.change, text: c.change }) : null]
        .concat(list.length ? list.map(function (r) { return renderRecord(r, multiRepeat); }) : [el('span', { class: 'muted', text: '—' })])));
    });
    tbody.appendChild(tr);
    var d = renderDiff(g, vs.length + 1);
    if (d) tbody.appendChild(d);
  });
  var table = el('table', { class: 'cases' }, [
    el('thead', null, el('tr', null, [el('th', { class: 'casecol', text: 'Case' })].concat(vs.map(function (v) { return el('th', { text: v }); })))),
    tbody,
  ]);
  add(wrap, [pager(), table, slice.length > 10 ? pager() : null]);
}

function update() { applyFilters(); renderPage(); }

function focusCase(suite, id) {
  state.suite = suiteNames.indexOf(suite) >= 0 ? suite : '';
  controls.suite.value = state.suite;
  fillDiffSelects();
  state.failing = false; controls.failing.checked = false;
  state.changed = false; controls.changed.checked = false;
  state.tag = ''; controls.tag.value = '';
  state.q = id; controls.search.value = id;
  state.id = id;
  state.page = 0;
  update();
  document.getElementById('cases').scrollIntoView();
}

// #case=<suite>/<id>, each part percent-encoded (caseLink.ts writes them): summary.md links here.
function caseFromHash(hash) {
  if (hash.slice(0, 6) !== '#case=') return null;
  var rest = hash.slice(6), slash = rest.indexOf('/');
  if (slash < 0) return null;
  try { return { suite: decodeURIComponent(rest.slice(0, slash)), id: decodeURIComponent(rest.slice(slash + 1)) }; } catch (e) { return null; }
}
function focusHashCase() {
  var target = caseFromHash(location.hash || '');
  if (target) focusCase(target.suite, target.id);
}

function renderExplorer() {
  return el('section', { id: 'cases' }, [
    el('h2', { text: 'Cases' }),
    renderControls(),
    el('div', { id: 'count', class: 'muted', role: 'status' }),
    el('div', { id: 'cases-body' }),
  ]);
}

// ------------------------------------------------------------------ build the page
var app = document.getElementById('app');
add(app, [renderHeader(), renderVerdict(), renderWarnings(), renderComparison()]);
(report.suites || []).forEach(function (s) { app.appendChild(renderSuite(s)); });
app.appendChild(renderExplorer());
update();
focusHashCase();
window.addEventListener('hashchange', focusHashCase);
document.documentElement.dataset.ready = '1';
`;

/** The complete inline script of report.html. */
export function clientScript(): string {
  const shared = SHIPPED_FUNCTIONS.map((fn) => fn.toString()).join('\n');
  // format.ts's functions share its `NA` constant; give the page the same one.
  return `(function () {\n'use strict';\nvar NA = 'n/a';\n${shared}\n${APP}\n})();\n`;
}
