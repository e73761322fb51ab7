import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, testModel } from '../fake-llm/testConfig.js';
import { loadDotEnv, requireApiKey, resolveBaseURL } from '../../src/providers/env.js';
import { ProviderError } from '../../src/errors.js';
import { redactSecrets } from '../../src/util/secrets.js';

describe('.env and key resolution', () => {
  it('reads .env beside the config without overriding variables already set', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, '.env'), 'OPENAI_API_KEY=sk-from-dotenv-12345\nLOCAL_KEY="quoted value"\n# comment\nALREADY=from-file\n');
    const env: NodeJS.ProcessEnv = { ALREADY: 'from-shell' };
    expect(loadDotEnv(dir, env).sort()).toEqual(['LOCAL_KEY', 'OPENAI_API_KEY']);
    expect(env).toEqual({ ALREADY: 'from-shell', OPENAI_API_KEY: 'sk-from-dotenv-12345', LOCAL_KEY: 'quoted value' });
    expect(loadDotEnv(tempDir(), env)).toEqual([]);
  });

  it('takes the key from apiKeyEnv over the standard variable and registers it as a secret', () => {
    const env = { OPENAI_API_KEY: 'sk-standard-000000', TEAM_KEY: 'sk-team-key-7777777' };
    expect(requireApiKey(testModel('m', { provider: 'openai' }), env, 'OPENAI_API_KEY')).toBe('sk-standard-000000');
    expect(requireApiKey(testModel('m', { provider: 'openai', apiKeyEnv: 'TEAM_KEY' }), env, 'OPENAI_API_KEY')).toBe('sk-team-key-7777777');
    expect(redactSecrets('key=sk-team-key-7777777')).toBe('key=[REDACTED]');
  });

  it('treats an empty key as missing', () => {
    const err = (() => {
      try {
        requireApiKey(testModel('fast', { provider: 'openai' }), { OPENAI_API_KEY: '' }, 'OPENAI_API_KEY');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as Error).message).toBe('OPENAI_API_KEY is not set (needed by model "fast"); export it or set apiKeyEnv');
  });

  it('resolves the base URL from the model, then the SDK variable, then the vendor default', () => {
    const m = testModel('m', { provider: 'openai' });
    expect(resolveBaseURL({ ...m, baseURL: 'http://a/v1/' }, { OPENAI_BASE_URL: 'http://b/v1' }, 'OPENAI_BASE_URL', 'http://c/v1')).toBe('http://a/v1');
    expect(resolveBaseURL(m, { OPENAI_BASE_URL: 'http://b/v1' }, 'OPENAI_BASE_URL', 'http://c/v1')).toBe('http://b/v1');
    expect(resolveBaseURL(m, {}, 'OPENAI_BASE_URL', 'http://c/v1')).toBe('http://c/v1');
  });
});
