import type { GateVerdict } from '../../types.js';
import { redactDeep, redactDeepIfAny } from '../../util/secrets.js';
import { writeFileStreaming } from '../fileSink.js';
import type { StoredRun } from '../types.js';
import { readPromptTexts } from '../../results/promptTexts.js';
import { explainData } from './explain.js';
import { CasePromptRenderer } from './renderedPrompts.js';
import { PayloadEncoder } from './payload.js';
import { pageShell } from './page.js';
import { scriptJson } from './scriptEscape.js';

/** Version of the embedded data's layout, for a page reading an older file (2: head and rows in two blocks). */
export const HTML_PAYLOAD_VERSION = 2;

/**
 * Writes report.html for a stored run: the page shell, the head block (report.json, the verdict,
 * what explains the regressions), the page's script, then the rows as one JSON value written row
 * by row as results.jsonl is streamed (so no output is held longer than its own row), then the
 * string table that the rows refer to, then the prompts rendered for the failing and changed
 * cases (renderedPrompts.ts; bounded, as they are held until then).
 */
export async function writeHtmlReport(run: StoredRun, verdict: GateVerdict, file: string): Promise<void> {
  const runPrompts = await readPromptTexts(run.dir);
  const explain = await explainData(run, runPrompts);
  const prompts = new CasePromptRenderer({ ...runPrompts, ...explain?.templates }, run.report.comparison?.changes ?? [], explain?.baselinePrompts ?? {});
  const shell = pageShell(`llm-eval report ${run.report.runId}`);
  await writeFileStreaming(file, async (sink) => {
    await sink.write(shell.start);
    await sink.write(scriptJson({ v: HTML_PAYLOAD_VERSION, report: redactDeep(run.report), verdict: redactDeep(verdict), explain: explain ? redactDeep(explain) : undefined }));
    await sink.write(shell.middle);
    await sink.write('{"rows":[');
    const encoder = new PayloadEncoder();
    for await (const record of run.cases()) {
      const safe = redactDeepIfAny(record);
      prompts.consider(safe);
      const row = scriptJson(encoder.encode(safe));
      await sink.write(encoder.rowCount === 1 ? `\n${row}` : `,\n${row}`);
    }
    await sink.write(`\n],"strings":${scriptJson(encoder.table.strings)},"prompts":${scriptJson(redactDeep(prompts.result))}}`);
    await sink.write(shell.end);
  });
}
