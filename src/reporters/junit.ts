import { toolCallText } from '../util/toolCallText.js';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CaseRecord, RunReport } from '../types.js';
import { redactDeep, redactDeepIfAny } from '../util/secrets.js';
import { AtomicFileSink, writeFileStreaming } from './fileSink.js';
import type { Reporter, StoredRun } from './types.js';
import { xmlAttr, xmlText } from './xml.js';

export const JUNIT_REPORT_FILE = 'junit.xml';
/** The testsuite that holds the gate's failures. */
export const GATE_SUITE = 'llm-eval.gate';

/** A failure message attribute stays short; the element body carries the full reasons and output. */
const MAX_MESSAGE_CHARS = 1000;
/** An output quoted in a failure body is cut here: a CI log is not the place for a whole document. */
const MAX_OUTPUT_CHARS = 4000;

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** `testcase` name: the case id and the 0-based repeat, as in the run's case keys. */
export function testcaseName(r: Pick<CaseRecord, 'caseId' | 'repeat'>): string {
  return `${r.caseId}#${r.repeat}`;
}

/** `classname` (and testsuite name): `suite.variant`, so CI UIs group cases by variant. */
export function testsuiteName(suite: string, variant: string): string {
  return `${suite}.${variant}`;
}

function seconds(ms: number | null | undefined): string {
  return ((ms ?? 0) / 1000).toFixed(3);
}

/** `<testcase>` for one case record. */
export function testcaseXml(r: CaseRecord): string {
  const open = `<testcase name="${xmlAttr(testcaseName(r))}" classname="${xmlAttr(testsuiteName(r.suite, r.variant))}" time="${seconds(r.latencyMs)}"`;
  if (r.error) {
    const body = [`${r.error.kind}: ${r.error.message}`, ...gradeLines(r.grades.filter((g) => !g.pass))].join('\n');
    return `    ${open}>\n      <error message="${xmlAttr(truncate(r.error.message, MAX_MESSAGE_CHARS))}" type="${xmlAttr(r.error.kind)}">${xmlText(body)}</error>\n    </testcase>\n`;
  }
  if (r.pass) return `    ${open}/>\n`;
  const failing = r.grades.filter((g) => !g.pass);
  const message = failing.length ? failing.map((g) => `${g.grader}: ${g.reason}`).join('; ') : 'the case failed (every grade passed, but a repeat rule did not)';
  const type = failing.length ? failing.map((g) => g.grader).join(',') : 'case';
  const calls = r.toolCalls?.length ? ['', 'tool calls:', ...r.toolCalls.map((c) => `  ${toolCallText(c, MAX_MESSAGE_CHARS)}`)] : [];
  const body = [...gradeLines(failing), ...calls, '', 'output:', r.output == null ? '(none)' : truncate(r.output, MAX_OUTPUT_CHARS)].join('\n');
  return `    ${open}>\n      <failure message="${xmlAttr(truncate(message, MAX_MESSAGE_CHARS))}" type="${xmlAttr(type)}">${xmlText(body)}</failure>\n    </testcase>\n`;
}

function gradeLines(grades: CaseRecord['grades']): string[] {
  return grades.map((g) => `✗ ${g.grader} (score ${g.score.toFixed(2)}): ${g.reason}`);
}

interface SuitePart {
  suite: string;
  variant: string;
  file: string;
  sink: AtomicFileSink;
  tests: number;
  failures: number;
  errors: number;
  timeMs: number;
}

/** Ant/JUnit timestamps are ISO 8601 without a zone (the schema's pattern rejects `Z`); ours are UTC. */
function junitTimestamp(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '1970-01-01T00:00:00' : d.toISOString().slice(0, 19);
}

function variantProperties(report: RunReport, suite: string, variant: string): string {
  const v = report.suites.find((s) => s.name === suite)?.variants.find((x) => x.name === variant);
  const props: Array<[string, string]> = [['runId', report.runId]];
  if (v) props.push(['model', v.model], ['prompt', `${v.prompt}#${v.promptHash}`]);
  return `    <properties>\n${props.map(([k, val]) => `      <property name="${xmlAttr(k)}" value="${xmlAttr(val)}"/>\n`).join('')}    </properties>\n`;
}

/**
 * Writes junit.xml: a `<testsuite>` per suite × variant, a `<testcase>` per case record. Records
 * arrive in completion order, interleaved; each testsuite's cases are first streamed to its own
 * temporary file (its counts are only known at the end), then the parts are joined in order.
 */
