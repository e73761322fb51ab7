import type { ChalkInstance } from 'chalk';
import type { CaseRecord } from '../../types.js';
import { escapeControlChars } from '../../util/controlChars.js';
import { toolCallsText } from '../../util/toolCallText.js';
import { formatCount } from '../format.js';

/** Failing cases listed with their tool calls at the end of a run: the first few, then a count. */
const SHOWN = 5;
/** Arguments shown per call on a terminal line. */
const MAX_ARGS_CHARS = 120;

/**
 * The terminal's failure lines for tool-calling cases: which tools a failing case called, with
 * what arguments, and the first failing grade's reason, e.g.
 *   ✗ support / a / refund-1: refund({"order_id":"A-17","amount":500}) · tool-call: expected lookup_order first
 */
export class FailingToolCalls {
  private readonly lines: Array<{ where: string; calls: string; reason: string }> = [];
  private total = 0;

  add(r: CaseRecord): void {
    if (r.pass || r.error || !r.toolCalls?.length) return;
    this.total++;
    if (this.lines.length >= SHOWN) return;
    const failing = r.grades.find((g) => !g.pass);
    this.lines.push({
      where: `${r.suite} / ${r.variant} / ${r.caseId}${r.repeat > 0 ? ` #${r.repeat}` : ''}`,
      calls: toolCallsText(r.toolCalls, MAX_ARGS_CHARS),
      reason: failing ? `${failing.grader}: ${failing.reason}` : '',
    });
  }

  render(c: ChalkInstance): string[] {
    if (this.total === 0) return [];
    const out = [`  Failing cases that called tools (${formatCount(this.total)}):`];
    for (const l of this.lines) {
      const reason = l.reason ? c.dim(` · ${escapeControlChars(l.reason)}`) : '';
      out.push(`    ${c.red('✗')} ${escapeControlChars(l.where)}: ${escapeControlChars(l.calls)}${reason}`);
    }
    if (this.total > this.lines.length) out.push(c.dim(`    …and ${formatCount(this.total - this.lines.length)} more (report.html shows every call)`));
    return out;
  }
}
