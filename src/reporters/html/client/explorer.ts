import type { CaseChange } from '../../../types.js';
import type { Comparison } from '../../../comparison/compare.js';
import type { ExplainData, RenderedMessages, RenderedPrompts } from '../explainFormat.js';
import { compact, formatCount, formatMs, formatScore, formatUsd } from '../../format.js';
import { wordDiff } from '../wordDiff.js';
import { add, bdi, el, option, valueText, type Child } from './dom.js';
import { statusLabel, type Group, type Rec } from './data.js';
import { renderMarkdown } from './markdown.js';
import { pushAll } from '../../../util/arrays.js';

export const PAGE_SIZE = 50;
const EXCERPT = 140;

type ChangeFilter = '' | 'changed' | 'newly-failing' | 'newly-passing';
type SortKey = 'change' | 'score' | 'cost' | 'latency';

interface State {
  suite: string;
  failing: boolean;
  /** A variant name: cases failing in that variant. */
  failIn: string;
  errored: boolean;
  change: ChangeFilter;
  tag: string;
  q: string;
  /** Exact case ids (a verdict chip, a "… N more" or a #case= link); typing a search clears them. */
  ids: Set<string> | null;
  sort: SortKey;
  page: number;
  a: string;
  b: string;
  markdown: boolean;
  open: Set<Group>;
}

export interface ExplorerInput {
  groups: Group[];
  comparison: Comparison | undefined;
  explain: ExplainData | undefined;
  prompts: RenderedPrompts | undefined;
  suiteVariants: Map<string, string[]>;
}

/** Splits text around case-insensitive hits of `q`, marking them (textContent only). */
export function highlighted(text: string, q: string): Node[] {
  if (!q) return [document.createTextNode(text)];
  const lower = text.toLowerCase();
  const out: Node[] = [];
  let from = 0;
  for (let at = lower.indexOf(q); at >= 0; at = lower.indexOf(q, at + q.length)) {
    if (at > from) out.push(document.createTextNode(text.slice(from, at)));
    out.push(el('mark', { text: text.slice(at, at + q.length) }));
    from = at + q.length;
  }
  if (from < text.length) out.push(document.createTextNode(text.slice(from)));
  return out;
}

function diffNode(a: string, b: string, label: Child[]): HTMLElement {
  const parts = wordDiff(a, b);
  const div = el('div', { class: 'diff' }, [el('span', { class: 'muted' }, label)]);
  if (parts.every((p) => p[0] === 0)) div.appendChild(el('span', { class: 'muted', text: 'identical' }));
  else for (const [op, text] of parts) div.appendChild(el(op === 0 ? 'span' : op < 0 ? 'del' : 'ins', { text }));
  return div;
}

const explainKey = (...parts: string[]): string => parts.join('\u0000');

export class Explorer {
  readonly root: HTMLElement;
  private readonly body: HTMLElement;
  private readonly count: HTMLElement;
  private readonly c: {
    suite: HTMLSelectElement; failing: HTMLInputElement; failIn: HTMLSelectElement; errored: HTMLInputElement; change: HTMLSelectElement;
    tag: HTMLSelectElement; search: HTMLInputElement; sort: HTMLSelectElement; a: HTMLSelectElement; b: HTMLSelectElement; markdown: HTMLInputElement;
  };
  private state: State = { suite: '', failing: false, failIn: '', errored: false, change: '', tag: '', q: '', ids: null, sort: 'change', page: 0, a: '', b: '', markdown: false, open: new Set() };
  private input: ExplorerInput | null = null;
  private ordered: Group[] = [];
  private filtered: Group[] = [];
  private readonly suiteNames: string[];

