/**
 * Provider batch endpoints of the fake LLM server, in the documented wire shapes:
 *
 * - OpenAI: `POST /v1/files` (multipart, purpose=batch, a JSONL of
 *   `{custom_id, method, url, body}`), `POST /v1/batches`, `GET /v1/batches/{id}`,
 *   `POST /v1/batches/{id}/cancel`, `GET /v1/files/{id}/content` (output file lines
 *   `{id, custom_id, response: {status_code, request_id, body}, error: null}`, error file lines
 *   `{id, custom_id, response: null, error: {code, message}}`), `GET /v1/batches` (the list,
 *   newest first, with each batch's `metadata`).
 * - Anthropic: `POST /v1/messages/batches` (`{requests: [{custom_id, params}]}`),
 *   `GET /v1/messages/batches/{id}` (`processing_status`, `request_counts`, `results_url`),
 *   `POST /v1/messages/batches/{id}/cancel`, `GET /v1/messages/batches/{id}/results` (JSONL of
 *   `{custom_id, result: {type: succeeded|errored|canceled|expired, …}}`), `GET /v1/messages/batches`
 *   (the list, newest first).
 *
 * A batch stays in progress for `pollsUntilDone` status reads, then ends; each request's fate
 * (`ok`, `error`, `expired`) comes from `outcome`. Answers are computed when the batch ends,
 * by the same code that answers interactive requests.
 */
import type http from 'node:http';
import type { FakeApi, FakeBatchBehaviour, FakeBatchStats } from './types.js';

/** One inner request's answer: an HTTP status and the JSON body an interactive call would get. */
export type AnswerOne = (api: FakeApi, body: Record<string, unknown>) => { status: number; body: unknown };

interface BatchRequest {
  customId: string;
  body: Record<string, unknown>;
}

interface FakeBatch {
  id: string;
  api: FakeApi;
  requests: BatchRequest[];
  inputFileId?: string;
  metadata: Record<string, string> | null;
  polls: number;
  createdAt: number;
  cancelled: boolean;
  /** Set when it ended: output lines (OpenAI: output + error files; Anthropic: results). */
  ended?: { ok: string[]; failed: string[]; counts: { succeeded: number; errored: number; expired: number; canceled: number } };
}

export class FakeBatches {
  readonly stats: FakeBatchStats = { submissions: 0, submittedRequests: 0, customIds: new Map(), statusReads: 0, downloads: 0 };
  private behaviour: Required<FakeBatchBehaviour> = { pollsUntilDone: 1, outcome: () => 'ok' };
  private readonly files = new Map<string, string>();
  private readonly batches = new Map<string, FakeBatch>();
  private next = 0;

  constructor(private readonly answerOne: AnswerOne) {}

  setBehaviour(b: FakeBatchBehaviour): void {
    this.behaviour = { pollsUntilDone: b.pollsUntilDone ?? 1, outcome: b.outcome ?? (() => 'ok') };
  }

  reset(): void {
    this.files.clear();
    this.batches.clear();
    this.stats.submissions = 0;
    this.stats.submittedRequests = 0;
    this.stats.customIds.clear();
    this.stats.statusReads = 0;
    this.stats.downloads = 0;
    this.behaviour = { pollsUntilDone: 1, outcome: () => 'ok' };
  }

