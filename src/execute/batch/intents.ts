import path from 'node:path';
import { UsageError } from '../../errors.js';
import type { ProviderBatchApi } from '../../types.js';
import { batchIntentFile, readBatchIntents, readBatchRecords, removeBatchIntent, writeBatchRecord, type BatchIntent } from './state.js';

/**
 * Submission intents left in a run folder by a process that stopped between writing the intent
 * and recording the batch id (state.ts): each is resolved before anything is submitted, so a
 * batch the provider accepted is adopted, never paid for twice.
 *
 * - A record already names the intent: the intent is stale; removed.
 * - The provider lists exactly one matching batch (OpenAI: `metadata` names the run and intent;
 *   Anthropic: created after the intent, less clock skew, with as many requests): adopted, its
 *   record written.
 * - OpenAI lists none: the batch was never created; the intent is removed and its requests go
 *   out again as usual.
 * - Otherwise (several matches, or none at Anthropic, which cannot tag a batch): the run stops
 *   with exit 2, naming the intent file and what to check, rather than submit again.
 */
export async function resolveIntents(runDir: string, apiOf: (model: string) => Promise<ProviderBatchApi | undefined>): Promise<void> {
  const intents = await readBatchIntents(runDir);
  if (intents.length === 0) return;
  const recorded = new Set((await readBatchRecords(runDir)).flatMap((r) => (r.intentId ? [r.intentId] : [])));
  for (const intent of intents) {
    if (recorded.has(intent.intentId)) {
      await removeBatchIntent(runDir, intent.intentId);
      continue;
    }
    const api = await apiOf(intent.model);
    if (!api) throw new UsageError(`${batchIntentFile(runDir, intent.intentId)}: a batch submission for model "${intent.model}", which has no batch API now: configure it as before to resume`);
    const requests = Object.keys(intent.requests).length;
    const found = await api.find({ run: path.basename(runDir), intent: intent.intentId, createdAt: intent.createdAt, requests });
    if (found.length === 1) {
      await adopt(runDir, intent, found[0]!);
      continue;
    }
    if (found.length === 0 && api.vendor === 'openai') {
      await removeBatchIntent(runDir, intent.intentId);
      continue;
    }
    throw new UsageError(unresolved(runDir, intent, requests, found));
  }
}

async function adopt(runDir: string, intent: BatchIntent, batchId: string): Promise<void> {
  const { intentId, inputFileId: _file, ...rest } = intent;
  await writeBatchRecord(runDir, { ...rest, batchId, intentId });
  await removeBatchIntent(runDir, intentId);
}

function unresolved(runDir: string, intent: BatchIntent, requests: number, found: string[]): string {
  const file = batchIntentFile(runDir, intent.intentId);
  const what = `a batch of ${requests} requests for model "${intent.model}" (${intent.vendor}) created after ${intent.createdAt}`;
  if (found.length === 0) {
    return `${file}: this run was stopped while submitting ${what}, and the provider lists no such batch. Check the provider console: if there is none, delete ${file} and resume to submit it; if there is one, cancel it or wait for it, then delete the file (its requests go out again).`;
  }
  return `${file}: this run was stopped while submitting ${what}, and the provider lists ${found.length} batches that match (${found.join(', ')}), so which one is this run's cannot be told. Check them in the provider console; delete ${file} and resume to submit its requests again (the batches listed are paid for as well: cancel any you do not need).`;
}
