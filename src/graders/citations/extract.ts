/**
 * Finding citations in an output, and the claim each one is attached to.
 *
 * The default styles: a bracket `[doc-3]`, `[3]`, `[^3]` (a markdown footnote reference), several
 * ids in one bracket `[1, 2]` / `[doc-1; doc-2]`, a numeric range `[1-3]`, adjacent brackets
 * `[1][2]`, a labelled bracket `[Source 9]` / `[source: doc-9]`; ChatGPT-style `【7†source】`; a
 * parenthesised document id `(doc-9)` / `(source: doc-9)`; a `Source: doc-9` / `Sources: 1, 2`
 * line or clause; superscript numbers `claim⁹`; `<cite>doc-9</cite>` / `<cite id="9">`; and a
 * footnote definition `[^1]: doc-9`, which makes its `[^1]` references cite doc-9.
 *
 * Not citations: markdown links `[text](url)`, reference definitions `[1]: …`, task boxes `[x]`,
 * anything in code, an index right after a short identifier (`arr[4]`, `data[0]`), a bracketed
 * year or other number of 4+ digits that is no source id (`[2024]`), a superscript after a unit
 * (`m²`), and a bracketed word that is not a known source id and has no digit (`[sic]`).
 */

export interface Citation {
  /** The id as written (a range already expanded). */
  id: string;
  /** Offset of the citation marker in the output. */
  at: number;
}

export interface Claim {
  /** The sentence the citations are attached to, markers removed. */
  text: string;
  ids: string[];
  at: number;
}

