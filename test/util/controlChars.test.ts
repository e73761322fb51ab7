import { describe, expect, it } from 'vitest';
import { escapeControlChars } from '../../src/util/controlChars.js';

describe('escapeControlChars', () => {
  it('makes ESC, BEL, NUL, CR, DEL and C1 controls visible as \\xNN', () => {
    // Hand-written: ESC = 0x1B, BEL = 0x07, NUL = 0x00, CR = 0x0D, DEL = 0x7F, CSI (C1) = 0x9B.
    expect(escapeControlChars('a\u001b[2Jb\u0007c\u0000d\re\u007ff\u009bg')).toBe('a\\x1B[2Jb\\x07c\\x00d\\x0De\\x7Ff\\x9Bg');
  });

  it('makes bidi overrides, isolates and line separators visible as \\uNNNN', () => {
    expect(escapeControlChars('x\u202Ey\u2066z\u2069\u2028')).toBe('x\\u202Ey\\u2066z\\u2069\\u2028');
  });

  it('keeps newline, tab and ordinary text (accents, emoji, CJK) as they are', () => {
    const text = 'line 1\n\tcafé 🚀 日本';
    expect(escapeControlChars(text)).toBe(text);
  });

  it('turns an OSC-8 hyperlink into plain visible text', () => {
    expect(escapeControlChars('\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007')).toBe('\\x1B]8;;https://evil.example\\x07click\\x1B]8;;\\x07');
  });
});
