import { describe, expect, it } from 'vitest';
import { getGraderFactory } from '../../src/graders/registry.js';
import { securityGraders } from '../../src/graders/security.js';
import '../../src/graders/builtins.js';
import { validateGraderOptions } from '../../src/graders/validateOptions.js';
import type { GraderConfig, ResolvedModel } from '../../src/types.js';

const models: Record<string, ResolvedModel> = { smart: { name: 'smart', provider: 'echo', params: {}, stream: false } };
const check = (config: GraderConfig) => validateGraderOptions(config, { configDir: '.', models });

describe('security graders registration and option schemas', () => {
  it('registers every security grader by its type', () => {
    expect(securityGraders.map((g) => g.type)).toEqual(['pii', 'citations', 'refusal', 'not-refusal', 'canary', 'system-prompt-leak']);
    for (const g of securityGraders) expect(getGraderFactory(g.type)).toBe(g);
  });

  it.each<GraderConfig>([
    { type: 'pii' },
    { type: 'pii', kinds: ['email', 'card'], patterns: ['EMP-\\d+', { name: 'acct', regex: 'acct_\\w+', flags: 'i' }], values: ['{{ name }}'], allow: ['*@acme.com'], includePrivateIps: true },
    { type: 'citations' },
    { type: 'citations', sources: 'vars.documents', pattern: '\\[(\\d+)\\]', required: true, minCitations: 2, support: { judge: 'smart', params: { temperature: 0 }, maxClaims: 5 } },
    { type: 'refusal', threshold: 0.7, patterns: ['no puedo'] },
    { type: 'not-refusal' },
    { type: 'canary' },
    { type: 'canary', token: '{{ secret }}' },
    { type: 'system-prompt-leak', minChars: 80 },
  ])('accepts valid options: %j', (config) => {
    expect(check(config)).toEqual([]);
  });

  it.each<[GraderConfig, string]>([
    [{ type: 'pii', kinds: ['passport'] }, 'kinds[0]'],
    [{ type: 'pii', emails: true }, 'emails'],
    [{ type: 'pii', patterns: [{ regex: 'x', flag: 'i' }] }, 'patterns[0].flag'],
    [{ type: 'citations', minCitations: 0 }, 'minCitations'],
    [{ type: 'citations', support: {} }, 'support.judge'],
    [{ type: 'citations', support: { judge: 'nope' } }, 'support.judge'],
    [{ type: 'refusal', threshold: 2 }, 'threshold'],
    [{ type: 'canary', token: '' }, 'token'],
    [{ type: 'system-prompt-leak', minChars: 5 }, 'minChars'],
  ])('rejects %j at %s', (config, field) => {
    expect(check(config).map((p) => p.field)).toContain(field);
  });
});
