import { parse as parseJsonWithOffsets, type ParseError } from 'jsonc-parser';
import { ConfigError } from '../../errors.js';
import { arrayElementOffsets, duplicateKey, duplicateKeyMessage, LineIndex, objectKeyOffsets, trailingCommaOffset } from './jsonPositions.js';
import type { RawEntry } from './types.js';
import { readCheckedText } from './lines.js';

/**
 * A .json array of rows, read whole. JSON.parse does the parsing (a YAML parser is an order of
 * magnitude slower on large files); a scan of the text gives each row, and each key in it, a line.
 */
export async function* readJsonArray(file: string): AsyncGenerator<RawEntry> {
  let text = await readCheckedText(file);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') return;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw syntaxError(file, text, err);
  }
  const lines = new LineIndex(text);
  if (!Array.isArray(value)) {
    throw ConfigError.at(file, lines.lineAt(text.search(/\S/)), 'a .json dataset must be an array of rows: [{"vars": {...}, "expected": ...}, ...]');
  }
  const dup = duplicateKey(text);
  if (dup) throw ConfigError.at(file, lines.lineAt(dup.offset), duplicateKeyMessage(dup.key));
  const offsets = arrayElementOffsets(text);
  for (let i = 0; i < value.length; i++) {
    const offset = offsets[i] ?? 0;
    const line = lines.lineAt(offset);
    let keys: Map<string, number> | undefined;
    // Key positions are only needed to report a problem, so they are found on demand.
    const lineOf = (key: string): number => {
      if (text.charCodeAt(offset) !== 123 /* { */) return line;
      keys ??= objectKeyOffsets(text, offset);
      const at = keys.get(key);
      return at === undefined ? line : lines.lineAt(at);
    };
    yield { raw: value[i] as unknown, source: { file, line, lineOf } };
  }
}

function syntaxError(file: string, text: string, err: unknown): ConfigError {
  const message = err instanceof Error ? err.message : String(err);
  const reason = message.replace(/ in JSON at position \d+[\s\S]*$/, '').replace(/, \.\.\.[\s\S]*$/, '').split('\n')[0];
  // A trailing comma gets its own message, at the comma's line.
  const comma = trailingCommaOffset(text);
  if (comma !== undefined) return ConfigError.at(file, new LineIndex(text).lineAt(comma), 'JSON syntax error: a comma before a closing bracket (trailing comma): remove it');
  // V8's messages carry a position only for some errors ("Unexpected token" has none on Node 20),
  // so the place comes from a parser that reports offsets for every error.
  const problems: ParseError[] = [];
  parseJsonWithOffsets(text, problems, { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false });
  const position = problems[0]?.offset ?? Number(/at position (\d+)/.exec(message)?.[1] ?? 0);
  const line = new LineIndex(text).lineAt(Math.min(position, Math.max(0, text.length - 1)));
  return ConfigError.at(file, Math.max(1, line), `JSON syntax error: ${reason}`);
}