  /** Handles a batch route; false when the request is not one (the caller routes it on). */
  handle(req: http.IncomingMessage, res: http.ServerResponse, baseUrl: string): boolean {
    const url = (req.url ?? '').split('?', 1)[0]!;
    const method = req.method ?? '';
    const send = (status: number, body: unknown, type = 'application/json'): void => {
      res.writeHead(status, { 'content-type': type }).end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    const notFound = (what: string): void => send(404, { error: { type: 'not_found_error', message: `no ${what}` } });
    let m: RegExpMatchArray | null;
    if (method === 'POST' && url === '/v1/files') {
      void readBody(req).then((buf) => {
        const form = parseMultipart(buf, String(req.headers['content-type'] ?? ''));
        if (form['purpose'] !== 'batch' || form['file'] === undefined) return send(400, { error: { message: 'purpose must be batch, with a file' } });
        const id = `file-${++this.next}`;
        this.files.set(id, form['file']);
        send(200, { id, object: 'file', bytes: Buffer.byteLength(form['file']), created_at: now(), filename: 'batch.jsonl', purpose: 'batch', status: 'processed' });
      });
      return true;
    }
    if (method === 'POST' && url === '/v1/batches') {
      void readBody(req).then((buf) => {
        const body = JSON.parse(buf.toString('utf8')) as { input_file_id?: string; endpoint?: string; completion_window?: string; metadata?: Record<string, string> };
        const file = body.input_file_id ? this.files.get(body.input_file_id) : undefined;
        if (file === undefined) return notFound(`file ${String(body.input_file_id)}`);
        const requests = file
          .split('\n')
          .filter((l) => l.trim() !== '')
          .map((l) => {
            const line = JSON.parse(l) as { custom_id: string; body: Record<string, unknown> };
            return { customId: line.custom_id, body: line.body };
          });
        if (duplicateId(requests)) return send(400, { error: { message: `duplicate custom_id ${duplicateId(requests)}: custom_id must be unique within a batch` } });
        const batch = this.create('openai', requests, body.input_file_id);
        batch.metadata = body.metadata ?? null;
        send(200, this.openaiView(batch));
      });
      return true;
    }
    if (method === 'GET' && url === '/v1/batches') {
      send(200, { object: 'list', data: this.newestFirst('openai').map((b) => this.openaiView(b)), has_more: false });
      return true;
    }
    if (method === 'GET' && url === '/v1/messages/batches') {
      const data = this.newestFirst('anthropic').map((b) => this.anthropicView(b, baseUrl));
      send(200, { data, has_more: false, first_id: data[0]?.['id'] ?? null, last_id: data[data.length - 1]?.['id'] ?? null });
      return true;
    }
    if ((m = url.match(/^\/v1\/batches\/([^/]+)(\/cancel)?$/))) {
      const batch = this.batches.get(m[1]!);
      if (!batch) return notFound(`batch ${m[1]}`), true;
      if (m[2]) batch.cancelled = true;
      else this.poll(batch);
      send(200, this.openaiView(batch));
      return true;
    }
    if (method === 'GET' && (m = url.match(/^\/v1\/files\/([^/]+)\/content$/))) {
      const [batchId, kind] = m[1]!.split('~') as [string, string | undefined];
      const batch = this.batches.get(batchId);
      if (!batch?.ended) return notFound(`file ${m[1]}`), true;
      this.stats.downloads++;
      send(200, (kind === 'err' ? batch.ended.failed : batch.ended.ok).join('\n') + '\n', 'application/octet-stream');
      return true;
    }
    if (method === 'POST' && url === '/v1/messages/batches') {
      void readBody(req).then((buf) => {
        const body = JSON.parse(buf.toString('utf8')) as { requests?: Array<{ custom_id: string; params: Record<string, unknown> }> };
        const requests = (body.requests ?? []).map((r) => ({ customId: r.custom_id, body: r.params }));
        if (duplicateId(requests)) return send(400, { type: 'error', error: { type: 'invalid_request_error', message: `duplicate custom_id ${duplicateId(requests)}` } });
        const batch = this.create('anthropic', requests);
        send(200, this.anthropicView(batch, baseUrl));
      });
      return true;
    }
    if ((m = url.match(/^\/v1\/messages\/batches\/([^/]+)(\/cancel|\/results)?$/))) {
      const batch = this.batches.get(m[1]!);
      if (!batch) return notFound(`message batch ${m[1]}`), true;
      if (m[2] === '/results') {
        if (!batch.ended) return send(400, { type: 'error', error: { type: 'invalid_request_error', message: 'batch still in progress' } }), true;
        this.stats.downloads++;
        send(200, batch.ended.ok.concat(batch.ended.failed).join('\n') + '\n', 'application/binary');
        return true;
      }
      if (m[2] === '/cancel') batch.cancelled = true;
      else this.poll(batch);
      send(200, this.anthropicView(batch, baseUrl));
      return true;
    }
    return false;
  }

  private create(api: FakeApi, requests: BatchRequest[], inputFileId?: string): FakeBatch {
    this.stats.submissions++;
    this.stats.submittedRequests += requests.length;
    for (const r of requests) this.stats.customIds.set(r.customId, (this.stats.customIds.get(r.customId) ?? 0) + 1);
    const id = api === 'openai' ? `batch_${++this.next}` : `msgbatch_${++this.next}`;
    const batch: FakeBatch = { id, api, requests, metadata: null, polls: 0, createdAt: now(), cancelled: false };
    if (inputFileId) batch.inputFileId = inputFileId;
    this.batches.set(id, batch);
    return batch;
  }

  /** Batches of one API, newest first (as the real list endpoints return them); listing is no status read. */
  private newestFirst(api: FakeApi): FakeBatch[] {
    return [...this.batches.values()].filter((b) => b.api === api).reverse();
  }

  /** A status read: the batch ends after `pollsUntilDone` of them (at once when cancelled). */
  private poll(batch: FakeBatch): void {
    this.stats.statusReads++;
    batch.polls++;
    if (!batch.ended && (batch.cancelled || batch.polls >= this.behaviour.pollsUntilDone)) this.finish(batch);
  }

  private finish(batch: FakeBatch): void {
    const ok: string[] = [];
    const failed: string[] = [];
    const counts = { succeeded: 0, errored: 0, expired: 0, canceled: 0 };
    for (const [i, r] of batch.requests.entries()) {
      const fate = batch.cancelled ? 'canceled' : this.behaviour.outcome(r.customId, r.body);
      const answer = fate === 'ok' ? this.answerOne(batch.api, r.body) : undefined;
      const good = answer && answer.status === 200;
      if (good) counts.succeeded++;
      else if (fate === 'expired') counts.expired++;
      else if (fate === 'canceled') counts.canceled++;
      else counts.errored++;
      if (batch.api === 'openai') {
        const lineId = `batch_req_${batch.id}_${i}`;
        if (good) ok.push(JSON.stringify({ id: lineId, custom_id: r.customId, response: { status_code: 200, request_id: `req_${lineId}`, body: answer.body }, error: null }));
        else if (answer) failed.push(JSON.stringify({ id: lineId, custom_id: r.customId, response: { status_code: answer.status, request_id: `req_${lineId}`, body: answer.body }, error: null }));
        else {
          const code = fate === 'expired' ? 'batch_expired' : fate === 'canceled' ? 'batch_cancelled' : 'server_error';
          failed.push(JSON.stringify({ id: lineId, custom_id: r.customId, response: null, error: { code, message: `fake ${code}` } }));
        }
      } else if (good) ok.push(JSON.stringify({ custom_id: r.customId, result: { type: 'succeeded', message: answer.body } }));
      else if (fate === 'expired' || fate === 'canceled') failed.push(JSON.stringify({ custom_id: r.customId, result: { type: fate } }));
      else failed.push(JSON.stringify({ custom_id: r.customId, result: { type: 'errored', error: { type: 'error', error: { type: 'api_error', message: 'fake batch request error' } } } }));
    }
    batch.ended = { ok, failed, counts };
  }

  private openaiView(b: FakeBatch): Record<string, unknown> {
    const e = b.ended;
    const status = !e ? (b.cancelled ? 'cancelling' : 'in_progress') : b.cancelled ? 'cancelled' : e.counts.expired > 0 && e.counts.succeeded === 0 ? 'expired' : 'completed';
    return {
      id: b.id,
      object: 'batch',
      endpoint: '/v1/chat/completions',
      errors: null,
      input_file_id: b.inputFileId,
      metadata: b.metadata,
      completion_window: '24h',
      status,
      output_file_id: e && e.ok.length > 0 ? `${b.id}~out` : null,
      error_file_id: e && e.failed.length > 0 ? `${b.id}~err` : null,
      created_at: b.createdAt,
      request_counts: { total: b.requests.length, completed: e ? e.counts.succeeded : 0, failed: e ? b.requests.length - e.counts.succeeded : 0 },
    };
  }

  private anthropicView(b: FakeBatch, baseUrl: string): Record<string, unknown> {
    const e = b.ended;
    return {
      id: b.id,
      type: 'message_batch',
      processing_status: e ? 'ended' : b.cancelled ? 'canceling' : 'in_progress',
      request_counts: { processing: e ? 0 : b.requests.length, succeeded: e?.counts.succeeded ?? 0, errored: e?.counts.errored ?? 0, canceled: e?.counts.canceled ?? 0, expired: e?.counts.expired ?? 0 },
      created_at: new Date(b.createdAt * 1000).toISOString(),
      expires_at: new Date((b.createdAt + 86_400) * 1000).toISOString(),
      ended_at: e ? new Date().toISOString() : null,
      archived_at: null,
      cancel_initiated_at: b.cancelled ? new Date().toISOString() : null,
      results_url: e ? `${baseUrl}/v1/messages/batches/${b.id}/results` : null,
    };
  }
}

/** A custom_id that appears twice (the real APIs refuse such a batch), or undefined. */
function duplicateId(requests: BatchRequest[]): string | undefined {
  const seen = new Set<string>();
  for (const r of requests) {
    if (seen.has(r.customId)) return r.customId;
    seen.add(r.customId);
  }
  return undefined;
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The text fields and file contents of a multipart/form-data body, by field name. */
export function parseMultipart(body: Buffer, contentType: string): Record<string, string> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  const out: Record<string, string> = {};
  if (!boundary) return out;
  const text = body.toString('utf8');
  for (const part of text.split(`--${boundary[1] ?? boundary[2]}`)) {
    const head = part.indexOf('\r\n\r\n');
    if (head < 0) continue;
    const name = /name="([^"]+)"/.exec(part.slice(0, head));
    if (!name) continue;
    out[name[1]!] = part.slice(head + 4).replace(/\r\n$/, '');
  }
  return out;
}
