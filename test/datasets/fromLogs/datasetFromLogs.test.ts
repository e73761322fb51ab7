import { mkdtempSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { datasetFromLogs } from '../../../src/datasets/fromLogs/index.js';
import { redactPiiCounted } from '../../../src/graders/pii/redact.js';
import { runCli } from '../../helpers/project.js';

const dir = mkdtempSync(path.join(tmpdir(), 'llm-eval-from-logs-'));
const noMask = (text: string): { text: string; found: number } => ({ text, found: 0 });

function logLine(model: string, question: string, answer: string): string {
  return JSON.stringify({ request: { model, messages: [{ role: 'user', content: question }] }, response: { choices: [{ message: { content: answer } }] } });
}

function writeLog(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

describe('dataset from-logs', () => {
  it('drops repeated requests, samples each model in proportion and keeps the answer as expected', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 900; i++) lines.push(logLine('big', `question ${i}`, `answer ${i}`));
    for (let i = 0; i < 100; i++) lines.push(logLine('small', `other ${i}`, `reply ${i}`));
    // The same 50 requests again, with other spacing and answers: duplicates of the request.
    for (let i = 0; i < 50; i++) lines.push(logLine('big', `question  ${i} `, 'different answer'));
    const file = writeLog('mixed.jsonl', lines);
    const result = await datasetFromLogs(file, { sample: 50, stratify: 'model', seed: 7, mask: noMask });
    expect(result).toMatchObject({ lines: 1050, distinct: 1000, duplicates: 50, unreadable: 0 });
    // 900:100 over 50 rows → 45 and 5.
    expect(result.strata).toEqual([{ name: 'big', distinct: 900, sampled: 45 }, { name: 'small', distinct: 100, sampled: 5 }]);
    for (const row of result.rows) {
      const n = /\d+$/.exec(row.vars.input)![0];
      expect(row.expected).toBe(row.vars.input.startsWith('question') ? `answer ${n}` : `reply ${n}`);
    }
    const again = await datasetFromLogs(file, { sample: 50, stratify: 'model', seed: 7, mask: noMask });
    expect(again.rows).toEqual(result.rows);
  });

  it('samples uniformly: over 1,000 seeds each of 20 requests is kept about 5/20 of the time', async () => {
    const file = writeLog('twenty.jsonl', Array.from({ length: 20 }, (_, i) => logLine('m', `q${i}`, 'a')));
    const kept = new Map<string, number>();
    for (let seed = 1; seed <= 1000; seed++) {
      const r = await datasetFromLogs(file, { sample: 5, stratify: 'none', seed, mask: noMask });
      for (const row of r.rows) kept.set(row.vars.input, (kept.get(row.vars.input) ?? 0) + 1);
    }
    // Expected 250 each; sd = sqrt(1000 × 0.25 × 0.75) ≈ 13.7, so ±60 is over 4 sd.
    expect(kept.size).toBe(20);
    for (const [, n] of kept) expect(Math.abs(n - 250)).toBeLessThan(60);
  });

  it('masks personal data in inputs and answers, and lists unreadable lines by number', async () => {
    const file = writeLog('pii.jsonl', [logLine('m', 'Mail me at jane.doe@example.com', 'Card 4111 1111 1111 1111 noted'), '{not json', JSON.stringify({ prompt: 'x' })]);
    const r = await datasetFromLogs(file, { sample: 10, stratify: 'model', seed: 1, mask: redactPiiCounted });
    expect(r.unreadable).toBe(2);
    expect(r.problems).toEqual([{ line: 2, message: 'not valid JSON' }, { line: 3, message: 'no `messages` list of { role, content }' }]);
    const text = JSON.stringify(r.rows);
    expect(text).not.toContain('jane.doe@example.com');
    expect(text).not.toContain('4111 1111 1111 1111');
    expect(r.piiMasked).toBe(2);
  });

  it('streams a 1,000,000-line log through the CLI into a valid draft dataset', async () => {
    const file = path.join(dir, 'million.jsonl');
    const stream = createWriteStream(file);
    // 1,000,000 lines: 990,000 distinct requests (i mod 990,000), two models alternating.
    for (let i = 0; i < 1_000_000; i++) {
      const q = i % 990_000;
      if (!stream.write(`{"request":{"model":"m${q % 2}","messages":[{"role":"user","content":"q${q}"}]},"response":{"choices":[{"message":{"content":"a${q}"}}]}}\n`)) {
        await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
      }
    }
    await new Promise<void>((resolve) => stream.end(() => resolve()));
    const out = path.join(dir, 'draft.jsonl');
    const r = runCli(['dataset', 'from-logs', file, '--out', out, '--sample', '100'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Read 1,000,000 lines');
    expect(r.stdout).toContain('990,000 distinct requests, 10,000 duplicates dropped');
    const rows = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { vars: { input: string }; expected: string; tags: string[] });
    expect(rows).toHaveLength(100);
    // Even and odd requests alternate models: 495,000 each, so 50 rows each.
    expect(rows.filter((row) => row.tags.includes('m0'))).toHaveLength(50);
    for (const row of rows) expect(row.expected).toBe(row.vars.input.replace('q', 'a'));
  }, 120_000);
});
