import type { OpenAI } from 'openai';
import type { BatchOutcome, BatchProgress, ModelRequest, ModelResponse, ProviderBatchApi } from '../../types.js';
import { openaiChatBody } from '../openaiChat.js';

/**
 * OpenAI's Batch API through the official SDK: the entries go up as one JSONL file
 * (`files.create`, purpose `batch`), a batch is created for `/v1/chat/completions` with a 24 h
 * window, its status is read with `batches.retrieve`, and its output and error files are read
 * with `files.content`. Limits: 50,000 requests and 200 MB per batch (OpenAI Batch API guide).
 */

export const OPENAI_BATCH_LIMITS = { maxRequests: 50_000, maxBytes: 200 * 1024 * 1024 };

interface OutputLine {
  custom_id?: unknown;
  response?: { status_code?: unknown; body?: unknown } | null;
  error?: { code?: unknown; message?: unknown } | null;
}

export function openaiBatchApi(client: OpenAI, toFile: typeof import('openai').toFile, parse: (body: unknown) => ModelResponse, toError: (err: unknown) => Error): ProviderBatchApi {
  return {
    vendor: 'openai',
    limits: OPENAI_BATCH_LIMITS,
    entry(customId: string, req: ModelRequest) {
      const body = openaiChatBody(req, false);
      delete body['stream'];
      return { custom_id: customId, method: 'POST', url: '/v1/chat/completions', body };
    },
    async submit(entries) {
      try {
        return await submit(entries);
      } catch (err) {
        throw toError(err);
      }
    },
    async status(batchId): Promise<BatchProgress> {
      try {
        return await status(batchId);
      } catch (err) {
        throw toError(err);
      }
    },
    async *results(batchId): AsyncIterable<BatchOutcome> {
      try {
        yield* results(batchId);
      } catch (err) {
        throw toError(err);
      }
    },
    parse: (_req, body) => parse(body),
  };

  async function submit(entries: Array<Record<string, unknown>>): Promise<string> {
    const jsonl = entries.map((e) => JSON.stringify(e)).join('\n') + '\n';
    const file = await client.files.create({ file: await toFile(Buffer.from(jsonl, 'utf8'), 'llm-eval-batch.jsonl'), purpose: 'batch' });
    const batch = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    return batch.id;
  }

  async function status(batchId: string): Promise<BatchProgress> {
    const b = await client.batches.retrieve(batchId);
    const c = b.request_counts ?? { total: 0, completed: 0, failed: 0 };
    const ended = ['completed', 'failed', 'expired', 'cancelled'].includes(b.status);
    return { ended, total: c.total, succeeded: c.completed, failed: c.failed };
  }

  async function* results(batchId: string): AsyncIterable<BatchOutcome> {
    const b = await client.batches.retrieve(batchId);
    for (const fileId of [b.output_file_id, b.error_file_id]) {
      if (!fileId) continue;
      const text = await (await client.files.content(fileId)).text();
      for (const raw of text.split('\n')) {
        if (raw.trim() === '') continue;
        const line = JSON.parse(raw) as OutputLine;
        if (typeof line.custom_id !== 'string') continue;
        yield outcomeOf(line as OutputLine & { custom_id: string });
      }
    }
  }
}

function outcomeOf(line: OutputLine & { custom_id: string }): BatchOutcome {
  const status = line.response?.status_code;
  if (status === 200 && line.response?.body !== undefined) return { customId: line.custom_id, body: line.response.body };
  const code = typeof line.error?.code === 'string' ? line.error.code : status !== undefined ? `HTTP ${String(status)}` : 'unknown';
  const message = typeof line.error?.message === 'string' ? line.error.message : JSON.stringify(line.response?.body ?? null).slice(0, 200);
  return { customId: line.custom_id, error: { kind: code === 'batch_expired' ? 'expired' : 'failed', message: `${code}: ${message}` } };
}
