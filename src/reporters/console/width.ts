/**
 * Terminal width: how wide the summary may be, how wide a text shows (ANSI colour codes take no
 * room, CJK and emoji take two cells, combining marks none), and wrapping prose to a width so the
 * terminal never wraps a line itself.
 */

/** Used when the output is not a terminal (a pipe, a CI log) and COLUMNS does not say. */
export const DEFAULT_COLUMNS = 80;
/** Narrower than this, tables cannot shrink further: lines are still cut, never wrapped by the terminal. */
const MIN_COLUMNS = 40;

const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;
// Variation selectors (U+FE00–FE0F) are marks (\p{M}) already.
const ZERO_WIDTH = /^(?:\p{M}|[\u200b-\u200f\u2060-\u2064])$/u;
const WIDE = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff01-\uff60\uffe0-\uffe6\p{Extended_Pictographic}]$/u;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** Cells one code point takes: 0, 1 or 2. */
function charWidth(ch: string): number {
  return ZERO_WIDTH.test(ch) ? 0 : WIDE.test(ch) ? 2 : 1;
}

/** Cells a text takes on a terminal. */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of stripAnsi(text)) w += charWidth(ch);
  return w;
}

/** The stream's columns on a terminal; else $COLUMNS; else 80. */
export function terminalWidth(stream: { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv): number {
  const tty = stream.isTTY && typeof stream.columns === 'number' && stream.columns > 0 ? stream.columns : undefined;
  const fromEnv = Number(env.COLUMNS);
  const width = tty ?? (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_COLUMNS);
  return Math.max(MIN_COLUMNS, width);
}

/** Cuts plain text to `width` cells, ending with `…` when cut. */
export function cutToWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = '';
  let w = 0;
  for (const ch of stripAnsi(text)) {
    const cw = charWidth(ch);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  return `${out}…`;
}

/** Splits a word too long for a line into pieces of at most `width` cells (its colour is dropped). */
function splitWord(word: string, width: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  let w = 0;
  for (const ch of stripAnsi(word)) {
    const cw = charWidth(ch);
    if (w + cw > width && piece) {
      pieces.push(piece);
      piece = '';
      w = 0;
    }
    piece += ch;
    w += cw;
  }
  if (piece) pieces.push(piece);
  return pieces;
}

/**
 * Wraps one line at spaces to `width` cells; continuation lines are indented two more than the
 * line's own indent. A word longer than a line is split.
 */
export function wrapLine(line: string, width: number): string[] {
  if (displayWidth(line) <= width) return [line];
  const indent = /^ */.exec(stripAnsi(line))![0].length;
  const hang = ' '.repeat(Math.min(indent + 2, Math.floor(width / 2)));
  const words = line.slice(indent).split(' ');
  const out: string[] = [];
  let current = ' '.repeat(indent);
  let currentWidth = indent;
  let empty = true;
  for (const word of words) {
    const ww = displayWidth(word);
    const room = width - currentWidth - (empty ? 0 : 1);
    if (ww <= room) {
      current += (empty ? '' : ' ') + word;
      currentWidth += ww + (empty ? 0 : 1);
      empty = false;
      continue;
    }
    if (!empty) out.push(current);
    current = out.length || !empty ? hang : ' '.repeat(indent);
    currentWidth = current.length;
    empty = true;
    if (ww <= width - currentWidth) {
      current += word;
      currentWidth += ww;
      empty = false;
      continue;
    }
    const pieces = splitWord(word, width - Math.max(currentWidth, hang.length));
    for (const [i, piece] of pieces.entries()) {
      if (i < pieces.length - 1) out.push(current + piece);
      else {
        current += piece;
        currentWidth += displayWidth(piece);
        empty = false;
      }
      if (i < pieces.length - 1) {
        current = hang;
        currentWidth = hang.length;
      }
    }
  }
  if (!empty) out.push(current);
  return out;
}

/** Every line of `text` wrapped to `width`. */
export function fitText(text: string, width: number): string {
  return text
    .split('\n')
    .flatMap((l) => wrapLine(l, width))
    .join('\n');
}
