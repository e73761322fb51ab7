import type { OpenAI } from 'openai';
import type { BatchOutcome, BatchProgress, BatchTag, ModelRequest, ModelResponse, ProviderBatchApi } from '../../types.js';
import { openaiChatBody } from '../openaiChat.js';

/**
 * OpenAI's Batch API through the official SDK: the entries go up as one JSONL file
 * (`files.create`, purpose `batch`), a batch is created for `/v1/chat/completions` with a 24 h
 * window, its status is read with `batches.retrieve`, and its output and error files are read
 * with `files.content`, streamed line by line. Each batch carries `metadata` naming the run and
 * the submission intent, so a batch created just before a kill is found again by listing
 * (`find`). Limits: 50,000 requests and 200 MB per batch (OpenAI Batch API guide).
 */

/** The batch metadata keys that name the run and the submission intent. */
export const META_RUN = 'llm_eval_run';
export const META_INTENT = 'llm_eval_intent';
/**
 * Batches created this long before an intent's time (clock skew) are still looked at. Wide: an
 * OpenAI batch matches by its metadata (run and intent id), so a longer scan cannot adopt a
 * stranger's batch.
 */
const SKEW_MS = 10 * 60_000;

export const OPENAI_BATCH_LIMITS = { maxRequests: 50_000, maxBytes: 200 * 1024 * 1024 };

interface OutputLine {
  custom_id?: unknown;
  response?: { status_code?: unknown; body?: unknown } | null;
  error?: { code?: unknown; message?: unknown } | null;
}

export function openaiBatchApi(client: OpenAI, parse: (body: unknown) => ModelResponse, toError: (err: unknown) => Error): ProviderBatchApi {
  return {
    vendor: 'openai',
    limits: OPENAI_BATCH_LIMITS,
    entry(customId: string, req: ModelRequest) {
      const body = openaiChatBody(req, false);
      delete body['stream'];
      return { custom_id: customId, method: 'POST', url: '/v1/chat/completions', body };
    },
    framing: { head: '', separator: '\n', tail: '\n', type: 'application/jsonl' },
    async submit(body, tag, uploaded) {
      try {
        return await submit(body, tag, uploaded);
      } catch (err) {
        throw toError(err);
      }
    },
    async find(intent) {
      try {
        const since = Date.parse(intent.createdAt) - SKEW_MS;
        const out: string[] = [];
        for await (const b of client.batches.list({ limit: 100 })) {
          if (b.created_at * 1000 < since) break;
          if (b.metadata?.[META_INTENT] === intent.intent && b.metadata[META_RUN] === intent.run) out.push(b.id);
        }
        return out;
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

  async function submit(body: Blob, tag: BatchTag, uploaded?: (inputFileId: string) => Promise<void>): Promise<string> {
    // A File made of the on-disk body: the SDK takes a File as it is, and it is uploaded as it is read.
    const file = await client.files.create({ file: new File([body], 'llm-eval-batch.jsonl', { type: body.type }), purpose: 'batch' });
    await uploaded?.(file.id);
    const metadata = { [META_RUN]: tag.run, [META_INTENT]: tag.intent };
    const batch = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h', metadata });
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
      for await (const raw of lines(await client.files.content(fileId))) {
        if (raw.trim() === '') continue;
        const line = JSON.parse(raw) as OutputLine;
        if (typeof line.custom_id !== 'string') continue;
        yield outcomeOf(line as OutputLine & { custom_id: string });
      }
    }
  }
}

/** A downloaded file's lines as they arrive: the whole file is never one string. */
async function* lines(response: Response): AsyncIterable<string> {
  if (!response.body) {
    yield* (await response.text()).split('\n');
    return;
  }
  const decoder = new TextDecoder();
  let rest = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    rest += decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let nl = rest.indexOf('\n'); nl >= 0; nl = rest.indexOf('\n', start)) {
      yield rest.slice(start, nl);
      start = nl + 1;
    }
    rest = rest.slice(start);
  }
  rest += decoder.decode();
  if (rest !== '') yield rest;
}

function outcomeOf(line: OutputLine & { custom_id: string }): BatchOutcome {
  const status = line.response?.status_code;
  if (status === 200 && line.response?.body !== undefined) return { customId: line.custom_id, body: line.response.body };
  const code = typeof line.error?.code === 'string' ? line.error.code : status !== undefined ? `HTTP ${String(status)}` : 'unknown';
  const message = typeof line.error?.message === 'string' ? line.error.message : JSON.stringify(line.response?.body ?? null).slice(0, 200);
  return { customId: line.custom_id, error: { kind: code === 'batch_expired' ? 'expired' : 'failed', message: `${code}: ${message}` } };
}
