import type { CaseRecord, ResolvedSuite, ToolCall } from '../types.js';
import { redactPii } from '../graders/pii/redact.js';
import type { RedactMode } from '../config/redactMode.js';


/** Every string (and number that reads as personal data) inside a JSON-like value, masked. */
function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return redactPii(value);
  if (typeof value === 'number') {
    const text = String(value);
    const masked = redactPii(text);
    return masked === text ? value : masked;
  }
  if (Array.isArray(value)) return value.map(redactValue);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactValue(v);
    return out;
  }
  return value;
}

/** A tool call with its arguments masked (raw text and parsed values alike); id and name kept. */
function redactCall(call: ToolCall): ToolCall {
  const out: ToolCall = { ...call, rawArguments: redactPii(call.rawArguments) };
  if (call.arguments !== undefined) out.arguments = redactValue(call.arguments);
  return out;
}

/**
 * A case record with personal data masked wherever text from the row or the model lands: output,
 * tool call arguments, vars, expected, grade reasons and details, the error message. Ids, names and numbers of the
 * run itself are left alone. Applied before a record is written, so results.jsonl and every
 * report rendered from it (HTML, JUnit, Markdown, terminal) hold only the masked text.
 */
export function redactRecord(record: CaseRecord): CaseRecord {
  return {
    ...record,
    vars: redactValue(record.vars) as Record<string, unknown>,
    ...(record.expected !== undefined ? { expected: redactValue(record.expected) } : {}),
    output: record.output === null ? null : redactPii(record.output),
    ...(record.toolCalls ? { toolCalls: record.toolCalls.map((c) => redactCall(c)) } : {}),
    grades: record.grades.map((g) => ({ ...g, reason: redactPii(g.reason), ...(g.details ? { details: redactValue(g.details) as Record<string, unknown> } : {}) })),
    error: record.error ? { ...record.error, message: redactPii(record.error.message) } : null,
    // A conversation's turns, steps and transcript hold the row's and the model's text too.
    ...(record.steps ? { steps: redactValue(record.steps) as CaseRecord['steps'] } : {}),
    ...(record.turns ? { turns: redactValue(record.turns) as CaseRecord['turns'] } : {}),
    ...(record.transcript ? { transcript: redactValue(record.transcript) as CaseRecord['transcript'] } : {}),
  };
}

/**
 * The redaction each suite's records get: the run's `--redact` for every suite, else the suite's
 * `redact:` option. Records of a suite with neither are written as they are.
 */
export function recordRedactor(suites: ResolvedSuite[], runMode?: RedactMode): (record: CaseRecord) => CaseRecord {
  const redacted = new Set(suites.filter((s) => runMode === 'pii' || s.options['redact'] === 'pii').map((s) => s.name));
  return (record) => (redacted.has(record.suite) ? redactRecord(record) : record);
}
