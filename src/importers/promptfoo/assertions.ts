/**
 * One promptfoo assertion → one llm-eval grader entry, or the reason it cannot be mapped.
 *
 * A value that differs from test to test (the `value` of `equals`, `contains`, …) moves into the
 * row, as `expected.<slot>`, and the grader reads it with a Liquid template; a value that holds
 * Liquid/Nunjucks itself, or that configures the grader (a rubric, a script, a threshold), stays
 * inline, so tests with different ones end up in different suites.
 */

/** A promptfoo assertion as written in the config (only the fields the importer reads). */
export interface PromptfooAssertion {
  type: string;
  value?: unknown;
  threshold?: number;
  weight?: number;
  metric?: string;
  provider?: unknown;
}

/** What an assertion becomes: a grader whose per-row value (if any) goes into `expected[slot]`. */
export type MappedAssertion =
  | { kind: 'grader'; grader: Record<string, unknown>; rowValue?: unknown; note?: string; script?: string }
  | { kind: 'unmapped'; reason: string };

/** How the grader refers to the row's value of this assertion. */
const slotRef = (slot: string): string => `{{ expected.${slot} }}`;

function holdsTemplate(value: unknown): boolean {
  return typeof value === 'string' && /\{\{|\{%/.test(value);
}

/** A per-test string value: into the row, unless it is itself a template over the vars. */
function textValue(value: unknown, slot: string): { inline: string } | { row: string; ref: string } | undefined {
  if (typeof value === 'number' || typeof value === 'boolean') value = String(value);
  if (typeof value !== 'string' || value === '') return undefined;
  if (holdsTemplate(value)) return { inline: value };
  return { row: value, ref: slotRef(slot) };
}

function stringOption(key: string, value: unknown, slot: string): { grader: Record<string, unknown>; rowValue?: unknown } | undefined {
  const v = textValue(value, slot);
  if (!v) return undefined;
  return 'inline' in v ? { grader: { [key]: v.inline } } : { grader: { [key]: v.ref }, rowValue: v.row };
}

/** The body of a script grader module for a promptfoo `javascript` assertion. */
export function javascriptModule(code: string): string {
  const trimmed = code.trim();
  // promptfoo: a single expression is returned; a multi-line snippet is a function body.
  const body = /\n/.test(trimmed) && /\breturn\b/.test(trimmed) ? trimmed : `return (${trimmed});`;
  return [
    '// Imported from a promptfoo `javascript` assertion. `output` is the model output;',
    '// `context.vars` are the test vars, as in promptfoo.',
    'export default async function (output, ctx) {',
    '  const context = { vars: ctx.vars, prompt: ctx.prompt };',
    ...body.split('\n').map((line) => `  ${line}`),
    '}',
    '',
  ].join('\n');
}

/**
 * Maps one assertion. `slot` names where a per-row value goes; `judgeModel` is the llm-eval model
 * name to grade `llm-rubric` with.
 */
export function mapAssertion(a: PromptfooAssertion, slot: string, judgeModel: string, embedderModel = 'embedder'): MappedAssertion {
  const type = a.type;
  const note = a.weight !== undefined && a.weight !== 1 ? 'weight ignored: every llm-eval grader must pass' : undefined;
  const withNote = (m: MappedAssertion): MappedAssertion => (note && m.kind === 'grader' ? { ...m, note: m.note ? `${m.note}; ${note}` : note } : m);
  switch (type) {
    case 'equals': {
      if (a.value !== null && typeof a.value === 'object') {
        return withNote({ kind: 'grader', grader: { type: 'json', value: `{{ expected.${slot} | json }}` }, rowValue: a.value });
      }
      const m = stringOption('value', a.value, slot);
      return m ? withNote({ kind: 'grader', grader: { type: 'exact', ...m.grader }, rowValue: m.rowValue }) : { kind: 'unmapped', reason: 'equals without a text value' };
    }
    case 'contains':
    case 'icontains':
    case 'not-contains':
    case 'not-icontains': {
      const m = stringOption('value', a.value, slot);
      if (!m) return { kind: 'unmapped', reason: `${type} without a text value` };
      const grader: Record<string, unknown> = { type: type.startsWith('not-') ? 'not-contains' : 'contains', ...m.grader };
      if (type.includes('icontains')) grader['ignoreCase'] = true;
      return withNote({ kind: 'grader', grader, rowValue: m.rowValue });
    }
    case 'contains-any':
    case 'contains-all':
    case 'icontains-any':
    case 'icontains-all': {
      const values = Array.isArray(a.value) ? a.value.map(String).filter((v) => v !== '') : typeof a.value === 'string' ? a.value.split(',').map((v) => v.trim()).filter(Boolean) : [];
      if (values.length === 0) return { kind: 'unmapped', reason: `${type} without values` };
      const grader: Record<string, unknown> = { type: 'contains', values, mode: type.endsWith('-any') ? 'any' : 'all' };
      if (type.startsWith('i')) grader['ignoreCase'] = true;
      return withNote({ kind: 'grader', grader });
    }
    case 'regex': {
      const m = stringOption('pattern', a.value, slot);
      return m ? withNote({ kind: 'grader', grader: { type: 'regex', ...m.grader }, rowValue: m.rowValue }) : { kind: 'unmapped', reason: 'regex without a pattern' };
    }
    case 'is-json':
    case 'contains-json': {
      const scope = type === 'contains-json' ? 'JSON found in the output (a fence or surrounding text is allowed)' : undefined;
      if (a.value !== undefined && a.value !== null && typeof a.value === 'object') {
        return withNote({ kind: 'grader', grader: { type: 'json-schema', schema: a.value }, note: scope });
      }
      if (typeof a.value === 'string' && a.value.startsWith('file://')) {
        return withNote({ kind: 'grader', grader: { type: 'json-schema', schema: a.value.slice('file://'.length) }, note: scope });
      }
      return withNote({ kind: 'grader', grader: { type: 'json' }, note: scope });
    }
    case 'javascript': {
      if (typeof a.value !== 'string' || a.value.trim() === '') return { kind: 'unmapped', reason: 'javascript without code' };
      if (a.value.startsWith('file://')) return { kind: 'unmapped', reason: `javascript from a file (${a.value}): point a \`script\` grader at it and export (output, ctx) => boolean | number | { pass, score, reason }` };
      const grader: Record<string, unknown> = { type: 'script', module: '' };
      if (a.threshold !== undefined) grader['threshold'] = a.threshold;
      return withNote({ kind: 'grader', grader, script: javascriptModule(a.value) });
    }
    case 'llm-rubric':
    case 'model-graded-closedqa': {
      if (typeof a.value !== 'string' || a.value.trim() === '') return { kind: 'unmapped', reason: `${type} without a rubric` };
      const grader: Record<string, unknown> = { type: 'judge', model: judgeModel, rubric: a.value, reference: false };
      if (a.threshold !== undefined) grader['threshold'] = a.threshold;
      return withNote({ kind: 'grader', grader, note: a.provider !== undefined ? 'the assertion\'s own grading provider was replaced by the suite\'s judge model' : undefined });
    }
    case 'factuality': {
      const m = stringOption('reference', a.value, slot);
      if (!m) return { kind: 'unmapped', reason: 'factuality without a reference statement' };
      return withNote({ kind: 'grader', grader: { type: 'judge', model: judgeModel, builtin: 'factuality', ...m.grader }, rowValue: m.rowValue });
    }
    case 'similar': {
      const m = stringOption('value', a.value, slot);
      if (!m) return { kind: 'unmapped', reason: 'similar without a reference text' };
      // Both compare embeddings by cosine; promptfoo's default threshold is 0.75.
      return withNote({
        kind: 'grader',
        grader: { type: 'embedding-similarity', model: embedderModel, ...m.grader, threshold: a.threshold ?? 0.75 },
        rowValue: m.rowValue,
        note: a.provider !== undefined ? "the assertion's own embedding provider was replaced by the suite's embeddings model" : undefined,
      });
    }
    case 'cost':
      if (typeof a.threshold !== 'number') return { kind: 'unmapped', reason: 'cost without a threshold' };
      return withNote({ kind: 'grader', grader: { type: 'cost', max: a.threshold } });
    case 'latency':
      if (typeof a.threshold !== 'number' || a.threshold <= 0) return { kind: 'unmapped', reason: 'latency without a threshold' };
      return withNote({ kind: 'grader', grader: { type: 'latency', maxMs: a.threshold } });
    default:
      return { kind: 'unmapped', reason: `assertion type "${type}" has no llm-eval equivalent` };
  }
}

/**
 * A CSV `__expected` cell in promptfoo's short form: `contains: x`, `icontains: x`, `regex: x`,
 * `javascript: x`, `llm-rubric: x` (`grade: x`), `similar(0.8): x`, `is-json`, `not-…`; any other
 * text means `equals`.
 */
export function assertionFromCell(cell: string): PromptfooAssertion {
  const text = cell.trim();
  if (text === 'is-json' || text === 'contains-json') return { type: text };
  const m = /^(not-)?([a-z][a-z-]*)(?:\(([\d.]+)\))?:\s*([\s\S]*)$/.exec(text);
  if (m) {
    const [, not = '', name = '', threshold, value = ''] = m;
    const type = name === 'grade' ? 'llm-rubric' : name === 'fn' || name === 'eval' ? 'javascript' : name;
    if (KNOWN_CELL_TYPES.has(type)) {
      const a: PromptfooAssertion = { type: `${not}${type}`, value };
      if (threshold !== undefined) a.threshold = Number(threshold);
      return a;
    }
  }
  return { type: 'equals', value: text };
}

const KNOWN_CELL_TYPES = new Set(['equals', 'contains', 'icontains', 'contains-any', 'contains-all', 'icontains-any', 'icontains-all', 'regex', 'javascript', 'llm-rubric', 'similar', 'factuality', 'starts-with', 'levenshtein', 'python', 'is-json', 'contains-json']);
