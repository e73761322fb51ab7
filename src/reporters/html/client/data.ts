import type { CaseChange, GateVerdict, RunReport } from '../../../types.js';
import type { Comparison, VariantComparison } from '../../../comparison/compare.js';
import { applyOutputDelta, type EncodedRow, type GroupDef, type Ref } from '../rowFormat.js';
import type { ExplainData, RenderedPrompts } from '../explainFormat.js';

/** The first data block: everything but the rows, small, parsed before the first paint. */
export interface HeadPayload {
  v: number;
  report: RunReport & { comparison?: Comparison };
  verdict?: GateVerdict;
  explain?: ExplainData;
}

/** The second data block: the case rows and the string table they refer to. */
export interface RowsPayload {
  rows: EncodedRow[];
  strings: string[];
  /** The messages sent for the failing and changed cases (absent in reports written before them). */
  prompts?: RenderedPrompts;
}

export interface GradeView {
  grader: string;
  pass: boolean;
  score: number;
  reason: string;
}

/** One decoded case record (a row of results.jsonl: one case × variant × repeat). */
export interface Rec {
  variant: string;
  repeat: number;
  /** 1 passed, 0 failed, 2 errored */
  status: 0 | 1 | 2;
  score: number;
  output: string | null;
  grades: GradeView[];
  cost: number | null;
  latency: number | null;
  ttft: number | null;
  tokens: [number, number] | null;
  cached: boolean;
  error: { kind: string; message: string } | null;
  prompt: string;
  judgeCost: number | null;
  /** The model's tool calls as `name(args)` lines. */
  toolCalls: string[] | null;
  /** A conversation case's model calls and transcript. */
  conversation: { steps: number; transcript: string } | null;
}

/** One case (a dataset row): every variant's and repeat's record of it. */
export interface Group {
  idx: number;
  suite: string;
  id: string;
  vars: Record<string, unknown>;
  hasExpected: boolean;
  expected: unknown;
  tags: string[];
  cells: Map<string, Rec[]>;
  failing: boolean;
  errored: boolean;
  changes: Map<string, CaseChange> | null;
  /** 0 newly failing, 1 newly passing, 2 added/removed, 3 unchanged. */
  rank: number;
  text: string | null;
}

export function readJson<T>(id: string): T | null {
  const node = document.getElementById(id);
  return node?.textContent ? (JSON.parse(node.textContent) as T) : null;
}

export const KEY_SEP = '\u0000';
export const caseKey = (suite: string, id: string): string => suite + KEY_SEP + id;

/** Decodes rows written by payload.ts, a slice at a time, into case groups. */
export class Decoder {
  readonly groups: Group[] = [];
  readonly records: Rec[] = [];
  private readonly strings: string[];
  constructor(private readonly payload: RowsPayload) {
    this.strings = payload.strings;
  }

  get total(): number {
    return this.payload.rows.length;
  }

  private str(v: Ref): string {
    return typeof v === 'number' ? (this.strings[v] ?? '') : v;
  }

  /** Decodes rows [from, to); returns the next index. */
  decode(from: number, to: number): number {
    const rows = this.payload.rows;
    const end = Math.min(to, rows.length);
    for (let i = from; i < end; i++) {
      const r = rows[i]!;
      const g = typeof r[0] === 'number' ? this.groups[r[0]]! : this.newGroup(r[0]);
      const o = r[5];
      let output: string | null;
      if (!Array.isArray(o)) output = o == null ? null : this.str(o);
      else {
        const base = this.records[o[0]]?.output ?? '';
        output = o.length === 1 ? base : applyOutputDelta(base, o[1], o[2], o[3]);
      }
      const rec: Rec = {
        variant: this.str(r[1]),
        repeat: r[2],
        status: r[3],
        score: r[4],
        output,
        grades: (r[6] ?? []).map((x) => ({ grader: this.str(x[0]), pass: x[1] === 1, score: x[2], reason: this.str(x[3]) })),
        cost: r[7],
        latency: r[8],
        tokens: r[9] || null,
        cached: r[10] === 1,
        error: r[11] ? { kind: this.str(r[11][0]), message: this.str(r[11][1]) } : null,
        prompt: this.str(r[12]),
        judgeCost: r[13],
        ttft: r[14] ?? null,
        toolCalls: r[15] || null,
        conversation: r[16] ? { steps: r[16][0], transcript: r[16][1] } : null,
      };
      this.records.push(rec);
      let list = g.cells.get(rec.variant);
      if (!list) g.cells.set(rec.variant, (list = []));
      list.push(rec);
      if (rec.status !== 1) g.failing = true;
      if (rec.status === 2) g.errored = true;
    }
    return end;
  }

  private newGroup(def: GroupDef): Group {
    const g: Group = {
      idx: this.groups.length,
      suite: this.str(def.s),
      id: def.id,
      vars: def.v ?? {},
      hasExpected: Object.prototype.hasOwnProperty.call(def, 'e'),
      expected: def.e,
      tags: (def.t ?? []).map((t) => this.str(t)),
      cells: new Map(),
      failing: false,
      errored: false,
      changes: null,
      rank: 3,
      text: null,
    };
    this.groups.push(g);
    return g;
  }

  /** After the last slice: repeats in order, and each case's changes against the baseline. */
  finish(comparison: Comparison | undefined): void {
    for (const g of this.groups) for (const list of g.cells.values()) list.sort((a, b) => a.repeat - b.repeat);
    if (!comparison) return;
    const byKey = new Map<string, Group>();
    for (const g of this.groups) byKey.set(caseKey(g.suite, g.id), g);
    for (const c of comparison.changes ?? []) {
      const g = byKey.get(caseKey(c.suite, c.caseId));
      if (!g) continue;
      if (!g.changes) g.changes = new Map();
      g.changes.set(c.variant, c);
      g.rank = Math.min(g.rank, CHANGE_RANK[c.change] ?? 2);
    }
  }
}

export const CHANGE_RANK: Record<CaseChange['change'], number> = { 'newly-failing': 0, 'newly-passing': 1, added: 2, removed: 2 };

export function comparisonFor(comparison: Comparison | undefined, suite: string, variant: string): VariantComparison | null {
  return comparison?.variants.find((v) => v.suite === suite && v.variant === variant) ?? null;
}

export function statusLabel(s: 0 | 1 | 2): 'pass' | 'fail' | 'error' {
  return s === 1 ? 'pass' : s === 2 ? 'error' : 'fail';
}
