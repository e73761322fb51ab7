import type { ResolvedConfig, ResolvedModel } from '../types.js';
import { batchVendorOf } from '../providers/batch/vendor.js';

/**
 * Which models a run sends as provider batches: every one with `run --batch` (or a resumed run
 * started so), else those with `batch: true` and the models of suites with `batch: true`; each
 * only where its provider has a batch API (providers/batch/vendor.ts). The run (runEval.ts) and
 * the dry run (dryRun.ts) both decide by this.
 */
export interface BatchModels {
  all: boolean;
  models: Set<string>;
}

export function batchModels(config: ResolvedConfig, suites: ReadonlyArray<{ options: Record<string, unknown>; variants: ReadonlyArray<{ model: string }> }>, all: boolean): BatchModels {
  const models = new Set(Object.values(config.models).flatMap((m) => (m.batch === true ? [m.name] : [])));
  for (const s of suites) if (s.options['batch'] === true) for (const v of s.variants) models.add(v.model);
  return { all, models };
}

/** The batch API `model`'s calls go through in this run, or undefined when they run interactively. */
export function batchedVendor(sel: BatchModels, model: Pick<ResolvedModel, 'name' | 'provider' | 'batch'>): 'openai' | 'anthropic' | undefined {
  return sel.all || sel.models.has(model.name) ? batchVendorOf(model) : undefined;
}