export async function writeJunitReport(run: StoredRun, file: string): Promise<void> {
  const report = run.report;
  const tmp = await mkdtemp(path.join(tmpdir(), 'llm-eval-junit-'));
  const parts = new Map<string, SuitePart>();
  const order: SuitePart[] = [];
  try {
    for await (const raw of run.cases()) {
      const r = redactDeepIfAny(raw);
      const key = `${r.suite}\u0000${r.variant}`;
      let part = parts.get(key);
      if (!part) {
        const partFile = path.join(tmp, `${parts.size}.xml`);
        part = { suite: r.suite, variant: r.variant, file: partFile, sink: await AtomicFileSink.open(partFile), tests: 0, failures: 0, errors: 0, timeMs: 0 };
        parts.set(key, part);
        order.push(part);
      }
      part.tests++;
      if (r.error) part.errors++;
      else if (!r.pass) part.failures++;
      part.timeMs += r.latencyMs ?? 0;
      await part.sink.write(testcaseXml(r));
    }
    for (const part of order) await part.sink.commit();
    // Suites and variants in the report's order (config order), then any the report does not list.
    const rank = new Map<string, number>();
    report.suites.forEach((s) => s.variants.forEach((v) => rank.set(`${s.name}\u0000${v.name}`, rank.size)));
    order.sort((a, b) => (rank.get(`${a.suite}\u0000${a.variant}`) ?? Infinity) - (rank.get(`${b.suite}\u0000${b.variant}`) ?? Infinity));

    const total = order.reduce((t, p) => ({ tests: t.tests + p.tests, failures: t.failures + p.failures, errors: t.errors + p.errors, timeMs: t.timeMs + p.timeMs }), { tests: 0, failures: 0, errors: 0, timeMs: 0 });
    const gateFailures = redactDeep(report.gate.failures);
    total.tests += gateFailures.length;
    total.failures += gateFailures.length;
    const timestamp = junitTimestamp(report.createdAt);
    await writeFileStreaming(file, async (sink) => {
      await sink.write('<?xml version="1.0" encoding="UTF-8"?>\n');
      await sink.write(`<testsuites name="${xmlAttr(`llm-eval ${report.runId}`)}" tests="${total.tests}" failures="${total.failures}" errors="${total.errors}" time="${seconds(total.timeMs)}">\n`);
      for (const [id, part] of order.entries()) {
        await sink.write(
          `  <testsuite name="${xmlAttr(testsuiteName(part.suite, part.variant))}" tests="${part.tests}" failures="${part.failures}" errors="${part.errors}" skipped="0" time="${seconds(part.timeMs)}" timestamp="${timestamp}" hostname="localhost" id="${id}" package="${xmlAttr(part.suite)}">\n`,
        );
        await sink.write(variantProperties(report, part.suite, part.variant));
        for await (const chunk of createReadStream(part.file, { encoding: 'utf8' })) await sink.write(chunk as string);
        await sink.write('  </testsuite>\n');
      }
      if (gateFailures.length) await sink.write(gateSuiteXml(gateFailures, timestamp, order.length));
      await sink.write('</testsuites>\n');
    });
  } finally {
    await Promise.all(order.map((p) => p.sink.abort().catch(() => undefined)));
    await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * A failed gate as CI test results: one failing `<testcase>` per gate failure (the gate's own
 * message), in a `llm-eval.gate` testsuite, so a rule that fails without any failing case
 * (maxCostUsd, an unknown cost, a regression) is still a red test in the CI's UI.
 */
function gateSuiteXml(failures: RunReport['gate']['failures'], timestamp: string, id: number): string {
  const cases = failures.map((f) => {
    const where = [f.suite, f.variant].filter(Boolean).join('/');
    const name = `${f.rule}${where ? ` ${where}` : ''}`;
    return `    <testcase name="${xmlAttr(name)}" classname="${GATE_SUITE}" time="0">\n      <failure message="${xmlAttr(truncate(f.message, MAX_MESSAGE_CHARS))}" type="${xmlAttr(f.rule)}">${xmlText(f.message)}</failure>\n    </testcase>\n`;
  });
  return (
    `  <testsuite name="${GATE_SUITE}" tests="${failures.length}" failures="${failures.length}" errors="0" skipped="0" time="0" timestamp="${timestamp}" hostname="localhost" id="${id}" package="llm-eval">\n` +
    cases.join('') +
    '  </testsuite>\n'
  );
}

/** The junit.xml file reporter; writes into `outDir`, or the run folder when not given. */
export function junitReporter(opts: { outDir?: string } = {}): Reporter {
  return {
    name: 'junit',
    async onRunEnd(run) {
      await writeJunitReport(run, path.join(opts.outDir ?? run.dir, JUNIT_REPORT_FILE));
    },
  };
}
