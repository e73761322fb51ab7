import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Script, createContext, runInContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { htmlReporter, writeHtmlReport } from '../../src/reporters/html/index.js';
import { clientScript } from '../../src/reporters/html/page.js';
import { ROWS_ELEMENT_ID } from '../../src/reporters/html/elementIds.js';
import type { StoredRun } from '../../src/reporters/types.js';
import type { CaseRecord } from '../../src/types.js';
import { clearSecrets, registerSecret } from '../../src/util/secrets.js';
import { fixtureRun, makeRecord, storedRunOf, tempDir, HOSTILE_OUTPUTS } from './fixtures.js';

let work: { dir: string; cleanup(): Promise<void> };
beforeAll(async () => {
  work = await tempDir('llm-eval-html-');
});
afterAll(() => work.cleanup());

interface Payload {
  v: number;
  report: { runId: string };
  rows: unknown[][];
  strings: string[];
  prompts?: { byCase: Record<string, { m: Array<[string, string]> } | { error: string }>; templateErrors: Record<string, string>; maxCases: number; maxChars: number; omitted: number };
}

/** The embedded data block, parsed as the page's script parses it. */
function embeddedData(html: string): Payload {
  const open = `<script type="application/json" id="${ROWS_ELEMENT_ID}">`;
  const start = html.indexOf(open) + open.length;
  const end = html.indexOf('</script>', start);
  return JSON.parse(html.slice(start, end)) as Payload;
}

/** Decodes the rows back to (suite, caseId, variant, repeat, output), following payload.ts's layout. */
function decodeOutputs(p: Payload): Array<{ suite: string; caseId: string; variant: string; repeat: number; output: string | null }> {
  const s = (v: unknown): string => (typeof v === 'number' ? p.strings[v]! : (v as string));
  const groups: Array<{ suite: string; id: string }> = [];
  const out: Array<{ suite: string; caseId: string; variant: string; repeat: number; output: string | null }> = [];
  for (const row of p.rows) {
    let g: { suite: string; id: string };
    if (typeof row[0] === 'number') g = groups[row[0]]!;
    else {
      const def = row[0] as { s: unknown; id: string };
      g = { suite: s(def.s), id: def.id };
      groups.push(g);
    }
    const o = row[5];
    let output: string | null;
    if (o == null) output = null;
    else if (!Array.isArray(o)) output = s(o);
    else {
      // [row] the same output as that row; [row, prefix, middle, suffix] that row's text with its middle replaced.
      const base = out[o[0] as number]!.output ?? '';
      output = o.length === 1 ? base : base.substring(0, o[1] as number) + (o[2] as string) + base.substring(base.length - (o[3] as number));
    }
    out.push({ suite: g.suite, caseId: g.id, variant: s(row[1]), repeat: row[2] as number, output });
  }
  return out;
}

async function readAllRecords(run: StoredRun): Promise<CaseRecord[]> {
  const list: CaseRecord[] = [];
  for await (const r of run.cases()) list.push(r);
  return list;
}

