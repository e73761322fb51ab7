import { afterEach, describe, expect, it } from 'vitest';
import { redactUrl, redactUrlsIn, registerUrlSecrets, urlSecrets } from '../../src/util/redactUrl.js';
import { clearSecrets, redactSecrets } from '../../src/util/secrets.js';

afterEach(() => clearSecrets());

describe('redactUrl', () => {
  it('redacts userinfo, user and password alike', () => {
    expect(redactUrl('http://user:secret@host:8080/v1')).toBe('http://[REDACTED]@host:8080/v1');
    expect(redactUrl('https://ghp_TOKEN123@github.example/x')).toBe('https://[REDACTED]@github.example/x');
  });

  it('redacts credential-like query and fragment values, keeps the others byte for byte', () => {
    expect(redactUrl('https://r.openai.azure.com/openai?api-version=2024-10-21&api-key=abc123')).toBe('https://r.openai.azure.com/openai?api-version=2024-10-21&api-key=[REDACTED]');
    expect(redactUrl('https://h/v1?key=K&token=T;sig=S#access_token=A')).toBe('https://h/v1?key=[REDACTED]&token=[REDACTED];sig=[REDACTED]#access_token=[REDACTED]');
    expect(redactUrl('https://b.s3.example/o?X-Amz-Signature=f00d&X-Amz-Date=20260101')).toBe('https://b.s3.example/o?X-Amz-Signature=[REDACTED]&X-Amz-Date=20260101');
  });

  it('leaves a URL without credentials unchanged', () => {
    for (const url of ['https://api.openai.com/v1', 'http://127.0.0.1:11434/v1/', 'https://h/p?model=x&region=eu']) expect(redactUrl(url)).toBe(url);
  });

  it('redacts every URL quoted in a message, whatever surrounds it', () => {
    expect(redactUrlsIn('fetch failed for "http://u:p@h/v1/chat/completions": Request cannot be constructed')).toBe(
      'fetch failed for "http://[REDACTED]@h/v1/chat/completions": Request cannot be constructed',
    );
    expect(redactUrlsIn('see https://h/x?key=Z and https://h/y?v=2 too')).toBe('see https://h/x?key=[REDACTED] and https://h/y?v=2 too');
    // A server echoing the request path: no scheme, still a credential.
    expect(redactUrlsIn('no route POST /v1?api-key=QK1/chat/completions')).toBe('no route POST /v1?api-key=[REDACTED]');
  });
});

describe('URL secrets in the registry', () => {
  it('lists userinfo and credential values, raw and percent-decoded', () => {
    expect(urlSecrets('http://svc:p%40ss@h/v1?api-key=k%2Fey&v=1').sort()).toEqual(['k%2Fey', 'k/ey', 'p%40ss', 'p@ss', 'svc', 'svc:p%40ss', 'svc:p@ss'].sort());
  });

  it('scrubs registered secrets of 8+ characters from any message', () => {
    registerUrlSecrets('https://h/v1?api-key=QUERYSECRET99&x=1');
    expect(redactSecrets('server echoed QUERYSECRET99 back')).toBe('server echoed [REDACTED] back');
  });
});
