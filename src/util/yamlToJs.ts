/**
 * A parsed YAML node (or whole document) as a plain value. The yaml library throws, rather than
 * reports, when anchors and aliases expand too far (a "billion laughs" file), so every reader of
 * user YAML (config, datasets, prompt templates) converts through here and gets the problem as
 * text to report at a line, never an exception.
 *
 *   const r = yamlToJs((opts) => doc.toJS(opts));
 *   if ('problem' in r) issues.push({ file, line, message: r.problem });
 */
export const MAX_ALIAS_COUNT = 1000;

export function yamlToJs(convert: (opts: { maxAliasCount: number }) => unknown): { value: unknown } | { problem: string } {
  try {
    return { value: convert({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return {
      problem: /alias/i.test(message)
        ? 'YAML anchors and aliases (&name / *name) expand too far; write the values out instead'
        : `the YAML cannot be read (${message.split('\n')[0]})`,
    };
  }
}