describe('report.html file', () => {
  it('embeds every case record exactly as stored, even outputs that try to close the script', async () => {
    const run = await fixtureRun(work.dir, 'roundtrip', { cases: 60, repeats: 2, hostile: true, suites: ['tickets', 'summaries'] });
    const file = path.join(run.dir, 'report.html');
    await writeHtmlReport(run, run.report.gate, file);
    const html = await readFile(file, 'utf8');
    // Only the three real script ends (head data, script, rows); hostile `</script>` and `<!--` never appear raw.
    expect(html.match(/<\/script/gi)).toHaveLength(3);
    expect(html).not.toContain('<!--');
    expect(html).not.toMatch(/[\u2028\u2029]/);
    const payload = embeddedData(html);
    const records = await readAllRecords(run);
    expect(decodeOutputs(payload)).toEqual(records.map((r) => ({ suite: r.suite, caseId: r.caseId, variant: r.variant, repeat: r.repeat, output: r.output })));
    for (const h of HOSTILE_OUTPUTS) expect(records.some((r) => r.output === h)).toBe(true);
  });

  it('stores a case’s vars once however many variants and repeats ran it, and a repeated long output once', async () => {
    const long = 'A long answer that every repeat gives word for word. '.repeat(20);
    const records: CaseRecord[] = [];
    for (const variant of ['v1', 'v2', 'v3'])
      for (const repeat of [0, 1, 2]) records.push(makeRecord({ variant, repeat, vars: { ticket: 'UNIQUE-VARS-MARKER please help' }, output: long }));
    const file = path.join(work.dir, 'dedup.html');
    await writeHtmlReport(storedRunOf(records, work.dir), { passed: true, failures: [] }, file);
    const html = await readFile(file, 'utf8');
    expect(html.split('UNIQUE-VARS-MARKER')).toHaveLength(2);
    expect(html.split('A long answer that every repeat gives word for word.').length - 1).toBe(20);
    const decoded = decodeOutputs(embeddedData(html));
    expect(decoded).toHaveLength(9);
    expect(decoded.every((d) => d.output === long)).toBe(true);
  });

  it('stores a variant’s output as its difference from the case’s previous one, exactly, even when the change splits an emoji’s surrogate pair', async () => {
    const shared = 'The same long opening that both variants write before they differ. '.repeat(3);
    // U+1F600 and U+1F603 share their high surrogate (D83D): the common prefix ends inside the pair.
    const a = `${shared}\u{1F600} tail that both share, long enough to count as a suffix too.`;
    const b = `${shared}\u{1F603} tail that both share, long enough to count as a suffix too.`;
    const records = [makeRecord({ variant: 'v1', output: a }), makeRecord({ variant: 'v2', output: b })];
    const file = path.join(work.dir, 'delta.html');
    await writeHtmlReport(storedRunOf(records, work.dir), { passed: true, failures: [] }, file);
    const html = await readFile(file, 'utf8');
    // The shared opening is written once, not twice.
    expect(html.split('The same long opening').length - 1).toBe(3);
    expect(decodeOutputs(embeddedData(html)).map((d) => d.output)).toEqual([a, b]);
  });

  it('is smaller than results.jsonl', async () => {
    const run = await fixtureRun(work.dir, 'size', { cases: 1000, repeats: 2 });
    const file = path.join(run.dir, 'report.html');
    await writeHtmlReport(run, run.report.gate, file);
    const html = (await stat(file)).size;
    const jsonl = (await stat(path.join(run.dir, 'results.jsonl'))).size;
    expect(html / jsonl).toBeLessThan(1);
  });

  it('allows only its own script and stylesheet (by hash) and nothing from the network', async () => {
    const run = await fixtureRun(work.dir, 'csp', { cases: 5 });
    const file = path.join(run.dir, 'report.html');
    await writeHtmlReport(run, run.report.gate, file);
    const html = await readFile(file, 'utf8');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!.replace(/&#39;/g, "'");
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const sha = (t: string): string => createHash('sha256').update(t).digest('base64');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`script-src 'sha256-${sha(script)}'`);
    expect(csp).toContain(`style-src 'sha256-${sha(style)}'`);
    expect(csp).toContain('img-src data:');
    expect(csp).not.toMatch(/unsafe-eval|https?:/);
    // The only URL in the file is the SVG namespace, an identifier that is never fetched.
    expect(new Set([...html.matchAll(/https?:\/\/[^\s"'<>)]+/g)].map((m) => m[0]))).toEqual(new Set(['http://www.w3.org/2000/svg']));
  });

  it('its bundled script is valid JavaScript that needs nothing but the page (no import, no bundler runtime)', () => {
    expect(() => new Script(clientScript())).not.toThrow();
    // A fresh context with only a document that has no data blocks (the script then draws nothing):
    // a reference to require, an import or a Node global would throw here instead of in a browser.
    const ctx = createContext({ document: { getElementById: () => null } });
    expect(() => runInContext(clientScript(), ctx)).not.toThrow();
  });

  it('redacts registered secrets from outputs and vars', async () => {
    registerSecret('sk-test-SECRET-0123456789');
    try {
      const records = [makeRecord({ output: 'the key is sk-test-SECRET-0123456789', vars: { key: 'sk-test-SECRET-0123456789' } })];
      const file = path.join(work.dir, 'secret.html');
      await writeHtmlReport(storedRunOf(records, work.dir), { passed: true, failures: [] }, file);
      const html = await readFile(file, 'utf8');
      expect(html).not.toContain('sk-test-SECRET-0123456789');
      expect(html).toContain('[REDACTED]');
    } finally {
      clearSecrets();
    }
  });

  it('a failure while reading the results leaves the previous report.html in place and no temporary file', async () => {
    const dir = path.join(work.dir, 'atomic');
    const good = storedRunOf([makeRecord()], dir);
    const file = path.join(dir, 'report.html');
    await htmlReporter().onRunEnd!(good, { passed: true, failures: [] });
    const before = await readFile(file, 'utf8');
    const broken: StoredRun = {
      ...good,
      async *cases() {
        yield makeRecord({ caseId: 'first' });
        throw new Error('disk went away');
      },
    };
    await expect(htmlReporter().onRunEnd!(broken, { passed: true, failures: [] })).rejects.toThrow('disk went away');
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(await readdir(dir)).toEqual(['report.html']);
  });

  it('renders the prompt of at most 2,000 failing cases, cuts a long one at 8 KB, and says why one cannot be rendered', async () => {
    const dir = path.join(work.dir, 'rendered-bounds');
    await mkdir(dir, { recursive: true });
    const long = 'x'.repeat(9000);
    const records: CaseRecord[] = [
      makeRecord({ caseId: 'long', pass: false, score: 0, vars: { ticket: long } }),
      makeRecord({ caseId: 'partial', pass: false, score: 0, prompt: { name: 'with-partial', version: 'v1', hash: '111111111111' } }),
      makeRecord({ caseId: 'gone', pass: false, score: 0, prompt: { name: 'gone', version: 'v1', hash: '222222222222' } }),
      makeRecord({ caseId: 'passing' }),
      ...Array.from({ length: 2000 }, (_, i) => makeRecord({ caseId: `f${i}`, pass: false, score: 0, vars: { ticket: `t${i}` } })),
    ];
    await writeFile(
      path.join(dir, 'prompts.json'),
      JSON.stringify({ 'classify-ticket@v1#a1b2c3d4e5f6': 'Ticket: {{ ticket }}', 'with-partial@v1#111111111111': '{% include "rules.md" %}\n{{ ticket }}' }),
    );
    const file = path.join(dir, 'report.html');
    await writeHtmlReport(storedRunOf(records, dir), { passed: false, failures: [] }, file);
    const prompts = embeddedData(await readFile(file, 'utf8')).prompts!;
    const k = (id: string, prompt = 'classify-ticket@v1#a1b2c3d4e5f6') => `tickets\u0000${id}\u0000${prompt}`;
    // 2,003 failing cases: the first 2,000 in results order are taken, the last three are counted.
    expect(prompts.omitted).toBe(3);
    expect(prompts.byCase[k('f1996')]).toEqual({ m: [['user', 'Ticket: t1996']] });
    expect(prompts.byCase[k('f1997')]).toBeUndefined();
    // "gone"'s template text is not stored: said once for the template, not per case.
    expect(Object.keys(prompts.byCase)).toHaveLength(1999);
    expect(prompts.templateErrors).toEqual({ 'gone@v1#222222222222': 'the text of gone@v1#222222222222 is not stored with the run (prompts.json) or the baseline' });
    expect(prompts.byCase[k('passing')]).toBeUndefined();
    // "Ticket: " + 9,000 x's is 9,008 characters: the first 8,192 are kept, and the cut says so.
    const [[, text]] = (prompts.byCase[k('long')] as { m: Array<[string, string]> }).m;
    expect(text).toBe(`Ticket: ${'x'.repeat(8192 - 8)}\n… (cut at 8192 characters of 9008)`);
    // No prompts folder at report time: a partial cannot be read, and the reason is embedded instead.
    const partial = prompts.byCase[k('partial', 'with-partial@v1#111111111111')] as { error: string };
    expect(partial.error).toMatch(/^cannot render with-partial@v1#111111111111 for this case: .*rules\.md/);
  });

  it('writes into outDir when given', async () => {
    const run = storedRunOf([makeRecord()], path.join(work.dir, 'run-x'));
    const out = path.join(work.dir, 'out-x');
    await htmlReporter({ outDir: out }).onRunEnd!(run, { passed: true, failures: [] });
    expect(await readdir(out)).toEqual(['report.html']);
  });
});
