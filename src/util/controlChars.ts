/**
 * Text from a config, dataset, server or model on its way to a terminal or Markdown: control
 * characters become visible escapes, so none can act. ESC starts ANSI sequences (colours,
 * screen clears, cursor moves, OSC-8 hyperlinks that disguise a link's target), BEL and the
 * C1 controls end or start others, NUL truncates in some viewers, and bidi overrides reorder
 * what a reader sees (a "Trojan Source" line). Newline and tab are kept: they only lay out.
 *
 * `\x1B` (C0, DEL, C1) and `\u202E` (bidi and line separators) are written as those six or four
 * visible characters. Writers call this on each piece of untrusted text before adding their
 * own colours (chalk's escapes would be escaped too).
 */

const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\u2028\u2029]/g;

function visible(ch: string): string {
  const code = ch.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}` : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

export function escapeControlChars(text: string): string {
  CONTROL.lastIndex = 0;
  return CONTROL.test(text) ? text.replace(CONTROL, visible) : text;
}
