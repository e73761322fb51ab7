import type { Anthropic } from '@anthropic-ai/sdk';
import type { BatchOutcome, BatchProgress, ModelRequest, ModelResponse, ProviderBatchApi } from '../../types.js';
import { anthropicBody } from '../anthropic.js';

/**
 * Anthropic's Message Batches through the official SDK: `messages.batches.create` with
 * `{custom_id, params}` entries, `retrieve` for status, `results` for the JSONL of outcomes.
 * Limits: 100,000 requests and 256 MB per batch (Anthropic batch-processing guide). Message
 * batches carry no metadata: a batch created just before a kill is found again (`find`) by its
 * creation time (after the intent's, less clock skew) and its request count.
 */

/**
 * Batches created this long before an intent's time (clock skew) are still looked at. Narrow:
 * Anthropic batches carry no metadata, so they match by time and request count, and a wider
 * window lets unrelated batches of the same size match too.
 */
const SKEW_MS = 60_000;

export const ANTHROPIC_BATCH_LIMITS = { maxRequests: 100_000, maxBytes: 256 * 1024 * 1024 };

export function anthropicBatchApi(client: Anthropic, parse: (req: ModelRequest, body: unknown) => ModelResponse, toError: (err: unknown) => Error): ProviderBatchApi {
  return {
    vendor: 'anthropic',
    limits: ANTHROPIC_BATCH_LIMITS,
    entry(customId: string, req: ModelRequest) {
      const { body } = anthropicBody(req, false);
      delete body['stream'];
      return { custom_id: customId, params: body };
    },
    framing: { head: '{"requests":[', separator: ',\n', tail: ']}\n', type: 'application/json' },
    async submit(body) {
      // The body `messages.batches.create` would send, already serialised on disk: the SDK's
      // generic `post` sends a Blob as it is, so the up to 100,000 entries are neither parsed
      // back into objects nor held as one string.
      try {
        return (await client.post<Anthropic.Messages.Batches.MessageBatch>('/v1/messages/batches', { body, headers: { 'content-type': 'application/json' } })).id;
      } catch (err) {
        throw toError(err);
      }
    },
    async find(intent) {
      try {
        const since = Date.parse(intent.createdAt) - SKEW_MS;
        const out: string[] = [];
        for await (const b of client.messages.batches.list({ limit: 100 })) {
          if (Date.parse(b.created_at) < since) break;
          const c = b.request_counts;
          if (c.processing + c.succeeded + c.errored + c.expired + c.canceled === intent.requests) out.push(b.id);
        }
        return out;
      } catch (err) {
        throw toError(err);
      }
    },
    async status(batchId): Promise<BatchProgress> {
      let b: Anthropic.Messages.Batches.MessageBatch;
      try {
        b = await client.messages.batches.retrieve(batchId);
      } catch (err) {
        throw toError(err);
      }
      const c = b.request_counts;
      const failed = c.errored + c.expired + c.canceled;
      return { ended: b.processing_status === 'ended', total: c.processing + c.succeeded + failed, succeeded: c.succeeded, failed };
    },
    async *results(batchId): AsyncIterable<BatchOutcome> {
      try {
        yield* results(batchId);
      } catch (err) {
        throw toError(err);
      }
    },
    parse,
  };

  async function* results(batchId: string): AsyncIterable<BatchOutcome> {
    for await (const line of await client.messages.batches.results(batchId)) {
      const r = line.result;
      if (r.type === 'succeeded') yield { customId: line.custom_id, body: r.message };
      else if (r.type === 'errored') yield { customId: line.custom_id, error: { kind: 'failed', message: `${r.error.error.type}: ${r.error.error.message}` } };
      else yield { customId: line.custom_id, error: { kind: r.type === 'expired' ? 'expired' : 'failed', message: `request ${r.type}` } };
    }
  }
}
