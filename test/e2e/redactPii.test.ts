/**
 * `redact: pii` end to end: a run against the fake LLM server whose dataset vars and model
 * outputs hold an e-mail address, a payment card and a phone number. With redaction (the suite
 * option, or `--redact pii` on the command line) no raw value, nor the card's or phone's digits
 * run together, appears in any file of the run folder or in what the CLI printed; without it
 * they do (so the scan can see them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.js';
import { runCliAsync, type CliExit } from '../helpers/spawnCli.js';
import { KEY_ENV, listFiles, readResultLines, writeFakeLlmProject } from '../helpers/fakeLlmProject.js';

const EMAIL = 'jane.roe@example.org';
const CARD = '4111 1111 1111 1111'; // Visa's published test number: Luhn-valid
const PHONE = '+44 20 7946 0958'; // Ofcom's drama range
/** The raw values and their digits without separators: masking must not leave either. */
const RAW = [EMAIL, 'jane.roe', CARD, '4111111111111111', PHONE, '2079460958', '7946 0958'];

function writeProject(baseURL: string, suiteRedact: boolean): string {
  const dir = writeFakeLlmProject({ baseURL, rows: 3, question: (i) => `customer ${EMAIL} paid with ${CARD}, call ${PHONE} (row ${i})` });
  const config = path.join(dir, 'llm-eval.yaml');
  let yaml = readFileSync(config, 'utf8');
  // A second grader that fails and quotes the output, so JUnit and HTML print failure details.
  yaml = yaml.replace('      - { type: contains, value: "{{ n }}" }', '      - { type: contains, value: "{{ n }}" }\n      - { type: exact, value: "something else" }');
  if (suiteRedact) yaml = yaml.replace('  qa:\n', '  qa:\n    redact: pii\n');
  writeFileSync(config, yaml);
  return dir;
}

function everything(runDir: string, cli: CliExit): Array<{ where: string; text: string }> {
  return [
    ...listFiles(runDir).map((f) => ({ where: path.relative(runDir, f), text: readFileSync(f, 'utf8') })),
    { where: 'stdout', text: cli.stdout },
    { where: 'stderr', text: cli.stderr },
  ];
}

function leaks(runDir: string, cli: CliExit): string[] {
  return everything(runDir, cli).flatMap(({ where, text }) => RAW.filter((raw) => text.includes(raw)).map((raw) => `${where}: ${raw}`));
}

describe('redact: pii masks personal data in every artifact', () => {
  let llm: FakeLlm;
  beforeAll(async () => {
    llm = await startFakeLlm();
  });
  afterAll(() => llm.close());

  it('without redaction the raw values are in the run folder (the scan sees them)', { timeout: 60_000 }, async () => {
    const dir = writeProject(llm.openaiBaseURL, false);
    const cli = await runCliAsync(['run'], dir, KEY_ENV);
    expect(cli.code, cli.stderr).toBe(1);
    const runDir = realpathSync(path.join(dir, 'reports', 'latest'));
    const found = leaks(runDir, cli);
    for (const file of ['results.jsonl', 'report.html', 'junit.xml']) expect(found.some((l) => l.startsWith(`${file}:`)), file).toBe(true);
  });

  it.each([
    ['the suite option', true, []],
    ['the --redact flag', false, ['--redact', 'pii']],
  ] as const)('with %s no raw value appears in any file or in the terminal', { timeout: 60_000 }, async (_how, suiteRedact, flags) => {
    const dir = writeProject(llm.openaiBaseURL, suiteRedact);
    const cli = await runCliAsync(['run', ...flags], dir, KEY_ENV);
    expect(cli.code, cli.stderr).toBe(1); // the exact grader fails every case
    const runDir = realpathSync(path.join(dir, 'reports', 'latest'));
    const files = listFiles(runDir).map((f) => path.basename(f));
    expect(files).toEqual(expect.arrayContaining(['results.jsonl', 'report.json', 'report.html', 'junit.xml', 'summary.md']));
    expect(leaks(runDir, cli)).toEqual([]);

    // The outputs and vars are kept, masked: the case is still readable.
    const lines = readResultLines(path.join(runDir, 'results.jsonl'));
    expect(lines).toHaveLength(6);
    for (const line of lines) {
      expect(line.output).toContain('j***@e***.org');
      expect(line.output).toContain('**** **** **** ****');
      expect(JSON.stringify(line['vars'])).toContain('j***@e***.org');
    }
  });
});
