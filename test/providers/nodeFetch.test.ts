import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFetch, usesBuiltinFetch } from '../../src/providers/nodeFetch.js';

/** A plain HTTP server whose routes each exercise one part of fetch's behaviour. */
let server: http.Server;
let base: string;
const seen: Array<{ url: string; headers: http.IncomingHttpHeaders; body: string }> = [];
let releaseStream: (() => void) | undefined;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push({ url: req.url!, headers: req.headers, body });
      if (req.url === '/json') {
        res.writeHead(201, 'Made', { 'content-type': 'application/json', 'x-request-id': 'req_1' });
        res.end(JSON.stringify({ echo: body }));
      } else if (req.url === '/gzip') {
        const zipped = gzipSync('{"ok":true}');
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': zipped.length });
        res.end(zipped);
      } else if (req.url === '/chunked-json') {
        // No content-length: sent chunked, as real APIs send JSON; gzipped when the client asks.
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', ...(req.headers['x-gzip'] ? { 'content-encoding': 'gzip' } : {}) });
        const text = JSON.stringify({ items: Array.from({ length: 2000 }, (_, i) => ({ i })) });
        const data = req.headers['x-gzip'] ? gzipSync(text) : Buffer.from(text);
        res.write(data.subarray(0, 100));
        setTimeout(() => res.end(data.subarray(100)), 20);
      } else if (req.url === '/bad-gzip') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        res.end('not gzip at all');
      } else if (req.url === '/jsonl') {
        res.writeHead(200, { 'content-type': 'application/jsonl' });
        res.write('{"a":1}\n');
        releaseStream = () => res.end('{"a":2}\n');
      } else if (req.url === '/sse') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: first\n\n');
        // The rest only once the client has read the first event: proof the body streams.
        releaseStream = () => res.end('data: second\n\n');
      } else if (req.url === '/hang-body') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: first\n\n');
      } else if (req.url === '/cut') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"partial":');
        setTimeout(() => res.socket?.destroy(), 20);
      } else if (req.url === '/slow') {
        setTimeout(() => res.end('late'), 2000);
      } else if (req.url === '/redirect') {
        res.writeHead(307, { location: '/json' });
        res.end();
      } else if (req.url === '/empty') {
        res.writeHead(204);
        res.end();
      } else {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(`got ${req.headers['content-type'] ?? 'nothing'}`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('nodeFetch', () => {
  it('sends method, headers and body and gives back status, headers, body and url as fetch does', async () => {
    const res = await nodeFetch(`${base}/json`, { method: 'POST', headers: new Headers({ 'content-type': 'application/json', 'x-trace': 't1' }), body: '{"a":1}' });
    expect(res.status).toBe(201);
    expect(res.statusText).toBe('Made');
    expect(res.ok).toBe(true);
    expect(res.headers.get('x-request-id')).toBe('req_1');
    expect(res.url).toBe(`${base}/json`);
    expect(await res.json()).toEqual({ echo: '{"a":1}' });
    const sent = seen.at(-1)!;
    expect(sent.headers['x-trace']).toBe('t1');
    expect(sent.headers['content-length']).toBe('7');
    // node:http, not undici: no fetch-only headers went out.
    expect(sent.headers['sec-fetch-mode']).toBeUndefined();
  });

  it('decodes a gzip body and keeps the content-encoding header, as fetch does', async () => {
    const res = await nodeFetch(`${base}/gzip`);
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(await res.json()).toEqual({ ok: true });
  });

  it('reads a chunked JSON reply, plain or gzipped, whole', async () => {
    for (const headers of [{}, { 'x-gzip': '1' }] as Array<Record<string, string>>) {
      const res = await nodeFetch(`${base}/chunked-json`, { headers });
      const body = (await res.json()) as { items: Array<{ i: number }> };
      expect(body.items).toHaveLength(2000);
      expect(body.items[1999]).toEqual({ i: 1999 });
    }
  });

  it('a body that does not decode fails as a dropped reply', async () => {
    const err = (await nodeFetch(`${base}/bad-gzip`).catch((e: unknown) => e)) as TypeError & { cause?: { code?: string } };
    expect(err).toBeInstanceOf(TypeError);
    expect(err.cause?.code).toBe('Z_DATA_ERROR');
  });

  it('streams a JSON-lines file of unknown length (a batch results file)', async () => {
    const res = await nodeFetch(`${base}/jsonl`);
    const reader = res.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('{"a":1}\n');
    releaseStream!();
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value);
    expect(rest).toBe('{"a":2}\n');
  });

  it('streams an event stream: the first event is read before the server sends the rest', async () => {
    const res = await nodeFetch(`${base}/sse`);
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('data: first\n\n');
    releaseStream!();
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value);
    expect(rest).toBe('data: second\n\n');
  });

  it('an abort while the body streams errors the reader with an AbortError', async () => {
    const controller = new AbortController();
    const res = await nodeFetch(`${base}/hang-body`, { signal: controller.signal });
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    await expect(reader.read()).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('an abort before the reply rejects with an AbortError, and an aborted signal sends nothing', async () => {
    const controller = new AbortController();
    const pending = nodeFetch(`${base}/slow`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    const before = seen.length;
    await expect(nodeFetch(`${base}/json`, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen.length).toBe(before);
  });

  it('a refused connection rejects with TypeError("fetch failed") whose cause has the code', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const err = (await nodeFetch(`http://127.0.0.1:${port}/x`).catch((e: unknown) => e)) as TypeError & { cause?: { code?: string } };
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toBe('fetch failed');
    expect(err.cause?.code).toBe('ECONNREFUSED');
  });

  it('a reply cut short rejects as a dropped connection, never as a short body', async () => {
    const err = (await nodeFetch(`${base}/cut`).catch((e: unknown) => e)) as TypeError & { cause?: { code?: string } };
    expect(err).toBeInstanceOf(TypeError);
    expect(err.cause?.code).toBe('ECONNRESET');
  });

  it('follows a redirect (through the built-in fetch), and gives a 204 no body', async () => {
    const res = await nodeFetch(`${base}/redirect`, { method: 'POST', body: 'r' });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ echo: 'r' });
    const empty = await nodeFetch(`${base}/empty`);
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
  });

  it('refuses a URL with credentials, as the built-in fetch does', async () => {
    const before = seen.length;
    await expect(nodeFetch(base.replace('http://', 'http://user:pw@') + '/json')).rejects.toThrow(/credentials/);
    expect(seen.length).toBe(before);
  });

  it('hands a FormData upload to the built-in fetch', async () => {
    const form = new FormData();
    form.append('file', new Blob(['{"a":1}\n']), 'batch.jsonl');
    const res = await nodeFetch(`${base}/other`, { method: 'POST', body: form });
    expect(await res.text()).toMatch(/^got multipart\/form-data; boundary=/);
    expect(seen.at(-1)!.body).toContain('{"a":1}');
  });
});

describe('usesBuiltinFetch', () => {
  it('is chosen by LLM_EVAL_FETCH=builtin or a proxy in the environment, else not', () => {
    expect(usesBuiltinFetch({})).toBe(false);
    expect(usesBuiltinFetch({ LLM_EVAL_FETCH: 'builtin' })).toBe(true);
    expect(usesBuiltinFetch({ HTTPS_PROXY: 'http://proxy:3128' })).toBe(true);
    expect(usesBuiltinFetch({ http_proxy: 'http://proxy:3128' })).toBe(true);
    expect(usesBuiltinFetch({ NODE_USE_ENV_PROXY: '1' })).toBe(true);
    expect(usesBuiltinFetch({ HTTPS_PROXY: '' })).toBe(false);
  });
});
