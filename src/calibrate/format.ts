import Table from 'cli-table3';
import type { CalibrationReport } from './calibrate.js';

/** How much of a judge's reasoning a disagreement row shows in the terminal (--json has it all). */
const REASONING_CHARS = 160;

function pct(x: number | null): string {
  return x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`;
}

function num(x: number | null, digits = 3): string {
  return x === null ? 'n/a' : x.toFixed(digits);
}

function cut(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/**
 * The terminal view of a calibration: the headline numbers, the confusion matrix, then each
 * disagreement (the rows to read before trusting the judge as a gate).
 */
export function formatCalibration(r: CalibrationReport): string {
  const out: string[] = [];
  out.push(`Judge "${r.grader}" (model ${r.judge}, rubric ${r.rubric}, threshold ${r.threshold}) vs human labels, suite ${r.suite}`);
  out.push(`  ${r.judged} of ${r.labelled} labelled rows judged${r.errors.length ? `, ${r.errors.length} could not be judged` : ''} (${r.rows} rows in the dataset)`);
  out.push(`  accuracy ${pct(r.accuracy)}   Cohen's kappa ${num(r.kappa)}${r.kappaCI95 ? ` (95% CI ${num(r.kappaCI95[0], 2)}..${num(r.kappaCI95[1], 2)})` : ''}: ${r.kappaMeaning}`);
  out.push(`  pass rate: humans ${pct(r.humanPassRate)}, judge ${pct(r.judgePassRate)}`);
  if (r.scoreAgreement) out.push(`  score rows: mean |human − judge| = ${num(r.scoreAgreement.meanAbsDiff)} over ${r.scoreAgreement.n}`);
  if (r.costUsd !== null) out.push(`  judge cost $${r.costUsd.toFixed(4)}`);

  // No cli-table3 colours: the caller escapes control characters in the whole text (escapeControlChars).
  const confusion = new Table({ head: ['human \\ judge', ...r.confusion.labels], style: { head: [], border: [] } });
  r.confusion.labels.forEach((label, i) => confusion.push([label, ...r.confusion.matrix[i]!.map(String)]));
  out.push(confusion.toString());

  if (r.disagreements.length > 0) {
    const table = new Table({ head: ['row', 'line', 'human', 'judge', 'score', 'judge reasoning'], wordWrap: true, colWidths: [null, null, null, null, null, 70], style: { head: [], border: [] } });
    for (const d of r.disagreements) {
      table.push([d.id, String(d.line), d.humanScore !== undefined ? `${d.human} (${d.humanScore})` : d.human, d.judge, num(d.score, 2), cut(d.reasoning, REASONING_CHARS)]);
    }
    out.push(`Disagreements (${r.disagreements.length}):`);
    out.push(table.toString());
  } else if (r.judged > 0) {
    out.push('No disagreements.');
  }
  for (const e of r.errors) out.push(`  not judged: row ${e.id} (line ${e.line}): ${e.message}`);
  return out.join('\n') + '\n';
}
