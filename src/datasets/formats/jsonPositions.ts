/**
 * Positions inside a JSON text that JSON.parse has already accepted: where each element of the
 * top-level array starts, and where each key of an object starts. A single pass over the
 * characters, so a large .json dataset keeps JSON.parse's speed and still has line numbers.
 * Only valid JSON reaches here, so the scanner can skip validation.
 */

const QUOTE = 34; // "
const BACKSLASH = 92; // \
const COMMA = 44;
const COLON = 58;
const OPEN_ARRAY = 91; // [
const CLOSE_ARRAY = 93; // ]
const OPEN_OBJECT = 123; // {
const CLOSE_OBJECT = 125; // }

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** Offset just past the string that opens at `start` (a quote). */
function skipString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === QUOTE) return i + 1;
  }
  return text.length;
}

/** Start offset of every element of the top-level array (the text must be a JSON array). */
export function arrayElementOffsets(text: string): number[] {
  const offsets: number[] = [];
  let depth = 0;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) continue;
    if (depth === 1 && expectElement && c !== CLOSE_ARRAY) {
      offsets.push(i);
      expectElement = false;
    }
    if (c === QUOTE) {
      i = skipString(text, i) - 1;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      depth++;
      if (depth === 1) expectElement = true;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
    } else if (c === COMMA && depth === 1) {
      expectElement = true;
    }
  }
  return offsets;
}

/** Offsets of the keys of the object that opens at `start`, by key. */
export function objectKeyOffsets(text: string, start: number): Map<string, number> {
  const keys = new Map<string, number>();
  let depth = 0;
  let expectKey = false;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) continue;
    if (c === QUOTE) {
      const end = skipString(text, i);
      if (depth === 1 && expectKey) {
        keys.set(JSON.parse(text.slice(i, end)) as string, i);
        expectKey = false;
      }
      i = end - 1;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      depth++;
      if (depth === 1) expectKey = true;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
      if (depth === 0) break;
    } else if (c === COMMA && depth === 1) {
      expectKey = true;
    } else if (c === COLON) {
      expectKey = false;
    }
  }
  return keys;
}

/** Maps offsets to 1-based lines with one pass over the text and a binary search per lookup. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  lineAt(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
}

/**
 * The first key given twice in one object, at any depth, with the offset of its second use
 * (JSON.parse silently keeps the last value, changing the row). One pass, a Set per open object.
 */
export function duplicateKey(text: string, start = 0): { key: string; offset: number } | undefined {
  // One entry per open array or object: the keys seen so far (objects) or null (arrays).
  const open: Array<Set<string> | null> = [];
  let expectKey = false;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = skipString(text, i);
      const keys = open[open.length - 1];
      if (expectKey && keys) {
        const key = JSON.parse(text.slice(i, end)) as string;
        if (keys.has(key)) return { key, offset: i };
        keys.add(key);
        expectKey = false;
      }
      i = end - 1;
    } else if (c === OPEN_OBJECT) {
      open.push(new Set());
      expectKey = true;
    } else if (c === OPEN_ARRAY) {
      open.push(null);
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      open.pop();
    } else if (c === COMMA) {
      expectKey = open[open.length - 1] != null;
    } else if (c === COLON) {
      expectKey = false;
    }
  }
  return undefined;
}

/** Offset of a comma followed (after spaces) by `]` or `}`, outside strings: JSON forbids it. */
export function trailingCommaOffset(text: string): number | undefined {
  let comma = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) continue;
    if ((c === CLOSE_ARRAY || c === CLOSE_OBJECT) && comma !== -1) return comma;
    comma = c === COMMA ? i : -1;
    if (c === QUOTE) i = skipString(text, i) - 1;
  }
  return undefined;
}

export function duplicateKeyMessage(key: string): string {
  return `duplicate key ${JSON.stringify(key)} in this row: JSON would keep only its last value; remove one`;
}
