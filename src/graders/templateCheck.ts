import { LIQUID_LIMITS } from '../config/limits.js';
import { Liquid } from 'liquidjs';
import { isTemplate } from './reference.js';

let parser: Liquid | undefined;

/**
 * The Liquid syntax error of a template option, if any, so `llm-eval validate` reports it before
 * any model is called. Only syntax is checked here: whether a row has the variables is known
 * only per row, at render time.
 */
export function templateSyntaxError(source: string): string | undefined {
  if (!isTemplate(source)) return undefined;
  // strictFilters, as the renderer has: an unknown filter is reported here, not per case.
  parser ??= new Liquid({ strictFilters: true, parseLimit: LIQUID_LIMITS.parseLimit });
  try {
    parser.parse(source);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message.split('\n')[0] : String(err);
  }
}

/** Problems for template options (`value`, `values[i]`), in the shape factories' validate() returns. */
export function templateProblems(entries: Array<[field: string, source: unknown]>): Array<{ field: string; message: string }> {
  const problems: Array<{ field: string; message: string }> = [];
  for (const [field, source] of entries) {
    if (typeof source !== 'string') continue;
    const error = templateSyntaxError(source);
    if (error) problems.push({ field, message: `\`${field}\` is not a valid Liquid template: ${error}` });
  }
  return problems;
}