const DEFAULT_BRACKET = /\[\^?([^[\]\n]{1,120})\](?![(:])/g;
/** Every marker of the default styles, removed from a claim's text. */
const DEFAULT_MARKERS =
  /\[\^?[^[\]\n]{1,120}\](?![(:])|【[^】\n]{1,60}】|\((?:sources?:?\s*)?(?:doc(?:ument)?|source|src|ref|chunk|passage)[-_ ]?\d+[^)\n]{0,60}\)|[⁰¹²³⁴⁵⁶⁷⁸⁹]+|<cite\b[^>]{0,200}>[^<]{0,120}<\/cite>/g;
/** A document-like id in running text: `doc-9`, `Source 9`, `chunk_12`. */
const DOCLIKE = /(?<![\w-])(?:doc(?:ument)?|source|src|ref|chunk|passage)[-_ ]?#?\d+(?![\w-])/gi;
const SUPERSCRIPT: Record<string, string> = { '⁰': '0', '¹': '1', '²': '2', '³': '3', '⁴': '4', '⁵': '5', '⁶': '6', '⁷': '7', '⁸': '8', '⁹': '9' };
/** Words after which a superscript is an exponent, not a citation: m², cm³, x², 10⁶. */
const UNIT_BEFORE = /(?:\b(?:m|cm|mm|km|ft|in|yd|mi|s|x|y|z|n|e|a|b|c|r|pi)|\d)$/i;
/** `arr[4]`, `data[0]`, `row_2[1]`, `xs[i]`: an index into code, not a citation. */
const INDEX_BEFORE = /(?:\b[a-z][a-z0-9]{0,4}|\b[a-z]+[A-Z_]\w*|\w*_\w*|\w*\d|\))$/;
const ID_SHAPE = /^[A-Za-z0-9][\w.:/#-]{0,63}$/;
/** A range of numbers wider than this is text, not a citation. */
const MAX_RANGE = 50;

/** Code spans and blocks blanked out (same length, so offsets hold): `arr[0]` is not a citation. */
export function blankCode(text: string): string {
  const blank = (s: string): string => s.replace(/[^\n]/g, ' ');
  return text.replace(/```[\s\S]*?(?:```|$)|~~~[\s\S]*?(?:~~~|$)/g, blank).replace(/`[^`\n]+`/g, blank);
}

/** The ids inside one citation marker: split on commas, semicolons and "and", ranges expanded. */
export function splitIds(inner: string): string[] {
  const ids: string[] = [];
  for (const raw of inner.split(/\s*(?:[,;]|\band\b)\s*/)) {
    const part = raw.trim().replace(/^\^/, '');
    if (!part) continue;
    const range = /^(\d+)\s*[-–]\s*(\d+)$/.exec(part);
    if (range && Number(range[2]) > Number(range[1]) && Number(range[2]) - Number(range[1]) <= MAX_RANGE) {
      for (let n = Number(range[1]); n <= Number(range[2]); n++) ids.push(String(n));
    } else ids.push(part);
  }
  return ids;
}

export interface CitationMatcher {
  find(output: string, knownIds: Set<string>): Citation[];
}

const labelPrefix = (inner: string): string => inner.replace(/^\s*(?:sources?|refs?|references?|citations?|docs?|documents?)\s*[:#]?\s*(?=\S)/i, (m) => (/^\s*(?:docs?|documents?)\s*$/i.test(m) ? m : ''));

function isCitable(id: string, knownIds: Set<string>): boolean {
  if (!ID_SHAPE.test(id)) return false;
  if (knownIds.has(normaliseId(id))) return true;
  if (!/\d/.test(id)) return false;
  // [2024], [12345]: a year or a number, not the 2024th source.
  return !/^\d{4,}$/.test(id);
}

/** Footnote definitions `[^1]: doc-9` → label → the ids they name. */
function footnoteDefinitions(text: string): Map<string, string[]> {
  const defs = new Map<string, string[]>();
  for (const m of text.matchAll(/^[ \t]*\[\^([^\]\n]{1,20})\]:[ \t]*(.*)$/gm)) {
    const named = [...m[2]!.matchAll(DOCLIKE)].map((d) => d[0]);
    const bare = /^\s*\[?([A-Za-z]*[-_]?\d+)\]?\s*\.?$/.exec(m[2]!)?.[1];
    const ids = named.length ? named : bare ? [bare] : [];
    if (ids.length) defs.set(m[1]!.trim(), ids);
  }
  return defs;
}

/** The default styles (see the module comment). */
export const defaultCitations: CitationMatcher = {
  find(output, knownIds) {
    const text = blankCode(output);
    const citations: Citation[] = [];
    const defs = footnoteDefinitions(text);
    const add = (id: string, at: number): void => {
      citations.push({ id, at });
    };
    let indexEnd = -1;
    for (const m of text.matchAll(DEFAULT_BRACKET)) {
      // Definition lines are read by footnoteDefinitions.
      if (/^[ \t]*$/.test(text.slice(text.lastIndexOf('\n', m.index) + 1, m.index)) && text[m.index + m[0].length] === ':') continue;
      const footnote = m[0].startsWith('[^');
      // arr[4], grid[1][2]: the second index follows the first.
      if (!footnote && (indexEnd === m.index || INDEX_BEFORE.test(text.slice(Math.max(0, m.index - 24), m.index)))) {
        indexEnd = m.index + m[0].length;
        continue;
      }
      const defined = footnote ? defs.get(m[1]!.trim()) : undefined;
      if (defined) {
        for (const id of defined) add(id, m.index);
        continue;
      }
      const ids = splitIds(labelPrefix(m[1]!));
      if (ids.length > 0 && ids.every((id) => isCitable(id, knownIds))) for (const id of ids) add(id, m.index);
    }
    for (const m of text.matchAll(/【(\d+)(?:[:†‡][^】\n]{0,60})?】/g)) add(m[1]!, m.index);
    for (const m of text.matchAll(/\((?:sources?\s*:?\s*)?((?:(?:doc(?:ument)?|source|src|ref|chunk|passage)[-_ ]?#?\d+\s*(?:[,;]|\band\b)?\s*)+)\)/gi)) {
      for (const id of splitIds(m[1]!)) if (ID_SHAPE.test(id.replace(/\s+/g, '-'))) add(id, m.index);
    }
    for (const m of text.matchAll(/(?:^|(?<=[.!?]\s+)|\()\s*(?:sources?|references?|citations?)\s*:\s*((?:(?:doc(?:ument)?|source|src|ref|chunk|passage)?[-_ ]?#?[A-Za-z]*\d+\s*(?:[,;]|\band\b)?\s*)+)/gim)) {
      for (const id of splitIds(m[1]!)) add(id, m.index + m[0].indexOf(m[1]!));
    }
    for (const m of text.matchAll(/[⁰¹²³⁴⁵⁶⁷⁸⁹]+/g)) {
      const before = text.slice(Math.max(0, m.index - 12), m.index);
      if (!/[\p{L}.,;:!?)\]"”’]$/u.test(before) || UNIT_BEFORE.test(before)) continue;
      add([...m[0]].map((c) => SUPERSCRIPT[c]).join(''), m.index);
    }
    for (const m of text.matchAll(/<cite\b([^>]{0,200})>([^<]{0,120})<\/cite>/gi)) {
      const attr = /\b(?:id|source|ref|index|data-id)\s*=\s*["']?([^"'>\s]+)/i.exec(m[1]!)?.[1];
      const ids = attr ? [attr] : splitIds(labelPrefix(m[2]!.trim()));
      for (const id of ids) if (ID_SHAPE.test(id)) add(id, m.index);
    }
    return citations.sort((a, b) => a.at - b.at);
  },
};

/**
 * Text that looks like a citation but that no style read: `(see document 4)`, `[[7]]`,
 * `†source`. The grader warns on it, so an unchecked citation format does not pass silently.
 */
const CITATION_LIKE = /【[^】\n]{0,60}】|\[\[[^\]\n]{1,40}\]\]|†\s*\w+|\((?:see\s+)?(?:doc(?:ument)?s?|sources?|refs?|references?|chunks?|passages?)\s+[^)\n]{1,40}\)|\b(?:according to|see|per|cf\.?)\s+(?:doc(?:ument)?|source|passage|chunk)\s*#?\s*\d+/gi;

export function unparsedCitations(output: string, found: Citation[]): Array<{ text: string; at: number }> {
  const text = blankCode(output);
  const out: Array<{ text: string; at: number }> = [];
  for (const m of text.matchAll(CITATION_LIKE)) {
    const end = m.index + m[0].length;
    if (found.some((c) => c.at >= m.index - 1 && c.at < end)) continue;
    out.push({ text: m[0], at: m.index });
  }
  return out;
}

/**
 * An id in comparable form: lower case, separators between letters and digits dropped, leading
 * zeros of numbers dropped: `doc1`, `doc-01`, `Doc_1` and `DOC 1` are one id.
 */
export function normaliseId(id: string): string {
  return id
    .trim()
    .toLowerCase()
    .replace(/(?<=\p{L})[\s_.#-]+(?=\d)/gu, '')
    .replace(/(?<!\d)0+(?=\d)/g, '');
}

/** A user's pattern: the named group `id`, else the first capture group, split like a bracket's content. */
export function patternCitations(re: RegExp): CitationMatcher {
  return {
    find(output) {
      const citations: Citation[] = [];
      for (const m of blankCode(output).matchAll(re)) {
        const inner = m.groups?.['id'] ?? m[1];
        if (inner === undefined || m[0].length === 0) continue;
        for (const id of splitIds(inner)) citations.push({ id, at: m.index });
      }
      return citations;
    },
  };
}

/** Sentence spans: ends at . ! ? followed by whitespace, or at a line break. */
function sentences(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let start = 0;
  for (const m of text.matchAll(/[.!?](?=\s)|\n+/g)) {
    const end = m.index + m[0].length;
    spans.push([start, end]);
    start = end;
  }
  if (start < text.length) spans.push([start, text.length]);
  return spans;
}

/**
 * Groups citations by the sentence they sit in: the claim they support. A marker that opens a
 * sentence ("Paris is the capital. [1] It has…") belongs to the sentence before it.
 */
export function claimsOf(output: string, citations: Citation[], markers: RegExp): Claim[] {
  const spans = sentences(output);
  const strip = (s: string): string =>
    s.replace(markers, '').replace(/\s+/g, ' ').replace(/ ([.,;:!?])/g, '$1').trim();
  const hasWords = (s: string): boolean => /[\p{L}\p{N}]/u.test(strip(s));
  const claims = new Map<number, Claim>();
  for (const c of citations) {
    let i = spans.findIndex(([start, end]) => c.at >= start && c.at < end);
    if (i === -1) continue;
    // Nothing but markers before it in its sentence: it closes the previous sentence.
    while (i > 0 && !hasWords(output.slice(spans[i]![0], c.at))) i--;
    const [start, end] = spans[i]!;
    let claim = claims.get(start);
    if (!claim) {
      claim = { text: strip(output.slice(start, end)), ids: [], at: start };
      claims.set(start, claim);
    }
    if (!claim.ids.includes(c.id)) claim.ids.push(c.id);
  }
  return [...claims.values()].filter((c) => c.text !== '').sort((a, b) => a.at - b.at);
}

export { DEFAULT_BRACKET, DEFAULT_MARKERS };
