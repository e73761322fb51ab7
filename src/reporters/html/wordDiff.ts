/** One run of a diff: 0 kept, -1 only in the first text, 1 only in the second. */
export type DiffOp = -1 | 0 | 1;
export type DiffPart = [DiffOp, string];

/**
 * Word-level diff of two texts: tokens are words, runs of whitespace and single punctuation
 * marks; a longest common subsequence over them decides what was kept. Common prefix and suffix
 * are trimmed first (cheap, and usually most of an output); when the middle is still too large
 * for the quadratic table, it is shown as one removal and one addition instead of hanging the page.
 *
 * Tokens come from Intl.Segmenter's word boundaries (Unicode UAX #29), which never fall inside a
 * grapheme cluster: a combining accent or a ZWJ emoji sequence is never split between a kept and
 * a changed run. report.html's script bundles this module (client/explorer.ts).
 */
const WORDS = new Intl.Segmenter(undefined, { granularity: 'word' });

function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const s of WORDS.segment(text)) out.push(s.segment);
  return out;
}

export function wordDiff(a: string, b: string, maxCells = 4_000_000): DiffPart[] {
  const ta = tokenize(a);
  const tb = tokenize(b);
  let start = 0;
  while (start < ta.length && start < tb.length && ta[start] === tb[start]) start++;
  let endA = ta.length;
  let endB = tb.length;
  while (endA > start && endB > start && ta[endA - 1] === tb[endB - 1]) {
    endA--;
    endB--;
  }
  const ops: DiffPart[] = [];
  const push = (op: DiffOp, text: string): void => {
    if (text === '') return;
    const last = ops[ops.length - 1];
    if (last && last[0] === op) last[1] += text;
    else ops.push([op, text]);
  };
  push(0, ta.slice(0, start).join(''));
  const midA = ta.slice(start, endA);
  const midB = tb.slice(start, endB);
  const n = midA.length;
  const m = midB.length;
  if (n > 0 && m > 0 && (n + 1) * (m + 1) <= maxCells) {
    // lcs[i * (m + 1) + j] = LCS length of midA[i..] and midB[j..]
    const w = m + 1;
    const lcs = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * w + j] = midA[i] === midB[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (midA[i] === midB[j]) {
        push(0, midA[i]!);
        i++;
        j++;
      } else if (lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!) {
        push(-1, midA[i]!);
        i++;
      } else {
        push(1, midB[j]!);
        j++;
      }
    }
    push(-1, midA.slice(i).join(''));
    push(1, midB.slice(j).join(''));
  } else {
    push(-1, midA.join(''));
    push(1, midB.join(''));
  }
  push(0, ta.slice(endA).join(''));
  return ops;
}
