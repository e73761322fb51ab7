import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';

/**
 * The `fetch` llm-eval gives the official SDKs: the same request and `Response`, sent through
 * `node:http` instead of Node's built-in `fetch` (undici), whose request and stream machinery
 * costs about a third of a bare SDK call's CPU (bench/RESULTS.md: a 10,000-call streamed SDK
 * loop took 9.7 s of CPU with the built-in fetch, 6.2 s with this one).
 *
 * It handles what the SDKs send for a model call: http(s) URLs, a string or byte body. Anything
 * else goes to the built-in `fetch` as before: other bodies (file uploads as FormData, Blobs,
 * streams), other URL schemes, a URL with credentials (which it refuses), a redirect, and every request when a proxy is configured through
 * the environment (`HTTP(S)_PROXY`, `NODE_USE_ENV_PROXY`) or `LLM_EVAL_FETCH=builtin` is set.
 *
 * Semantics kept from `fetch`: a failure before the response rejects with
 * `TypeError('fetch failed', { cause })` (the SDKs turn it into a connection error); an abort
 * rejects with the signal's reason (an `AbortError`), and errors a body being read; a compressed
 * body (gzip, deflate, br) is decoded; a JSON reply, or any reply known to be at most 1 MiB, is
 * read whole before the `Response` is made; event streams and other bodies are streamed.
 */

type FetchArgs = Parameters<typeof fetch>;

const BUFFER_MAX = 1 << 20;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
};

/** Whether requests go to the built-in fetch: a proxy is configured through the environment, or the user asked. */
export function usesBuiltinFetch(env: NodeJS.ProcessEnv): boolean {
  if (env['LLM_EVAL_FETCH'] === 'builtin') return true;
  return ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NODE_USE_ENV_PROXY'].some((k) => (env[k] ?? '') !== '');
}

/** The `fetch` to hand an SDK client (`fetch` option), decided once per client from `env`. */
export function fetchForSdk(env: NodeJS.ProcessEnv): typeof fetch {
  return usesBuiltinFetch(env) ? (...args: FetchArgs) => fetch(...args) : nodeFetch;
}

export const nodeFetch: typeof fetch = (input, init) => {
  const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
  const body = init?.body;
  const agent = agents[url.protocol as keyof typeof agents];
  // The built-in fetch refuses a URL with credentials; node:http would send them as Basic auth.
  const builtin = !agent || url.username !== '' || url.password !== '' || (typeof input === 'object' && !(input instanceof URL));
  if (builtin || (body != null && typeof body !== 'string' && !(body instanceof Uint8Array))) return fetch(input, init);
  return send(url, init ?? {}, agent, body ?? undefined);
};

function send(url: URL, init: RequestInit, agent: http.Agent, body: string | Uint8Array | undefined): Promise<Response> {
  const signal = init.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  const headers = headersOf(init.headers);
  if (body !== undefined && headers['content-length'] === undefined) headers['content-length'] = String(Buffer.byteLength(body));
  const request = url.protocol === 'https:' ? https.request : http.request;
  return new Promise<Response>((resolve, reject) => {
    let reply: http.IncomingMessage | undefined;
    let settled = false;
    const done = (): void => signal?.removeEventListener('abort', onAbort);
    const fail = (err: Error): void => {
      done();
      if (settled) return;
      settled = true;
      reject(err);
    };
    const onAbort = (): void => {
      const reason = abortReason(signal!);
      // The body being read errors with the abort, as with fetch; the socket is not reused.
      reply?.destroy(reason);
      req.destroy(reason);
      fail(reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const req = request(url, { method: init.method ?? 'GET', headers, agent });
    req.on('error', (err) => fail(err.name === 'AbortError' ? err : new TypeError('fetch failed', { cause: err })));
    req.on('response', (res) => {
      reply = res;
      const status = res.statusCode ?? 0;
      if (REDIRECTS.has(status) && res.headers.location) {
        // Redirects are rare for an API: the built-in fetch follows them as it always did.
        res.resume();
        done();
        settled = true;
        fetch(url, init).then(resolve, reject);
        return;
      }
      const responseInit = { status, statusText: res.statusMessage ?? '', headers: responseHeaders(res) };
      const decoded = decode(res);
      const nobody = init.method === 'HEAD' || status === 204 || status === 304;
      if (nobody || !streams(res)) {
        const chunks: Buffer[] = [];
        decoded.on('data', (c: Buffer) => chunks.push(c));
        decoded.on('error', (err) => fail(new TypeError('fetch failed', { cause: err })));
        decoded.on('end', () => {
          done();
          if (settled) return;
          settled = true;
          resolve(withUrl(new Response(nobody ? null : Buffer.concat(chunks), responseInit), url));
        });
        return;
      }
      res.on('close', done);
      settled = true;
      resolve(withUrl(new Response(Readable.toWeb(decoded) as ReadableStream<Uint8Array>, responseInit), url));
    });
    req.end(body);
  });
}

/**
 * Whether the body is handed over as a stream: an event stream, a body over 1 MiB, or one of
 * unknown length that is not JSON (a batch's results file). An API's JSON reply, with or without
 * a length (real APIs send it chunked), is read whole first: the SDK parses it whole anyway.
 */
function streams(res: http.IncomingMessage): boolean {
  const type = String(res.headers['content-type'] ?? '').toLowerCase();
  if (type.includes('event-stream')) return true;
  const length = Number(res.headers['content-length'] ?? NaN);
  if (Number.isFinite(length)) return length > BUFFER_MAX;
  return !JSON_TYPE.test(type);
}

/** A media type for one JSON document (application/json, application/problem+json), not JSON lines. */
const JSON_TYPE = /^[a-z]+\/([a-z0-9.+-]*\+)?json\s*(;|$)/;

/** A made Response has no url; the SDKs log it. */
function withUrl(response: Response, url: URL): Response {
  Object.defineProperty(response, 'url', { value: url.href });
  return response;
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('This operation was aborted', 'AbortError');
}

function headersOf(h: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (!h) return out;
  if (h instanceof Headers) h.forEach((v, k) => (out[k] = v));
  else if (Array.isArray(h)) for (const [k, v] of h) out[k!.toLowerCase()] = v!;
  else for (const [k, v] of Object.entries(h)) if (v != null) out[k.toLowerCase()] = String(v);
  return out;
}

function responseHeaders(res: http.IncomingMessage): Headers {
  const out = new Headers();
  const raw = res.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) out.append(raw[i]!, raw[i + 1]!);
  return out;
}

/** The body, decoded as fetch decodes it (the headers keep `content-encoding`, as with fetch). */
function decode(res: http.IncomingMessage): Readable {
  const encoding = String(res.headers['content-encoding'] ?? '').trim().toLowerCase();
  const decoder = encoding === 'gzip' || encoding === 'x-gzip' ? zlib.createGunzip() : encoding === 'deflate' ? zlib.createInflate() : encoding === 'br' ? zlib.createBrotliDecompress() : undefined;
  if (!decoder) return res;
  res.on('error', (err) => decoder.destroy(err));
  return res.pipe(decoder);
}
