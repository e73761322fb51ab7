import type { ResolvedModel } from '../types.js';
import { matchListedModel } from './prices.js';

/**
 * Announced model retirements, beside the price table: after its retirement date a model's API
 * calls fail. `validate` and `run` warn when a configured model retires within
 * RETIREMENT_WARNING_DAYS, or already has, naming the successor the vendor recommends, so the
 * migration is evaluated (incumbent vs candidate, `compare --non-inferiority`) before the date.
 *
 * Dates as the vendors' deprecation pages and release notes announced them; each entry names
 * where. Partner platforms (Bedrock, Vertex AI, Azure) keep schedules of their own.
 */
export const RETIREMENTS_AS_OF = '2026-12-01';
export const RETIREMENT_WARNING_DAYS = 90;

export interface Retirement {
  /** Day the API stops serving the model (YYYY-MM-DD). */
  retires: string;
  /** The replacement the vendor recommends. */
  successor: string;
  source: string;
}

const ANTHROPIC_DEPRECATIONS = 'docs.claude.com/en/docs/about-claude/model-deprecations';
const ANTHROPIC_RELEASE_NOTES = 'platform.claude.com/docs/en/release-notes/overview';

export const RETIREMENT_TABLE: Readonly<Record<string, Retirement>> = {
  'claude-2.0': { retires: '2025-07-21', successor: 'claude-sonnet-4-5', source: ANTHROPIC_DEPRECATIONS },
  'claude-2.1': { retires: '2025-07-21', successor: 'claude-sonnet-4-5', source: ANTHROPIC_DEPRECATIONS },
  'claude-3-sonnet-20240229': { retires: '2025-07-21', successor: 'claude-sonnet-4-5', source: ANTHROPIC_DEPRECATIONS },
  'claude-3-5-sonnet-20240620': { retires: '2025-10-22', successor: 'claude-sonnet-4-5', source: ANTHROPIC_DEPRECATIONS },
  'claude-3-5-sonnet-20241022': { retires: '2025-10-22', successor: 'claude-sonnet-4-5', source: ANTHROPIC_DEPRECATIONS },
  'claude-3-opus-20240229': { retires: '2026-01-05', successor: 'claude-opus-4-1', source: ANTHROPIC_DEPRECATIONS },
  'claude-3-haiku-20240307': { retires: '2026-04-20', successor: 'claude-haiku-4-5', source: ANTHROPIC_RELEASE_NOTES },
  'claude-sonnet-4-20250514': { retires: '2026-06-15', successor: 'claude-sonnet-4-6', source: ANTHROPIC_RELEASE_NOTES },
  'claude-opus-4-20250514': { retires: '2026-06-15', successor: 'claude-opus-4-7', source: ANTHROPIC_RELEASE_NOTES },
};

const DAY_MS = 86_400_000;

/** Whole days from `today` to `date` (negative once past). */
function daysUntil(date: string, today: Date): number {
  const start = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return Math.round((Date.parse(`${date}T00:00:00Z`) - start) / DAY_MS);
}

/** The announced retirement of a provider model id (a dated snapshot of a listed id too). */
export function retirementOf(modelId: string): (Retirement & { id: string }) | undefined {
  const id = matchListedModel(modelId, RETIREMENT_TABLE);
  return id === undefined ? undefined : { id, ...RETIREMENT_TABLE[id]! };
}

/** One warning per configured model that retires within the warning window or already has. */
export function retirementWarnings(models: Iterable<ResolvedModel>, today = new Date()): string[] {
  const warnings: string[] = [];
  for (const m of models) {
    if ((m.provider !== 'openai' && m.provider !== 'anthropic') || !m.model) continue;
    const r = retirementOf(m.model);
    if (!r) continue;
    const days = daysUntil(r.retires, today);
    if (days > RETIREMENT_WARNING_DAYS) continue;
    const when = days < 0 ? `was retired on ${r.retires}: its calls fail` : days === 0 ? `retires today (${r.retires})` : `retires on ${r.retires}, in ${days} day${days === 1 ? '' : 's'}`;
    warnings.push(`model "${m.name}" (${m.model}) ${when}; the announced successor is ${r.successor}: compare them with \`llm-eval compare RUN --variants OLD,NEW --non-inferiority 2\` (source: ${r.source})`);
  }
  return warnings;
}
