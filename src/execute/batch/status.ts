import type { BatchProgress, ResolvedConfig } from '../../types.js';
import { UsageError } from '../../errors.js';
import { loadDotEnv } from '../../providers/env.js';
import { ModelRegistry } from '../models.js';
import { batchIntentFile, readBatchIntents, readBatchRecords } from './state.js';

/** One recorded batch of a run folder with its provider-side progress (`llm-eval batch status`). */
export interface RecordedBatchStatus extends BatchProgress {
  batchId: string;
  model: string;
  requests: number;
}

/**
 * A submission intent a stopped process left (state.ts): a batch may have been created for it
 * just before the stop. `batch collect` / `run --resume` resolve it against the provider's list.
 */
export interface LeftIntent {
  intentId: string;
  model: string;
  requests: number;
  createdAt: string;
  /** The intent file, to name in what the user reads. */
  file: string;
}

/** The submission intents left in a run folder, oldest first; reads nothing from any provider. */
export async function leftIntents(runDir: string): Promise<LeftIntent[]> {
  const intents = await readBatchIntents(runDir);
  return intents
    .map((i) => ({ intentId: i.intentId, model: i.model, requests: Object.keys(i.requests).length, createdAt: i.createdAt, file: batchIntentFile(runDir, i.intentId) }))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** Reads each batch recorded in the run folder from its provider once; submits and collects nothing. */
export async function recordedBatchStatus(config: ResolvedConfig, runDir: string, env: NodeJS.ProcessEnv): Promise<RecordedBatchStatus[]> {
  loadDotEnv(config.dir, env);
  const models = new ModelRegistry(config, env);
  const out: RecordedBatchStatus[] = [];
  for (const rec of await readBatchRecords(runDir)) {
    if (!config.models[rec.model]) throw new UsageError(`batch ${rec.batchId} was submitted for model "${rec.model}", which llm-eval.yaml no longer configures: add it back to collect the batch`);
    const api = (await models.providerOf(await models.stateOf(rec.model))).batch;
    if (!api) throw new UsageError(`model "${rec.model}" has no batch API now, but batch ${rec.batchId} was submitted for it`);
    out.push({ batchId: rec.batchId, model: rec.model, requests: Object.keys(rec.requests).length, ...(await api.status(rec.batchId)) });
  }
  return out;
}
