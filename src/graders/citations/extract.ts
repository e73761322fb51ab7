/**
 * Finding citations in an output, and the claim each one is attached to.
 *
 * The default style is a bracket: `[doc-3]`, `[3]`, `[^3]` (a markdown footnote reference),
 * several ids in one bracket `[1, 2]` / `[doc-1; doc-2]`, a numeric range `[1-3]`, and adjacent
 * brackets `[1][2]`. Not citations: markdown links `[text](url)`, reference and footnote
 * definitions `[1]: …`, task boxes `[x]`, anything in code, and a bracketed word that is not a
 * known source id and has no digit (`[sic]`, `[note]`).
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

/** The default bracket style (see the module comment). */
export const bracketCitations: CitationMatcher = {
  find(output, knownIds) {
    const citations: Citation[] = [];
    for (const m of blankCode(output).matchAll(DEFAULT_BRACKET)) {
      const ids = splitIds(m[1]!);
      const citable = ids.length > 0 && ids.every((id) => ID_SHAPE.test(id) && (/\d/.test(id) || knownIds.has(id.toLowerCase())));
      if (citable) for (const id of ids) citations.push({ id, at: m.index });
    }
    return citations;
  },
};

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

export { DEFAULT_BRACKET };
