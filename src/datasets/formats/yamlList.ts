import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { ConfigError } from '../../errors.js';
import type { RawEntry } from './types.js';
import { readCheckedText } from './lines.js';
import { yamlToJs } from '../../util/yamlToJs.js';

/**
 * A .yaml/.yml list of rows, parsed with positions: each row, and each key in it, has a line.
 * Read whole; a dataset too big for memory belongs in .jsonl or .csv.
 */
export async function* readYamlList(file: string): AsyncGenerator<RawEntry> {
  let text = await readCheckedText(file);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineAt = (node: unknown): number => {
    const offset = (node as Node | null | undefined)?.range?.[0];
    return offset === undefined ? 0 : lineCounter.linePos(offset).line;
  };
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => ({ file, line: lineCounter.linePos(e.pos[0]).line, message: `YAML syntax error: ${e.message.split('\n')[0]}` })),
    );
  }
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return;
  if (!isSeq(root)) {
    throw ConfigError.at(file, lineAt(root) || 1, 'a .yaml dataset must be a list of rows, each starting with "- " (e.g. "- vars: { question: ... }")');
  }
  for (const item of root.items) {
    const line = lineAt(item) || 1;
    const lineOf = (key: string): number => {
      if (!isMap(item)) return line;
      const pair = item.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
      return (pair && lineAt(pair.key)) || line;
    };
    const converted = item === null ? { value: null } : yamlToJs((opts) => (item as Node).toJS(doc, opts));
    if ('problem' in converted) {
      yield { issue: { file, line, message: converted.problem } };
      continue;
    }
    const raw = converted.value;
    yield { raw, source: { file, line, lineOf } };
  }
}