  constructor(suiteNames: string[], hasComparison: boolean) {
    this.suiteNames = suiteNames;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const reset = (fn: () => void) => () => {
      fn();
      this.state.page = 0;
      this.update();
    };
    const c = {
      suite: el('select', { id: 'f-suite' }, [option('', 'All suites', true), ...suiteNames.map((s) => option(s, s, false))]),
      failing: el('input', { type: 'checkbox', id: 'f-failing' }),
      failIn: el('select', { id: 'f-failin', 'aria-label': 'Failing in variant' }),
      errored: el('input', { type: 'checkbox', id: 'f-errored' }),
      change: el('select', { id: 'f-change', disabled: !hasComparison }, [
        option('', hasComparison ? 'Any' : 'No baseline', true),
        option('changed', 'Changed', false),
        option('newly-failing', 'Newly failing', false),
        option('newly-passing', 'Newly passing', false),
      ]),
      tag: el('select', { id: 'f-tag' }),
      search: el('input', { type: 'search', id: 'f-search', placeholder: 'Search ids, vars, outputs, reasons' }),
      sort: el('select', { id: 'f-sort' }, [option('change', hasComparison ? 'Changes first' : 'Run order', true), option('score', 'Score (lowest first)', false), option('cost', 'Cost (highest first)', false), option('latency', 'Latency (slowest first)', false)]),
      a: el('select', { id: 'diff-a' }),
      b: el('select', { id: 'diff-b' }),
      markdown: el('input', { type: 'checkbox', id: 'f-markdown' }),
    };
    this.c = c;
    c.suite.addEventListener('change', reset(() => { this.state.suite = c.suite.value; this.state.ids = null; this.fillVariantSelects(); }));
    c.failing.addEventListener('change', reset(() => (this.state.failing = c.failing.checked)));
    c.failIn.addEventListener('change', reset(() => (this.state.failIn = c.failIn.value)));
    c.errored.addEventListener('change', reset(() => (this.state.errored = c.errored.checked)));
    c.change.addEventListener('change', reset(() => (this.state.change = c.change.value as ChangeFilter)));
    c.tag.addEventListener('change', reset(() => (this.state.tag = c.tag.value)));
    c.sort.addEventListener('change', reset(() => (this.state.sort = c.sort.value as SortKey)));
    c.search.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(reset(() => { this.state.q = c.search.value; this.state.ids = null; }), 120);
    });
    c.a.addEventListener('change', () => { this.state.a = c.a.value; this.renderPage(); });
    c.b.addEventListener('change', () => { this.state.b = c.b.value; this.renderPage(); });
    c.markdown.addEventListener('change', () => { this.state.markdown = c.markdown.checked; this.renderPage(); });
    this.count = el('div', { id: 'count', class: 'muted', role: 'status', text: 'Loading the cases…' });
    this.body = el('div', { id: 'cases-body', 'aria-busy': 'true' }, el('div', { class: 'loading', text: 'Loading the cases…' }));
    this.root = el('section', { id: 'cases' }, [
      el('h2', { text: 'Cases' }),
      el('div', { class: 'controls' }, [
        suiteNames.length > 1 ? el('label', null, ['Suite ', c.suite]) : null,
        el('label', null, [c.failing, ' Failing']),
        el('label', null, ['Failing in ', c.failIn]),
        el('label', null, [c.errored, ' Errored']),
        el('label', { title: hasComparison ? 'Cases whose outcome moved against the baseline' : 'No baseline in this run' }, ['Vs baseline ', c.change]),
        el('label', null, ['Tag ', c.tag]),
        el('label', null, ['Sort ', c.sort]),
        el('label', { class: 'grow' }, ['Search ', c.search]),
        el('label', null, ['Diff ', c.a, ' → ', c.b]),
        el('label', null, [c.markdown, ' Render Markdown']),
      ]),
      this.count,
      this.body,
    ]);
  }

  /** The rows are decoded: fill the filters and show the first page. */
  load(input: ExplorerInput): void {
    this.input = input;
    const tags = new Set<string>();
    for (const g of input.groups) for (const t of g.tags) tags.add(t);
    const allTags = [...tags].sort();
    this.c.tag.disabled = !allTags.length;
    add(this.c.tag, [option('', allTags.length ? 'All tags' : 'No tags', true), ...allTags.map((t) => option(t, t, false))]);
    this.fillVariantSelects();
    this.body.removeAttribute('aria-busy');
    this.update();
  }

  private variantsFor(suite: string): string[] {
    const sv = this.input?.suiteVariants ?? new Map<string, string[]>();
    if (suite) return sv.get(suite) ?? [];
    const all: string[] = [];
    for (const list of sv.values()) for (const v of list) if (!all.includes(v)) all.push(v);
    return all;
  }

  private fillVariantSelects(): void {
    const vs = this.variantsFor(this.state.suite);
    const s = this.state;
    if (!vs.includes(s.a)) s.a = vs[0] ?? '';
    if (!vs.includes(s.b) || s.b === s.a) s.b = vs.find((v) => v !== s.a) ?? '';
    if (!vs.includes(s.failIn)) s.failIn = '';
    for (const [key, sel] of [['a', this.c.a], ['b', this.c.b], ['failIn', this.c.failIn]] as const) {
      sel.textContent = '';
      sel.appendChild(option('', key === 'failIn' ? 'any variant' : '(none)', s[key] === ''));
      for (const v of vs) sel.appendChild(option(v, v, s[key] === v));
    }
  }

  private searchText(g: Group): string {
    if (g.text != null) return g.text;
    const parts = [g.id, g.suite, valueText(g.vars), g.hasExpected ? valueText(g.expected) : '', g.tags.join(' ')];
    for (const list of g.cells.values()) {
      for (const r of list) {
        if (r.output != null) parts.push(r.output);
        if (r.toolCalls) pushAll(parts, r.toolCalls);
        for (const x of r.grades) parts.push(x.grader, x.reason);
        if (r.error) parts.push(r.error.kind, r.error.message);
      }
    }
    return (g.text = parts.join('\n').toLowerCase());
  }

  private sortKey(g: Group): number {
    let score = 0;
    let n = 0;
    let cost = 0;
    let latency = 0;
    for (const list of g.cells.values()) {
      for (const r of list) {
        score += r.score;
        n++;
        cost += r.cost ?? 0;
        latency = Math.max(latency, r.latency ?? 0);
      }
    }
    switch (this.state.sort) {
      case 'score': return n ? score / n : 0;
      case 'cost': return -cost;
      case 'latency': return -latency;
      default: return Math.min(g.rank, 2);
    }
  }

  private applyFilters(): void {
    const s = this.state;
    const groups = this.input?.groups ?? [];
    const keys = new Map<Group, number>();
    for (const g of groups) keys.set(g, this.sortKey(g));
    this.ordered = groups.slice().sort((a, b) => keys.get(a)! - keys.get(b)! || a.idx - b.idx);
    const q = s.q.trim().toLowerCase();
    const hasChange = (g: Group, kind: CaseChange['change']): boolean => !!g.changes && [...g.changes.values()].some((c) => c.change === kind);
    this.filtered = this.ordered.filter((g) => {
      if (s.suite && g.suite !== s.suite) return false;
      if (s.ids && !s.ids.has(g.id)) return false;
      if (s.failing && !g.failing) return false;
      if (s.failIn && !(g.cells.get(s.failIn) ?? []).some((r) => r.status !== 1)) return false;
      if (s.errored && !g.errored) return false;
      if (s.change === 'changed' && !g.changes) return false;
      if ((s.change === 'newly-failing' || s.change === 'newly-passing') && !hasChange(g, s.change)) return false;
      if (s.tag && !g.tags.includes(s.tag)) return false;
      if (q && !s.ids && !this.searchText(g).includes(q)) return false;
      return true;
    });
    const pages = Math.max(1, Math.ceil(this.filtered.length / PAGE_SIZE));
    if (s.page >= pages) s.page = pages - 1;
    // One case left (a deep link, a chip): open its details.
    if (this.filtered.length === 1) s.open.add(this.filtered[0]!);
  }

  update(): void {
    if (!this.input) return;
    this.applyFilters();
    this.renderPage();
  }

  private resetFilters(suite: string): void {
    const s = this.state;
    const c = this.c;
    s.suite = this.suiteNames.includes(suite) ? suite : '';
    c.suite.value = s.suite;
    this.fillVariantSelects();
    s.failing = c.failing.checked = false;
    s.errored = c.errored.checked = false;
    s.failIn = c.failIn.value = '';
    s.change = '';
    c.change.value = '';
    s.tag = c.tag.value = '';
    s.page = 0;
  }

  /** Shows exactly one case (a verdict chip, a #case= link), its details open. */
  focusCase(suite: string, id: string): void {
    this.resetFilters(suite);
    this.state.q = this.c.search.value = id;
    this.state.ids = new Set([id]);
    this.update();
    this.root.scrollIntoView();
  }

  /** Shows a list of cases ("… N more" under a gate failure). */
  showCases(suite: string, ids: string[]): void {
    this.resetFilters(suite);
    this.state.q = this.c.search.value = '';
    this.state.ids = new Set(ids);
    this.update();
    this.root.scrollIntoView();
  }

  showChange(change: 'newly-failing' | 'newly-passing'): void {
    this.resetFilters('');
    this.state.q = this.c.search.value = '';
    this.state.ids = null;
    this.state.change = change;
    this.c.change.value = change;
    this.update();
    this.root.scrollIntoView();
  }

  private pager(): HTMLElement {
    const pages = Math.max(1, Math.ceil(this.filtered.length / PAGE_SIZE));
    const go = (p: number) => () => {
      this.state.page = Math.min(pages - 1, Math.max(0, p));
      this.renderPage();
    };
    const jump = el('input', { type: 'number', class: 'jump', 'aria-label': 'Go to page', value: String(this.state.page + 1) });
    jump.min = '1';
    jump.max = String(pages);
    jump.addEventListener('change', () => go(Number(jump.value) - 1)());
    return el('div', { class: 'pager' }, [
      el('button', { type: 'button', class: 'prev', disabled: this.state.page === 0, text: '‹ Previous', on: { click: go(this.state.page - 1) } }),
      el('span', { class: 'pageno', text: `page ${this.state.page + 1} of ${pages}` }),
      el('button', { type: 'button', class: 'next', disabled: this.state.page >= pages - 1, text: 'Next ›', on: { click: go(this.state.page + 1) } }),
      el('label', null, ['Go to page ', jump]),
      el('button', { type: 'button', class: 'open-all', text: 'Open all on this page', on: { click: () => this.openAll() } }),
    ]);
  }

  renderPage(): void {
    const s = this.state;
    const total = this.input?.groups.length ?? 0;
    const start = s.page * PAGE_SIZE;
    const slice = this.filtered.slice(start, start + PAGE_SIZE);
    this.count.textContent = this.filtered.length
      ? `Showing ${formatCount(start + 1)}–${formatCount(start + slice.length)} of ${formatCount(this.filtered.length)} cases${this.filtered.length !== total ? ` (filtered from ${formatCount(total)})` : ''}`
      : `No case matches the filters (${formatCount(total)} in the run).`;
    const vs = this.variantsFor(s.suite);
    const multiSuite = !s.suite && this.suiteNames.length > 1;
    const q = s.ids ? '' : s.q.trim().toLowerCase();
    const list = el('ol', { class: 'caselist' });
    for (const g of slice) list.appendChild(this.caseItem(g, vs, multiSuite, q));
    this.body.textContent = '';
    add(this.body, [this.pager(), list, slice.length > 10 ? this.pager() : null]);
  }

  private excerpt(g: Group, q: string): Node[] {
    let text = '';
    for (const rs of g.cells.values()) {
      const r = rs.find((x) => x.status !== 1) ?? rs[0];
      if (r) {
        text = r.error ? `${r.error.kind}: ${r.error.message}` : (r.output ?? '');
        if (r.status !== 1) break;
      }
    }
    text = text.replace(/\s+/g, ' ');
    if (q) {
      const at = text.toLowerCase().indexOf(q);
      if (at > EXCERPT - q.length - 10) text = `…${text.slice(Math.max(0, at - 40))}`;
    }
    if (text.length > EXCERPT) text = `${text.slice(0, EXCERPT)}…`;
    return highlighted(text, q);
  }

  private caseItem(g: Group, vs: string[], multiSuite: boolean, q: string): HTMLElement {
    const open = this.state.open.has(g);
    const pills = vs.map((v) => {
      const recs = g.cells.get(v) ?? [];
      const c = g.changes?.get(v);
      const passes = recs.filter((r) => r.status === 1).length;
      const st = !recs.length ? 'none' : recs.some((r) => r.status === 2) ? 'error' : passes === recs.length ? 'pass' : 'fail';
      const label = !recs.length ? '—' : recs.length > 1 ? `${passes}/${recs.length}` : st === 'pass' ? '✓' : st === 'error' ? '!' : '✗';
      return el('span', { class: `pill ${st}${c ? ` ${c.change}` : ''}`, title: `${v}: ${st}${c ? ` (${c.change})` : ''}`, data: { variant: v } }, [bdi(v), ` ${label}`]);
    });
    const head = el('button', { type: 'button', class: 'case-head', on: { click: () => this.toggle(g) } }, [
      el('span', { class: 'cid' }, highlighted(g.id, q)),
      multiSuite ? el('span', { class: 'muted suite-name' }, [' ', bdi(g.suite)]) : null,
      el('span', { class: 'pills' }, pills),
      g.tags.length ? el('span', { class: 'tags' }, g.tags.map((t) => el('span', { class: 'chip', text: t }))) : null,
      el('span', { class: 'excerpt' }, this.excerpt(g, q)),
    ]);
    head.setAttribute('aria-expanded', open ? 'true' : 'false');
    return el('li', { class: `case${g.failing ? ' failing' : ''}${open ? ' open' : ''}`, data: { case: g.id, suite: g.suite } }, [head, open ? this.details(g, vs, q) : null]);
  }

  private openAll(): void {
    const start = this.state.page * PAGE_SIZE;
    for (const g of this.filtered.slice(start, start + PAGE_SIZE)) this.state.open.add(g);
    this.renderPage();
  }

  private toggle(g: Group): void {
    if (this.state.open.has(g)) this.state.open.delete(g);
    else this.state.open.add(g);
    this.renderPage();
  }

  private details(g: Group, vs: string[], q: string): HTMLElement {
    const s = this.state;
    const dl = el('dl', { class: 'vars' });
    for (const [k, v] of Object.entries(g.vars)) add(dl, [el('dt', null, bdi(k)), el('dd', null, el('pre', null, highlighted(valueText(v), q)))]);
    if (g.hasExpected) add(dl, [el('dt', { text: 'expected' }), el('dd', null, el('pre', null, highlighted(valueText(g.expected), q)))]);
    const shown = vs.filter((v) => g.cells.has(v));
    const columns = el(
      'div',
      { class: 'sbs' },
      shown.map((v) => {
        const c = g.changes?.get(v);
        return el('div', { class: 'col', data: { variant: v } }, [
          el('div', { class: 'colhead' }, [bdi(v), c ? el('span', { class: `chg ${c.change}`, text: changeText(c) }) : null]),
          ...(g.cells.get(v) ?? []).map((r) => this.record(r, (g.cells.get(v)?.length ?? 0) > 1, q)),
          this.messagesSent(g, v),
          c ? this.explainChange(g, v) : null,
        ]);
      }),
    );
    const diffs: HTMLElement[] = [];
    const ra = g.cells.get(s.a);
    const rb = g.cells.get(s.b);
    if (s.a && s.b && s.a !== s.b && ra && rb) {
      for (const x of ra) {
        const y = rb.find((r) => r.repeat === x.repeat);
        if (!y || x.output == null || y.output == null) continue;
        diffs.push(diffNode(x.output, y.output, [bdi(s.a), ' → ', bdi(s.b), ra.length > 1 || rb.length > 1 ? ` #${x.repeat}` : '', ': ']));
      }
    }
    return el('div', { class: 'details' }, [
      dl,
      columns,
      diffs.length ? el('div', { class: 'variant-diff' }, [el('h4', { text: 'Between variants' }), ...diffs]) : null,
    ]);
  }

  /** Why a case changed against the baseline: the baseline's output beside this run's, and the prompt's diff when its hash changed. */
  private explainChange(g: Group, variant: string): HTMLElement | null {
    const ex = this.input?.explain;
    if (!ex) return null;
    const parts: HTMLElement[] = [];
    const before = ex.baselineOutputs[explainKey(g.suite, variant, g.id)];
    const now = g.cells.get(variant)?.[0];
    if (before != null && now?.output != null) {
      parts.push(el('div', { class: 'muted', text: 'Baseline output' }), el('pre', { class: 'out baseline-out', text: before }), diffNode(before, now.output, [document.createTextNode('baseline → this run: ')]));
    }
    const beforePrompt = ex.baselinePrompts[explainKey(g.suite, variant)];
    if (beforePrompt && now && beforePrompt !== now.prompt) {
      const a = ex.templates[beforePrompt];
      const b = ex.templates[now.prompt];
      parts.push(
        el('div', { class: 'muted' }, ['Prompt changed: ', bdi(beforePrompt), ' → ', bdi(now.prompt)]),
        a != null && b != null ? diffNode(a, b, [document.createTextNode('template: ')]) : el('div', { class: 'muted', text: 'template texts not stored for this run' }),
      );
      const rp = this.input?.prompts;
      const beforeError = rp?.templateErrors[beforePrompt];
      const sent = rp?.byCase[explainKey(g.suite, g.id, beforePrompt)] ?? (beforeError ? { error: beforeError } : undefined);
      if (sent) parts.push(messagesNode(sent, ['Baseline’s messages (', bdi(beforePrompt), ', same vars)'], 'baseline-messages'));
    }
    return parts.length ? el('div', { class: 'explain' }, parts) : null;
  }

  /**
   * The messages this variant sent for the case, rendered when the report was written (failing and
   * changed cases only, bounded; renderedPrompts.ts). A conversation case shows its transcript instead.
   */
  private messagesSent(g: Group, variant: string): HTMLElement | null {
    const recs = g.cells.get(variant) ?? [];
    const r = recs[0];
    const rp = this.input?.prompts;
    if (!r || !rp || r.conversation) return null;
    const label = ['Messages sent (', bdi(r.prompt), ')'];
    const sent = rp.byCase[explainKey(g.suite, g.id, r.prompt)];
    if (sent) return messagesNode(sent, label, 'sent-messages');
    const explained = recs.some((x) => x.status !== 1) || !!g.changes?.get(variant);
    if (!explained) return null;
    const error = rp.templateErrors[r.prompt];
    if (error) return messagesNode({ error }, label, 'sent-messages');
    if (!rp.omitted) return null;
    return el('div', { class: 'muted small sent-messages', text: `Messages sent: not embedded; this report renders them for the first ${formatCount(rp.maxCases)} failing or changed cases only (${formatCount(rp.omitted)} more left out).` });
  }

  private record(r: Rec, showRepeat: boolean, q: string): HTMLElement {
    const st = statusLabel(r.status);
    const head: Array<Node | string> = [el('span', { class: `st ${st}`, text: st === 'pass' ? '✓ pass' : st === 'fail' ? '✗ fail' : '! error' })];
    if (showRepeat) head.push(` #${r.repeat}`);
    head.push(` · score ${formatScore(r.score)}`);
    if (r.cost != null) head.push(` · ${formatUsd(r.cost)}`);
    if (r.latency != null) head.push(` · ${formatMs(r.latency)}`);
    if (r.ttft != null) head.push(` · TTFT ${formatMs(r.ttft)}`);
    if (r.tokens) head.push(` · ${compact(r.tokens[0])}/${compact(r.tokens[1])} tok`);
    if (r.cached) head.push(' · cached');
    // A reply that only called tools has "" as its text: its calls are the answer.
    const out = r.output === '' && r.toolCalls ? null : r.output == null ? el('div', { class: 'muted', text: 'no output' }) : this.state.markdown ? renderMarkdown(r.output) : el('pre', { class: 'out' }, highlighted(r.output, q));
    return el('div', { class: `rec ${st}` }, [
      el('div', { class: 'rec-head', title: r.prompt }, head),
      el('div', { class: 'muted small' }, ['prompt ', bdi(r.prompt)]),
      r.error ? el('div', { class: 'errmsg' }, [`error (${r.error.kind}): `, bdi(r.error.message)]) : null,
      out,
      toolCallList(r),
      transcriptNode(r),
      r.grades.length
        ? el('ul', { class: 'grades' }, r.grades.map((x) => el('li', { class: x.pass ? 'pass' : 'fail' }, [el('span', { class: 'g' }, [x.pass ? '✓ ' : '✗ ', bdi(x.grader), ` ${formatScore(x.score)}`]), x.reason ? ' — ' : '', x.reason ? el('bdi', null, highlighted(x.reason, q)) : null])))
        : null,
    ]);
  }
}

