import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFetch } from '../../src/providers/nodeFetch.js';

// HTTPS through nodeFetch, against a server with a self-signed certificate made by openssl.
const dir = mkdtempSync(path.join(tmpdir(), 'nodefetch-tls-'));
let server: https.Server;
let base: string;

beforeAll(async () => {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
  server = https.createServer({ key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"secure":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('nodeFetch over HTTPS', () => {
  it('refuses an untrusted certificate as the built-in fetch does: TypeError("fetch failed") with the same code', async () => {
    const mine = (await nodeFetch(`${base}/x`).catch((e: unknown) => e)) as TypeError & { cause?: { code?: string } };
    const builtin = (await fetch(`${base}/x`).catch((e: unknown) => e)) as TypeError & { cause?: { code?: string } };
    expect(mine).toBeInstanceOf(TypeError);
    expect(mine.message).toBe('fetch failed');
    expect(builtin.cause?.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(mine.cause?.code).toBe(builtin.cause?.code);
  });

  it('trusts a certificate from NODE_EXTRA_CA_CERTS and reads the reply', async () => {
    // NODE_EXTRA_CA_CERTS is read at process start: a child process with the built transport.
    const built = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/providers/nodeFetch.js');
    const script = `const { nodeFetch } = await import(${JSON.stringify(built)}); const r = await nodeFetch(process.argv[1]); console.log(r.status, await r.text());`;
    // Asynchronously: the server answering it runs in this process.
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, `${base}/x`], { env: { ...process.env, NODE_EXTRA_CA_CERTS: path.join(dir, 'cert.pem') }, encoding: 'utf8' });
    expect(stdout.trim()).toBe('200 {"secure":true}');
  });
});
