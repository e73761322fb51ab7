import { LineCounter, parseDocument, isMap, isPair, isScalar, visit, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Issue } from '../errors.js';
import { yamlToJs } from '../util/yamlToJs.js';
import { pushAll } from '../util/arrays.js';

/** A parsed YAML file that can tell the line of any key path in it. */
export interface YamlFile {
  file: string;
  value: unknown;
  doc: Document;
  /** 1-based line of the value at `path` (or of the nearest ancestor that exists). */
  lineOf(path: Array<string | number>, opts?: { key?: boolean }): number;
}

export function parseYamlFile(file: string, text: string): { yaml?: YamlFile; issues: Issue[] } {
  const lineCounter = new LineCounter();
  // The yaml library's own duplicate-key check (uniqueKeys) compares each key with every key
  // before it: 150,000 keys took minutes. duplicateKeys below is linear and names the key.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const issues: Issue[] = doc.errors.map((e) => ({
    file,
    line: e.linePos?.[0]?.line ?? (e.pos ? lineCounter.linePos(e.pos[0]).line : 0),
    message: `YAML syntax: ${e.message.split('\n')[0]}`,
  }));
  if (issues.length) return { issues };

  const lineAt = (offset: number | undefined): number => (offset === undefined ? 1 : lineCounter.linePos(offset).line);
  pushAll(issues, duplicateKeys(doc, file, lineAt));
  if (issues.length) return { issues };

  /** Each mapping's pairs by key, built on first use, so finding a key's line is not a scan. */
  const pairIndex = new WeakMap<YAMLMap, Map<string, Pair>>();
  const pairOf = (map: YAMLMap, key: string): Pair | undefined => {
    let index = pairIndex.get(map);
    if (!index) {
      index = new Map();
      for (const p of map.items) if (isPair(p) && isScalar(p.key) && !index.has(String(p.key.value))) index.set(String(p.key.value), p);
      pairIndex.set(map, index);
    }
    return index.get(key);
  };

  function lineOf(path: Array<string | number>, opts: { key?: boolean } = {}): number {
    let node: unknown = doc.contents;
    let line = lineAt((doc.contents as Node | null)?.range?.[0]);
    for (let i = 0; i < path.length; i++) {
      const seg = path[i]!;
      if (isMap(node)) {
        const pair = pairOf(node, String(seg));
        if (!pair) return line;
        const last = i === path.length - 1;
        const keyNode = pair.key as Node;
        line = lineAt(keyNode.range?.[0]);
        if (last && opts.key) return line;
        node = pair.value;
        const valueLine = (node as Node | null)?.range?.[0];
        // A block value starts on the next line; the key's line reads better for errors.
        if (last && valueLine !== undefined && !isMap(node) && !(node && 'items' in (node as object))) line = lineAt(valueLine);
      } else if (node && typeof node === 'object' && 'items' in node && Array.isArray((node as { items: unknown[] }).items)) {
        const item = (node as { items: unknown[] }).items[Number(seg)];
        if (item === undefined) return line;
        node = item;
        line = lineAt((item as Node).range?.[0]);
      } else {
        return line;
      }
    }
    return line;
  }

  const converted = yamlToJs((opts) => doc.toJS(opts));
  if ('problem' in converted) return { issues: [{ file, line: 1, message: converted.problem }] };
  return { yaml: { file, value: converted.value, doc, lineOf }, issues: [] };
}

/** A key given twice in one mapping, named with the line of its second use (linear time). */
function duplicateKeys(doc: Document, file: string, lineAt: (offset: number | undefined) => number): Issue[] {
  const issues: Issue[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Map<string, number>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        if (key === '<<') continue; // YAML merge keys may repeat
        const line = lineAt(pair.key.range?.[0]);
        const first = seen.get(key);
        if (first === undefined) seen.set(key, line);
        else issues.push({ file, line, message: `duplicate key \`${key}\` (first given on line ${first}): keep one` });
      }
    },
  });
  return issues;
}
