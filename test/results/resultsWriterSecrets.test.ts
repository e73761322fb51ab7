import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ResultsWriter } from '../../src/results/store.js';
import { clearSecrets, registerSecret } from '../../src/util/secrets.js';
import { record, tempDir } from './runFixture.js';

describe('results.jsonl never stores a secret', () => {
  afterEach(() => clearSecrets());

  it('masks a key in any string of the record, also one JSON must escape, and leaves other records as they are', async () => {
    const KEY = 'sk-proj-writer-0123456789abcdef';
    const ODD = 'pass"word\\with-escapes';
    registerSecret(KEY);
    registerSecret(ODD);
    const file = path.join(tempDir(), 'results.jsonl');
    const writer = new ResultsWriter(file);
    const clean = record({ caseId: 'clean', pass: true });
    expect(writer.append(clean)).toBe(clean);
    const leaky = { ...record({ caseId: 'leaky', pass: false }), output: `the key is ${KEY}`, grades: [{ grader: 'g', pass: false, score: 0, reason: `saw ${ODD} in the answer` }] };
    const stored = writer.append(leaky);
    await writer.close();
    expect(stored).not.toBe(leaky);
    expect(stored.output).toBe('the key is [REDACTED]');
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(JSON.stringify(ODD).slice(1, -1));
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as { caseId: string; output: string; grades: Array<{ reason: string }> });
    expect(lines.map((l) => l.caseId)).toEqual(['clean', 'leaky']);
    expect(lines[1]!.output).toBe('the key is [REDACTED]');
    expect(lines[1]!.grades[0]!.reason).toBe('saw [REDACTED] in the answer');
  });
});
