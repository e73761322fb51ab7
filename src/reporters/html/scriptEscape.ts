/**
 * Makes JSON text safe inside an HTML `<script>` element. The HTML parser ends a script at the
 * first `</script`, and `<!--` switches it into a mode where a later `<script>` nests, so no `<`
 * may reach the page raw; U+2028/2029 are escaped too because older JS engines treat them as line
 * ends inside string literals. The result is still valid JSON meaning the same value: each
 * replacement is a JSON string escape, and these characters occur only inside strings.
 */
const UNSAFE_IN_SCRIPT = /[<>\u2028\u2029]/g;

const REPLACEMENT: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

export function escapeJsonForScript(json: string): string {
  return json.replace(UNSAFE_IN_SCRIPT, (ch) => REPLACEMENT[ch]!);
}

/** JSON.stringify for a script data block. */
export function scriptJson(value: unknown): string {
  return escapeJsonForScript(JSON.stringify(value) ?? 'null');
}

/** Escapes text for HTML element content or a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
