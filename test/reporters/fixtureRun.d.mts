import type { decideVerdict } from '../../src/gate/decide.js';
import type { RunReport } from '../../src/types.js';

export interface FixtureOptions {
  /** Dataset rows per suite (default 20). */
  cases?: number;
  repeats?: number;
  /** Default ['v1', 'v2']. */
  variants?: string[];
  /** Default ['tickets'] (a classification suite); another name gives a free-text suite. */
  suites?: string[];
  /** Put script-injection attempts in outputs, vars, a case id, a tag, reasons and a warning. */
  hostile?: boolean;
  /** Add a baseline comparison with newly failing and newly passing cases (default true). */
  baseline?: boolean;
  /** Whether the gate passes (default false: the first suite fails minPassRate 85% and maxCostUsd). */
  gatePassed?: boolean;
  /** The real gate (gate/decide.ts, from src/ or dist/) that builds the report's verdict. */
  decideVerdict: typeof decideVerdict;
  runId?: string;
  /** Words in each generated output (default 40). */
  outputWords?: number;
}

export const HOSTILE_OUTPUTS: string[];
export const HOSTILE_CASE_ID: string;

export function writeFixtureRun(dir: string, opts?: FixtureOptions): Promise<{ dir: string; report: RunReport; records: number }>;
