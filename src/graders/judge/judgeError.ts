import { GraderError } from '../../errors.js';
import type { TokenUsage } from '../../types.js';
import type { JudgeSpend } from './spend.js';

/**
 * A judge that could not give a usable verdict (invalid twice, or its model call failed after
 * the pipeline's retries). The case is recorded as errored, never as a pass; the spend on the
 * failed attempts travels with the error so the runner can still count it as judge cost.
 */
export class JudgeError extends GraderError {
  readonly costUsd: number | null;
  readonly tokens: TokenUsage | undefined;
  constructor(grader: string, message: string, spend: JudgeSpend, options?: { cause?: unknown }) {
    super(grader, message);
    this.costUsd = spend.costUsd;
    this.tokens = spend.tokens;
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}
