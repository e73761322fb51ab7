import { describe, expect, it } from 'vitest';
import { cacheKey, type CacheKeyParts } from '../../src/execute/cache.js';

const base: CacheKeyParts = { identity: { provider: 'openai', model: 'gpt-4o-mini' }, messages: [{ role: 'user', content: 'hi' }], params: {} };
const tool = { name: 'lookup_order', parameters: { type: 'object' } };

describe('cache key and tools', () => {
  it('a request offering tools, or another tool choice, is another cache entry', () => {
    const keys = new Set([
      cacheKey(base),
      cacheKey({ ...base, tools: [tool] }),
      cacheKey({ ...base, tools: [tool], toolChoice: 'required' }),
      cacheKey({ ...base, tools: [{ ...tool, description: 'changed' }] }),
    ]);
    expect(keys.size).toBe(4);
  });

  it('a request without tools keys as before (recorded cassettes stay valid)', () => {
    expect(cacheKey({ ...base, tools: undefined, toolChoice: undefined })).toBe(cacheKey(base));
  });
});
