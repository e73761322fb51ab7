/**
 * XML 1.0 text and attribute escaping. Model outputs can hold anything, including characters
 * XML 1.0 forbids outright (most C0 controls, lone surrogates, U+FFFE/FFFF): those are dropped,
 * since no escape can represent them and one of them makes the whole file unreadable to a CI.
 */

// Everything outside XML 1.0's Char production. With the `u` flag a lone surrogate is one code
// point in U+D800–DFFF, which the ranges below exclude.
const INVALID_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function stripInvalidXmlChars(text: string): string {
  return text.replace(INVALID_XML_CHARS, '');
}

/** Element content. `>` is escaped too, so `]]>` can never appear. */
export function xmlText(text: string): string {
  return stripInvalidXmlChars(text).replace(/[&<>]/g, (ch) => (ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : '&gt;'));
}

/** A double-quoted attribute value; tabs and line breaks as character references so parsers keep them. */
export function xmlAttr(text: string): string {
  return stripInvalidXmlChars(text).replace(/[&<>"'\t\n\r]/g, (ch) => ATTR_ESCAPES[ch]!);
}

const ATTR_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};
