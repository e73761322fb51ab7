import { describe, expect, it } from 'vitest';
import { redactRecord, recordRedactor } from '../../src/results/redact.js';
import type { CaseRecord, ResolvedSuite } from '../../src/types.js';

const RAW_EMAIL = 'ann.lee@example.com';
const RAW_SSN = '078-05-1120'; // the Woolworth wallet-card SSN, valid in shape
const RAW_IBAN = 'GB82 WEST 1234 5698 7654 32'; // the ECBS example IBAN

function record(over: Partial<CaseRecord> = {}): CaseRecord {
  return {
    suite: 'support',
    variant: 'v1',
    caseId: 'case-1',
    repeat: 0,
    vars: { customer: { email: RAW_EMAIL, ssn: RAW_SSN }, card: 4111111111111111, note: 'no personal data' },
    expected: `Refund to ${RAW_IBAN}`,
    prompt: { name: 'p', version: 'v1', hash: 'abc' },
    model: 'openai:gpt-4o-mini',
    output: `Mailed ${RAW_EMAIL}; SSN ${RAW_SSN}.`,
    pass: false,
    score: 0,
    grades: [{ grader: 'exact', pass: false, score: 0, reason: `got "${RAW_EMAIL}"`, details: { got: [RAW_IBAN] } }],
    tokens: null,
    costUsd: null,
    latencyMs: 12,
    cached: false,
    error: { kind: 'grader', message: `script failed on ${RAW_EMAIL}` },
    ...over,
  };
}

describe('redactRecord', () => {
  it('masks output, vars (nested, and numbers), expected, reasons, details and the error message', () => {
    const text = JSON.stringify(redactRecord(record()));
    for (const raw of [RAW_EMAIL, RAW_SSN, RAW_IBAN, '4111111111111111', '1120', '5432']) expect(text).not.toContain(raw);
    const r = redactRecord(record());
    expect(r.output).toBe('Mailed a***@e***.com; SSN ***-**-****.');
    expect(r.vars).toEqual({ customer: { email: 'a***@e***.com', ssn: '***-**-****' }, card: '****************', note: 'no personal data' });
    expect(r.expected).toBe('Refund to GB** **** **** **** **** **');
    expect(r.grades[0]!.reason).toBe('got "a***@e***.com"');
    expect(r.error!.message).toBe('script failed on a***@e***.com');
  });

  it('leaves the run\'s own fields alone and is idempotent', () => {
    const once = redactRecord(record());
    expect(once).toMatchObject({ suite: 'support', variant: 'v1', caseId: 'case-1', model: 'openai:gpt-4o-mini', latencyMs: 12 });
    expect(redactRecord(once)).toEqual(once);
  });

  it('applies to the suites that ask for it, or to all with the run option', () => {
    const suite = (name: string, options: Record<string, unknown>): ResolvedSuite => ({ name, dataset: 'd', variants: [], repeat: 1, graders: [], options });
    const suites = [suite('support', { redact: 'pii' }), suite('other', {})];
    expect(recordRedactor(suites)(record()).output).not.toContain(RAW_EMAIL);
    expect(recordRedactor(suites)(record({ suite: 'other' })).output).toContain(RAW_EMAIL);
    expect(recordRedactor(suites, 'pii')(record({ suite: 'other' })).output).not.toContain(RAW_EMAIL);
  });
});
