import { createHash } from 'node:crypto';
import type { CaseRecord } from '../../types.js';
import { toolCallText } from '../../util/toolCallText.js';
import { transcriptText } from '../../util/transcript.js';
import { caseSteps } from '../../results/summary.js';
import type { EncodedGrade, EncodedOutput, EncodedRow, GroupDef, Ref } from './rowFormat.js';

/**
 * The compact form of case records embedded in report.html. results.jsonl repeats a case's vars
 * on every variant and repeat and spells out every key; here each row is a positional array,
 * a case's vars, expected value and tags are written once (on its first row), short strings that
 * recur (grader names, labels, reasons, models) go through a string table, and a long output
 * identical to an earlier one points back at it. The page's script (client/data.ts) decodes it.
 *
 * Row layout: see rowFormat.ts (shared with the page's script).
 */

/** Strings at most this long are interned; longer ones are rarely repeated verbatim. */
const MAX_INTERNED_LENGTH = 160;
/** Caps the table (and the memory it holds until it is written at the end of the file). */
const MAX_INTERNED_STRINGS = 50_000;
/** Outputs at least this long are deduplicated by content hash instead. */
const MIN_HASHED_OUTPUT = MAX_INTERNED_LENGTH + 1;
/** A long output is stored as a difference from its case's previous one when they share this much text. */
const MIN_SHARED_TEXT = 64;
/** The recent outputs a difference may point at are held up to this many characters. */
const RECENT_OUTPUT_CHARS = 8 * 1024 * 1024;

export class StringTable {
  private readonly index = new Map<string, number>();
  readonly strings: string[] = [];

  /** A ref for `s`: its table index when interned, else `s` itself (written inline). */
  ref(s: string): Ref {
    const known = this.index.get(s);
    if (known !== undefined) return known;
    if (s.length > MAX_INTERNED_LENGTH || this.strings.length >= MAX_INTERNED_STRINGS) return s;
    const i = this.strings.length;
    this.strings.push(s);
    this.index.set(s, i);
    return i;
  }
}

/** Longest arguments text shown per call in the page (results.jsonl keeps them whole). */
const MAX_TOOL_ARGS_CHARS = 2000;

function round(x: number | null | undefined, digits: number): number | null {
  if (x == null || !Number.isFinite(x)) return null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Encodes case records one at a time, in the order they are read; holds only keys, hashes and short strings. */
export class PayloadEncoder {
  readonly table = new StringTable();
  /** Group index by suite, then case id: no concatenated key string per case (a million cases). */
  private readonly groups = new Map<string, Map<string, number>>();
  private groupCount = 0;
  private readonly longOutputs = new Map<string, number>();
  private readonly recent = new Map<number, { row: number; output: string }>();
  private recentChars = 0;
  private rows = 0;

  get rowCount(): number {
    return this.rows;
  }

  encode(rec: CaseRecord): EncodedRow {
    const t = this.table;
    const rowIndex = this.rows++;
    let suiteGroups = this.groups.get(rec.suite);
    if (!suiteGroups) this.groups.set(rec.suite, (suiteGroups = new Map()));
    let group: number | GroupDef;
    const known = suiteGroups.get(rec.caseId);
    const groupIndex = known ?? this.groupCount;
    if (known !== undefined) group = known;
    else {
      suiteGroups.set(rec.caseId, this.groupCount++);
      const def: GroupDef = { s: t.ref(rec.suite), id: rec.caseId, v: rec.vars ?? {} };
      if (rec.expected !== undefined) def.e = rec.expected;
      if (rec.tags?.length) def.t = rec.tags.map((tag) => t.ref(tag));
      group = def;
    }
    const status: 0 | 1 | 2 = rec.error ? 2 : rec.pass ? 1 : 0;
    const grades: EncodedGrade[] = (rec.grades ?? []).map((g) => [t.ref(g.grader), g.pass ? 1 : 0, round(g.score, 4) ?? 0, t.ref(g.reason ?? '')]);
    return [
      group,
      t.ref(rec.variant),
      rec.repeat,
      status,
      round(rec.score, 4) ?? 0,
      this.output(rec.output, rowIndex, groupIndex),
      grades,
      round(rec.costUsd, 8),
      round(rec.latencyMs, 0),
      rec.tokens ? [rec.tokens.input, rec.tokens.output] : 0,
      rec.cached ? 1 : 0,
      rec.error ? [t.ref(rec.error.kind), t.ref(rec.error.message)] : 0,
      t.ref(`${rec.prompt.name}@${rec.prompt.version}#${rec.prompt.hash}`),
      round(rec.judgeCostUsd, 8),
      round(rec.ttftMs, 0),
      rec.toolCalls?.length ? rec.toolCalls.map((c) => toolCallText(c, MAX_TOOL_ARGS_CHARS)) : 0,
      conversationOf(rec),
    ];
  }

  private output(output: string | null, rowIndex: number, groupIndex: number): EncodedOutput {
    if (output == null) return null;
    if (output.length < MIN_HASHED_OUTPUT) return this.table.ref(output);
    // Repeats at temperature 0 and variants that agree produce the same long text: store it once.
    const key = createHash('sha1').update(output).digest('base64');
    const earlier = this.longOutputs.get(key);
    if (earlier !== undefined) return [earlier];
    this.longOutputs.set(key, rowIndex);
    // Variants and repeats of one case often share most of their text: store what differs from
    // the case's previous long output (common prefix and suffix point back at it).
    const prev = this.recent.get(groupIndex);
    this.remember(groupIndex, rowIndex, output);
    if (prev) {
      const max = Math.min(prev.output.length, output.length);
      let pre = 0;
      while (pre < max && prev.output.charCodeAt(pre) === output.charCodeAt(pre)) pre++;
      let suf = 0;
      while (suf < max - pre && prev.output.charCodeAt(prev.output.length - 1 - suf) === output.charCodeAt(output.length - 1 - suf)) suf++;
      if (pre + suf >= MIN_SHARED_TEXT) return [prev.row, pre, output.slice(pre, output.length - suf), suf];
    }
    return output;
  }

  /** Keeps the newest long output per case, up to RECENT_OUTPUT_CHARS in all (oldest forgotten first). */
  private remember(groupIndex: number, row: number, output: string): void {
    const old = this.recent.get(groupIndex);
    if (old) {
      this.recentChars -= old.output.length;
      this.recent.delete(groupIndex);
    }
    this.recent.set(groupIndex, { row, output });
    this.recentChars += output.length;
    for (const [g, v] of this.recent) {
      if (this.recentChars <= RECENT_OUTPUT_CHARS) break;
      this.recent.delete(g);
      this.recentChars -= v.output.length;
    }
  }
}

/** A conversation case's model calls and transcript (util/transcript.ts), for the case detail. */
function conversationOf(rec: CaseRecord): [number, string] | 0 {
  if (!rec.transcript) return 0;
  return [caseSteps(rec) ?? 1, transcriptText(rec.transcript)];
}