/** Rendered messages (role, then text), folded under `label`; or why they could not be rendered. */
function messagesNode(sent: RenderedMessages, label: Child[], cls: string): HTMLElement {
  if ('error' in sent) return el('div', { class: `${cls} messages warn small` }, [el('span', null, label), ': ', bdi(sent.error)]);
  return el('details', { class: `${cls} messages` }, [
    el('summary', null, label),
    ...sent.m.map(([role, text]) => el('div', { class: 'msg', data: { role } }, [el('div', { class: 'role', text: role }), el('pre', { class: 'out', text })])),
  ]);
}

/** The model's tool calls after its text, one `→ name(args)` line each. */
function toolCallList(r: Rec): HTMLElement | null {
  if (!r.toolCalls) return null;
  return el('ul', { class: 'tools' }, r.toolCalls.map((line) => el('li', null, el('code', null, ['→ ', bdi(line)]))));
}

/** A conversation case's transcript (turns, tool calls, tool results), folded under its model-call count. */
function transcriptNode(r: Rec): HTMLElement | null {
  const c = r.conversation;
  if (!c) return null;
  const steps = `${c.steps} model call${c.steps === 1 ? '' : 's'}`;
  return el('details', { class: 'transcript' }, [el('summary', { text: `Transcript · ${steps}` }), el('pre', { class: 'out', text: c.transcript })]);
}

export function changeText(c: CaseChange): string {
  let t = c.change;
  if (c.before && c.after) t += ` (${c.before.passes}/${c.before.n} → ${c.after.passes}/${c.after.n})`;
  return t;
}
