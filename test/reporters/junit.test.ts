import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XmlDocument, XsdValidator, type XmlElement } from 'libxml2-wasm';
import { junitReporter, writeJunitReport } from '../../src/reporters/junit.js';
import { fixtureRun, makeRecord, storedRunOf, tempDir, HOSTILE_OUTPUTS } from './fixtures.js';

const XSD_FILE = path.join(import.meta.dirname, 'junit.xsd');

let work: { dir: string; cleanup(): Promise<void> };
let validator: XsdValidator;
let xsdDoc: XmlDocument;

beforeAll(async () => {
  work = await tempDir();
  xsdDoc = XmlDocument.fromString(await readFile(XSD_FILE, 'utf8'));
  validator = XsdValidator.fromDoc(xsdDoc);
});
afterAll(async () => {
  validator.dispose();
  xsdDoc.dispose();
  await work.cleanup();
});

/** Parses and validates against test/reporters/junit.xsd; throws with libxml2's messages when invalid. */
function parseValid(xml: string): XmlDocument {
  const doc = XmlDocument.fromString(xml);
  try {
    validator.validate(doc);
  } catch (err) {
    doc.dispose();
    throw err;
  }
  return doc;
}

function attr(node: unknown, name: string): string | undefined {
  return (node as XmlElement).attr(name)?.value;
}

