import type { GateVerdict } from '../../types.js';
import { redactDeep } from '../../util/secrets.js';
import { writeFileStreaming } from '../fileSink.js';
import type { StoredRun } from '../types.js';
import { PayloadEncoder } from './payload.js';
import { pageShell } from './page.js';
import { scriptJson } from './scriptEscape.js';

/** Version of the embedded data's layout, for a page reading an older file. */
export const HTML_PAYLOAD_VERSION = 1;

/**
 * Writes report.html for a stored run: the page shell, then the data as one JSON value written
 * row by row as results.jsonl is streamed (so no output is held longer than its own row), then
 * the string table that the rows refer to, then the page's script.
 */
export async function writeHtmlReport(run: StoredRun, verdict: GateVerdict, file: string): Promise<void> {
  const shell = pageShell(`llm-eval report ${run.report.runId}`);
  await writeFileStreaming(file, async (sink) => {
    await sink.write(shell.before);
    const head = scriptJson({ v: HTML_PAYLOAD_VERSION, report: redactDeep(run.report), verdict: redactDeep(verdict) });
    // `head` is an object's JSON: reopen it to append the rows and the string table.
    await sink.write(`${head.slice(0, -1)},"rows":[`);
    const encoder = new PayloadEncoder();
    for await (const record of run.cases()) {
      const row = scriptJson(encoder.encode(redactDeep(record)));
      await sink.write(encoder.rowCount === 1 ? `\n${row}` : `,\n${row}`);
    }
    await sink.write(`\n],"strings":${scriptJson(encoder.table.strings)}}`);
    await sink.write(shell.after);
  });
}
