import { createHash } from 'node:crypto';
import type { ResolvedConfig, ResolvedSuite, ResolvedVariant, VariantFingerprint } from '../types.js';
import { modelLabel } from '../providers/label.js';
import { valueHash } from '../util/hash.js';

/**
 * Comparability fingerprints: what must be the same for two runs' results of a suite × variant
 * to be compared case by case, and what changed when it is not.
 */

export const EMPTY_FINGERPRINT: VariantFingerprint = { dataset: null, prompt: null, graders: null, judgeModels: null, model: null, params: null };

/** Fields whose change alters how results are measured: a diff across them is suspect. */
export const MEASUREMENT_FIELDS = ['dataset', 'graders', 'judgeModels'] as const;
/** Fields whose change is what is being evaluated (a new prompt, model or params). */
export const TREATMENT_FIELDS = ['prompt', 'model', 'params'] as const;
export type FingerprintField = (typeof MEASUREMENT_FIELDS)[number] | (typeof TREATMENT_FIELDS)[number];

/** Hash of one case's content (vars and expected): edits under an unchanged explicit id show up here. */
export function caseContentHash(vars: Record<string, unknown>, expected: unknown): string {
  return valueHash({ vars, expected: expected ?? null }, 8);
}

/**
 * Hash of a set of cases: order-independent (sorted by id). The hash of the JSON array
 * `[[id, contentHash], ...]` sorted by id, fed to the hash piece by piece so that a million cases
 * never make one giant string.
 */
export function datasetHashOf(cases: ReadonlyMap<string, { content: string | null }>): string {
  const ids = Array.from(cases.keys()).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const hash = createHash('sha256');
  hash.update('[');
  let first = true;
  for (const id of ids) {
    hash.update(`${first ? '' : ','}[${JSON.stringify(id)},${JSON.stringify(cases.get(id)!.content ?? '')}]`);
    first = false;
  }
  hash.update(']');
  return hash.digest('hex').slice(0, 12);
}

/**
 * Hash of a suite's grader configs. Display names are left out (renaming a grader does not
 * change what it measures); the canary check is in, since it adds a grader.
 */
export function gradersHash(suite: Pick<ResolvedSuite, 'graders' | 'options'>): string {
  const graders = suite.graders.map(({ name: _name, ...rest }) => rest);
  return valueHash({ graders, canary: suite.options['canary'] === true });
}

/** Models the graders call (any grader option `model` naming a configured model), as `provider:model`. */
export function judgeModelsOf(config: Pick<ResolvedConfig, 'models'>, suite: Pick<ResolvedSuite, 'graders'>): string[] {
  const ids = new Set<string>();
  for (const g of suite.graders) {
    const name = g['model'];
    if (typeof name !== 'string') continue;
    const m = config.models[name];
    ids.add(m ? modelLabel(m) : name);
  }
  return [...ids].sort();
}

/**
 * The fingerprint of a configured variant. `datasetHash` comes from the cases actually run
 * (see results/outcomes.ts), since --filter and --shard change it.
 */
export function variantFingerprint(
  config: Pick<ResolvedConfig, 'models'>,
  suite: Pick<ResolvedSuite, 'graders' | 'options'>,
  variant: ResolvedVariant,
  datasetHash: string | null = null,
): VariantFingerprint {
  const model = config.models[variant.model];
  return {
    dataset: datasetHash,
    prompt: `${variant.prompt.ref}#${variant.prompt.hash}`,
    graders: gradersHash(suite),
    judgeModels: judgeModelsOf(config, suite),
    model: model ? modelLabel(model) : variant.model,
    params: valueHash(variant.params),
  };
}

/** Fills the nulls of `primary` from `fallback`. */
export function mergeFingerprints(primary: Partial<VariantFingerprint> | undefined, fallback: VariantFingerprint): VariantFingerprint {
  const out = { ...fallback };
  if (!primary) return out;
  for (const key of Object.keys(EMPTY_FINGERPRINT) as FingerprintField[]) {
    const v = primary[key];
    if (v !== null && v !== undefined) (out as Record<string, unknown>)[key] = v;
  }
  return out;
}

export interface FingerprintChange {
  field: FingerprintField;
  before: string;
  after: string;
  /** True for measurement fields: the comparison itself may be invalid. */
  suspect: boolean;
}

const show = (v: string | string[]): string => (Array.isArray(v) ? (v.length ? v.join(', ') : 'none') : v);

/**
 * Fields that differ, where both sides recorded them. `dataset` is left out on purpose: the set
 * of cases differs whenever cases are added, removed, filtered or sharded, and those are listed
 * apart; content edits are caught per case (see caseContentHash).
 */
export function fingerprintChanges(before: VariantFingerprint, after: VariantFingerprint): FingerprintChange[] {
  const changes: FingerprintChange[] = [];
  const fields: FingerprintField[] = ['graders', 'judgeModels', 'prompt', 'model', 'params'];
  for (const field of fields) {
    const b = before[field];
    const a = after[field];
    if (b === null || a === null) continue;
    if (show(b) === show(a)) continue;
    changes.push({ field, before: show(b), after: show(a), suspect: (MEASUREMENT_FIELDS as readonly string[]).includes(field) });
  }
  return changes;
}

/**
 * A model id without a dated snapshot (`gpt-4o` rather than `gpt-4o-2024-08-06`,
 * `claude-sonnet-4-5` rather than `claude-sonnet-4-5-20250929`, or any `-latest`): the provider
 * may move it to new weights, so results drift without any change on our side. Only OpenAI- and
 * Anthropic-style ids are judged; local and custom models have no such convention.
 * Returns the bare id when it is such an alias, else null.
 */
export function undatedAlias(modelId: string | null | undefined): string | null {
  if (!modelId) return null;
  const bare = modelId.includes(':') ? modelId.slice(modelId.indexOf(':') + 1) : modelId;
  const family = /^(gpt-|chatgpt-|o\d(\b|-)|claude-)/i;
  if (!family.test(bare)) return null;
  if (/-latest$/i.test(bare)) return bare;
  if (/-\d{4}-\d{2}-\d{2}$/.test(bare) || /-\d{8}$/.test(bare) || /-\d{4}$/.test(bare)) return null;
  return bare;
}