describe('junit.xml', () => {
  it('validates against the JUnit schema for a generated run with repeats, errors, hostile text and two suites', async () => {
    const run = await fixtureRun(work.dir, 'generated', { cases: 120, repeats: 2, hostile: true, suites: ['tickets', 'summaries'] });
    const file = path.join(run.dir, 'junit.xml');
    await writeJunitReport(run, file);
    const doc = parseValid(await readFile(file, 'utf8'));
    try {
      const all = doc.find('/testsuites/testsuite');
      // The fixture's gate failed: its failures come last, as a testsuite of their own.
      expect(run.report.gate.failures.length).toBeGreaterThan(0);
      expect(all.map((s) => attr(s, 'name'))).toEqual(['tickets.v1', 'tickets.v2', 'summaries.v1', 'summaries.v2', 'llm-eval.gate']);
      const gate = all.pop()!;
      expect(Number(attr(gate, 'failures'))).toBe(run.report.gate.failures.length);
      expect((gate as XmlElement).find('testcase/failure').map((f) => (f as XmlElement).content)).toEqual(run.report.gate.failures.map((f) => f.message));
      const suites = all;
      for (const s of suites) {
        const summary = run.report.suites.find((x) => x.name === attr(s, 'package'))!.variants.find((v) => `${attr(s, 'package')}.${v.name}` === attr(s, 'name'))!;
        expect(Number(attr(s, 'tests'))).toBe(summary.cases);
        expect(Number(attr(s, 'failures'))).toBe(summary.failed);
        expect(Number(attr(s, 'errors'))).toBe(summary.errors);
        expect((s as XmlElement).find('testcase')).toHaveLength(summary.cases);
      }
      expect(Number(attr(doc.root, 'tests'))).toBe(run.report.totals.cases + run.report.gate.failures.length);
      // The errored fixture case (every 97th, v2) is an <error>, not a <failure>.
      const errored = doc.get('//testcase[@name="tickets-000097#0" and @classname="tickets.v2"]')!;
      expect((errored as XmlElement).find('error')).toHaveLength(1);
      expect((errored as XmlElement).find('failure')).toHaveLength(0);
      expect(attr((errored as XmlElement).get('error'), 'type')).toBe('provider');
    } finally {
      doc.dispose();
    }
  });

  it('carries each failing grade reason in the failure, names cases by id and repeat, and times them in seconds', async () => {
    const records = [
      makeRecord({ caseId: 'a', latencyMs: 1234 }),
      makeRecord({
        caseId: 'b',
        repeat: 2,
        pass: false,
        score: 0.2,
        output: 'refund',
        latencyMs: 50,
        grades: [
          { grader: 'exact', pass: false, score: 0, reason: 'expected "billing", got "refund"' },
          { grader: 'judge:tone', pass: false, score: 0.4, reason: 'curt & unhelpful' },
          { grader: 'contains', pass: true, score: 1, reason: 'contains "re"' },
        ],
      }),
      makeRecord({ caseId: 'c', pass: false, score: 0, output: null, grades: [], latencyMs: null, error: { kind: 'timeout', message: 'no answer within 60000 ms' } }),
    ];
    const file = path.join(work.dir, 'reasons.xml');
    await writeJunitReport(storedRunOf(records, work.dir), file);
    const doc = parseValid(await readFile(file, 'utf8'));
    try {
      const a = doc.get('//testcase[@name="a#0"]')!;
      expect(attr(a, 'classname')).toBe('tickets.v1');
      expect(attr(a, 'time')).toBe('1.234');
      expect((a as XmlElement).find('*')).toHaveLength(0);

      const failure = doc.get('//testcase[@name="b#2"]/failure')!;
      expect(attr(failure, 'message')).toBe('exact: expected "billing", got "refund"; judge:tone: curt & unhelpful');
      expect(failure.content).toContain('✗ judge:tone (score 0.40): curt & unhelpful');
      expect(failure.content).toContain('output:\nrefund');
      expect(failure.content).not.toContain('contains "re"');

      const error = doc.get('//testcase[@name="c#0"]/error')!;
      expect(attr(error, 'type')).toBe('timeout');
      expect(attr(error, 'message')).toBe('no answer within 60000 ms');
      expect(attr(doc.get('//testcase[@name="c#0"]'), 'time')).toBe('0.000');
      expect(attr(doc.get('/testsuites/testsuite'), 'timestamp')).toBe('2026-02-03T04:05:06');
    } finally {
      doc.dispose();
    }
  });

  it('escapes markup and strips characters XML cannot hold, keeping the rest of the text', async () => {
    const nasty = `a\u0000b\u0001c\u0008d\u000be\u001ff\ud800g\udfffh\ufffei\uffffj ]]> <x y="1"> & 'q' \t tab\r\n😀`;
    const records = [
      makeRecord({ caseId: `id-${nasty}`, pass: false, score: 0, output: nasty, grades: [{ grader: 'exact', pass: false, score: 0, reason: nasty }] }),
      makeRecord({ caseId: 'hostile', variant: 'v"2<', pass: false, score: 0, output: HOSTILE_OUTPUTS.join('\n'), grades: [{ grader: 'g', pass: false, score: 0, reason: HOSTILE_OUTPUTS[2]! }] }),
    ];
    const file = path.join(work.dir, 'nasty.xml');
    await writeJunitReport(storedRunOf(records, work.dir), file);
    const xml = await readFile(file, 'utf8');
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/);
    const doc = parseValid(xml);
    try {
      const kept = 'abcdefghij ]]> <x y="1"> & \'q\' \t tab';
      const tc = doc.find('//testcase')[0]!;
      expect(attr(tc, 'name')).toBe(`id-${kept}\r\n😀#0`);
      expect(attr((tc as XmlElement).get('failure'), 'message')).toBe(`exact: ${kept}\r\n😀`);
      expect((tc as XmlElement).get('failure')!.content).toContain(`output:\n${kept}`);
      const hostile = doc.find('//testcase')[1]!;
      expect(attr(hostile, 'classname')).toBe('tickets.v"2<');
      expect((hostile as XmlElement).get('failure')!.content).toContain('</script><script>window.__pwned=1</script>');
    } finally {
      doc.dispose();
    }
  });

  it('the schema check can fail: a testsuite without its counts is rejected', () => {
    expect(() => parseValid('<testsuites><testsuite name="x" time="0" timestamp="2026-01-01T00:00:00" hostname="h"><testcase name="a" classname="b" time="1"/></testsuite></testsuites>').dispose()).toThrow();
    expect(() => parseValid('<testsuites><testsuite name="x" tests="1" failures="0" errors="0" time="0" timestamp="2026-01-01T00:00:00Z" hostname="h"/></testsuites>').dispose()).toThrow();
  });

  it('the reporter writes junit.xml into the run folder, or into outDir, leaving no temporary file', async () => {
    const run = await fixtureRun(work.dir, 'reporter', { cases: 5 });
    await junitReporter().onRunEnd!(run, run.report.gate);
    const out = path.join(work.dir, 'elsewhere');
    await junitReporter({ outDir: out }).onRunEnd!(run, run.report.gate);
    expect((await readdir(run.dir)).sort()).toEqual(['junit.xml', 'report.json', 'results.jsonl', 'run.json']);
    expect(await readdir(out)).toEqual(['junit.xml']);
    parseValid(await readFile(path.join(out, 'junit.xml'), 'utf8')).dispose();
  });
});
