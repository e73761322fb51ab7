/**
 * Properties of URL redaction on generated base URLs holding credentials: userinfo
 * (`user:pass@`), credential query or fragment parameters (`api-key`, `key`, `token`, `sig`,
 * `X-Amz-Signature`…) among harmless ones, raw or percent-encoded, alone or quoted in a message:
 *  - no generated secret survives redactUrl, or redactUrlsIn on text quoting the URL (or only
 *    its path and query, as a server echoing the request does);
 *  - the harmless parts (scheme, host, path, other parameters) are kept as written;
 *  - redaction is idempotent;
 *  - once registered (registerUrlSecrets), every secret of 8+ characters is scrubbed by
 *    redactSecrets from any text, the URL's own form or percent-decoded.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { redactUrl, redactUrlsIn, registerUrlSecrets } from '../../src/util/redactUrl.js';
import { clearSecrets, redactSecrets } from '../../src/util/secrets.js';
import { FUZZ_RUNS } from './mutate.js';

/**
 * Secrets are marked with a `Zq` no other part of the URL contains (names, hosts and paths
 * are lower case), so finding `Zq…` in the output can only be a leak.
 */
const secretChars = fc.constantFrom(...'ABCDEFGHIJKLMNOPRSTUVWXY0123456789abcdefghijklmnoprstuvwxy-._~'.split(''), '%2F', '%40', '%3A', '+', '!', '$', "'", '(', ')', '*', ',');
const secret = fc.array(secretChars, { minLength: 1, maxLength: 24 }).map((cs) => `Zq${cs.join('')}`);

const CREDENTIAL_NAMES = ['api-key', 'api_key', 'apikey', 'key', 'token', 'access_token', 'sig', 'signature', 'X-Amz-Signature', 'client_secret', 'password', 'auth', 'Authorization', 'session'];
const HARMLESS_NAMES = ['api-version', 'version', 'region', 'model', 'format', 'deployment', 'x'];

const word = fc.stringMatching(/^[a-z0-9]{1,8}$/);
const host = fc.oneof(fc.constant('127.0.0.1:8080'), fc.constant('api.example.com'), fc.array(word, { minLength: 1, maxLength: 3 }).map((ws) => `${ws.join('.')}.test`));
const pathPart = fc.array(word, { maxLength: 3 }).map((ws) => ws.map((w) => `/${w}`).join(''));

interface Generated {
  url: string;
  secrets: string[];
  harmless: string[];
}

const param = fc.oneof(
  fc.tuple(fc.constantFrom(...CREDENTIAL_NAMES), secret).map(([n, s]) => ({ text: `${n}=${s}`, secret: s, harmless: undefined })),
  fc.tuple(fc.constantFrom(...HARMLESS_NAMES), word).map(([n, v]) => ({ text: `${n}=${v}`, secret: undefined, harmless: `${n}=${v}` })),
);

const generatedUrl: fc.Arbitrary<Generated> = fc
  .record({
    scheme: fc.constantFrom('http', 'https', 'wss'),
    user: fc.option(secret, { nil: undefined }),
    pass: fc.option(secret, { nil: undefined }),
    host,
    path: pathPart,
    query: fc.array(param, { maxLength: 4 }),
    separator: fc.constantFrom('&', ';'),
    fragment: fc.option(param, { nil: undefined }),
  })
  .map((g) => {
    const userinfo = g.user !== undefined ? `${g.user}${g.pass !== undefined ? `:${g.pass}` : ''}@` : g.pass !== undefined ? `:${g.pass}@` : '';
    const query = g.query.length ? `?${g.query.map((p) => p.text).join(g.separator)}` : '';
    const fragment = g.fragment ? `#${g.fragment.text}` : '';
    const url = `${g.scheme}://${userinfo}${g.host}${g.path}${query}${fragment}`;
    const all = [...g.query, ...(g.fragment ? [g.fragment] : [])];
    return {
      url,
      secrets: [g.user, g.pass, ...all.map((p) => p.secret)].filter((s): s is string => s !== undefined),
      harmless: [`${g.scheme}://`, g.host + g.path, ...all.map((p) => p.harmless).filter((h): h is string => h !== undefined)],
    };
  });

function decoded(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

afterEach(() => clearSecrets());

describe('URL redaction', () => {
  it('leaves no secret in a redacted URL, keeps the rest as written, and is idempotent', () => {
    fc.assert(
      fc.property(generatedUrl, ({ url, secrets, harmless }) => {
        const out = redactUrl(url);
        expect(out).not.toMatch(/Zq/);
        for (const h of harmless) expect(out).toContain(h);
        expect(redactUrl(out)).toBe(out);
        if (secrets.length === 0) expect(out).toBe(url); // nothing to redact: not a byte changed
      }),
      { numRuns: FUZZ_RUNS * 4 },
    );
  });

  it('leaves no secret in a message quoting the URL', () => {
    const around = fc.tuple(fc.constantFrom('cannot reach ', 'fetch failed: ', '', '(', 'url="'), fc.constantFrom(' for model "m"', '', ')', '".', '\nnext line'));
    fc.assert(
      fc.property(generatedUrl, around, ({ url }, [before, after]) => {
        expect(redactUrlsIn(`${before}${url}${after}`)).not.toMatch(/Zq/);
        // A server echoing only the path and query (`POST /v1?api-key=…`): no scheme, no userinfo.
        const pathAndQuery = url.replace(/^[a-z]+:\/\/[^/?#]*/, '');
        expect(redactUrlsIn(`no route POST ${pathAndQuery}${after}`)).not.toMatch(/Zq/);
      }),
      { numRuns: FUZZ_RUNS * 4 },
    );
  });

  it('scrubs registered secrets of 8+ characters from any text, as written or decoded', () => {
    fc.assert(
      fc.property(generatedUrl, ({ url, secrets }) => {
        clearSecrets();
        registerUrlSecrets(url);
        for (const s of secrets.filter((x) => x.length >= 8)) {
          expect(redactSecrets(`a server said: ${s} was refused`)).not.toContain(s);
          const plain = decoded(s);
          if (plain.length >= 8) expect(redactSecrets(`decoded ${plain} here`)).not.toContain(plain);
        }
      }),
      { numRuns: FUZZ_RUNS * 4 },
    );
  });
});
