import { undatedAlias, type FingerprintChange } from '../results/fingerprint.js';

/** The comparison's sentences about what changed between the two sides (moved out of results/, which keeps data only). */

/** One sentence per change, naming the suite × variant. */
export function describeFingerprintChange(where: string, c: FingerprintChange): string {
  switch (c.field) {
    case 'graders':
      return `${where}: the grader config changed (${c.before} → ${c.after}): before and after are measured differently, so the diff is not like for like; save a new baseline once the change is intended`;
    case 'judgeModels':
      return `${where}: the judge model changed (${c.before} → ${c.after}): scores from different judges are not directly comparable`;
    case 'prompt':
      return `${where}: prompt ${c.before} → ${c.after}`;
    case 'model':
      return `${where}: model ${c.before} → ${c.after}`;
    case 'params':
      return `${where}: model params changed (${c.before} → ${c.after})`;
    default:
      return `${where}: ${c.field} changed`;
  }
}

/** A warning for a model id the provider may move to new weights (see `undatedAlias`), else null. */
export function aliasWarning(modelId: string): string | null {
  const alias = undatedAlias(modelId);
  if (!alias) return null;
  return `model ${alias} is an alias without a dated snapshot: the provider can move it to new weights, so results may drift between runs; pin a dated snapshot (like gpt-4o-2024-08-06 or claude-sonnet-4-5-20250929) for comparisons`;
}
