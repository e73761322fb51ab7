import { describe, expect, it } from 'vitest';
import { assertionFromCell, javascriptModule, mapAssertion } from '../../src/importers/promptfoo/assertions.js';
import { mapProvider } from '../../src/importers/promptfoo/providers.js';
import { expandVars } from '../../src/importers/promptfoo/tests.js';

describe('promptfoo assertions → llm-eval graders', () => {
  it('moves a per-test value into the row and reads it back with a template', () => {
    expect(mapAssertion({ type: 'equals', value: 'Paris' }, 'a0', 'judge')).toEqual({ kind: 'grader', grader: { type: 'exact', value: '{{ expected.a0 }}' }, rowValue: 'Paris' });
    expect(mapAssertion({ type: 'icontains', value: 'paris' }, 'a1', 'judge')).toEqual({ kind: 'grader', grader: { type: 'contains', value: '{{ expected.a1 }}', ignoreCase: true }, rowValue: 'paris' });
    expect(mapAssertion({ type: 'not-contains', value: 'sorry' }, 'a2', 'judge')).toMatchObject({ grader: { type: 'not-contains', value: '{{ expected.a2 }}' }, rowValue: 'sorry' });
    expect(mapAssertion({ type: 'regex', value: '^\\d+$' }, 'a3', 'judge')).toMatchObject({ grader: { type: 'regex', pattern: '{{ expected.a3 }}' }, rowValue: '^\\d+$' });
  });

  it('keeps a value that is itself a template inline, so it still renders against the vars', () => {
    expect(mapAssertion({ type: 'contains', value: '{{ name }}' }, 'a0', 'judge')).toEqual({ kind: 'grader', grader: { type: 'contains', value: '{{ name }}' }, rowValue: undefined });
  });

  it('maps equals on an object to a JSON comparison', () => {
    expect(mapAssertion({ type: 'equals', value: { a: 1 } }, 'a0', 'judge')).toMatchObject({ grader: { type: 'json', value: '{{ expected.a0 | json }}' }, rowValue: { a: 1 } });
  });

  it('maps model-graded, schema, cost and latency assertions with their thresholds', () => {
    expect(mapAssertion({ type: 'llm-rubric', value: 'Is polite', threshold: 0.8 }, 'a0', 'judge')).toMatchObject({ grader: { type: 'judge', model: 'judge', rubric: 'Is polite', threshold: 0.8 } });
    expect(mapAssertion({ type: 'is-json', value: { type: 'object' } }, 'a0', 'j')).toMatchObject({ grader: { type: 'json-schema', schema: { type: 'object' } } });
    expect(mapAssertion({ type: 'contains-json' }, 'a0', 'j')).toMatchObject({ grader: { type: 'json' } });
    expect(mapAssertion({ type: 'cost', threshold: 0.002 }, 'a0', 'j')).toEqual({ kind: 'grader', grader: { type: 'cost', max: 0.002 } });
    expect(mapAssertion({ type: 'latency', threshold: 3000 }, 'a0', 'j')).toEqual({ kind: 'grader', grader: { type: 'latency', maxMs: 3000 } });
    // promptfoo's `similar` is embedding cosine, documented default threshold 0.75.
    expect(mapAssertion({ type: 'similar', value: 'hi' }, 'a0', 'j')).toEqual({
      kind: 'grader',
      grader: { type: 'embedding-similarity', model: 'embedder', value: '{{ expected.a0 }}', threshold: 0.75 },
      rowValue: 'hi',
    });
    expect(mapAssertion({ type: 'similar', value: 'hi', threshold: 0.9 }, 'a1', 'j', 'promptfoo-embedder')).toMatchObject({ grader: { type: 'embedding-similarity', model: 'promptfoo-embedder', threshold: 0.9 } });
  });

  it('names what it cannot map instead of guessing', () => {
    expect(mapAssertion({ type: 'levenshtein', value: 'x' }, 'a0', 'j')).toEqual({ kind: 'unmapped', reason: 'assertion type "levenshtein" has no llm-eval equivalent' });
    expect(mapAssertion({ type: 'javascript', value: 'file://check.js' }, 'a0', 'j').kind).toBe('unmapped');
    expect(mapAssertion({ type: 'cost' }, 'a0', 'j')).toEqual({ kind: 'unmapped', reason: 'cost without a threshold' });
  });

  it('turns a javascript expression into a module returning it, and a multi-line body into a function body', () => {
    expect(javascriptModule('output.length < 10')).toContain('return (output.length < 10);');
    const body = javascriptModule('const n = output.length;\nreturn n < 10;');
    expect(body).toContain('  const n = output.length;\n  return n < 10;');
    expect(body).not.toContain('return (const');
  });

  it('reads promptfoo CSV __expected cells', () => {
    expect(assertionFromCell('icontains: bonjour')).toEqual({ type: 'icontains', value: 'bonjour' });
    expect(assertionFromCell('similar(0.8): Gracias')).toEqual({ type: 'similar', value: 'Gracias', threshold: 0.8 });
    expect(assertionFromCell('grade: is polite')).toEqual({ type: 'llm-rubric', value: 'is polite' });
    expect(assertionFromCell('not-contains: sorry')).toEqual({ type: 'not-contains', value: 'sorry' });
    expect(assertionFromCell('is-json')).toEqual({ type: 'is-json' });
    // Plain text is equals, even with a colon in it.
    expect(assertionFromCell('Time: 10:30')).toEqual({ type: 'equals', value: 'Time: 10:30' });
  });
});

describe('promptfoo providers → llm-eval models', () => {
  it('maps the documented id forms', () => {
    expect(mapProvider('openai:gpt-4o-mini')).toMatchObject({ kind: 'model', model: { name: 'gpt-4o-mini', config: { provider: 'openai', model: 'gpt-4o-mini' } } });
    expect(mapProvider('openai:chat:gpt-4.1')).toMatchObject({ model: { config: { provider: 'openai', model: 'gpt-4.1' } } });
    expect(mapProvider('anthropic:messages:claude-3-5-sonnet-20241022')).toMatchObject({ model: { config: { provider: 'anthropic', model: 'claude-3-5-sonnet-20241022' } } });
    expect(mapProvider({ id: 'openai:gpt-4o', label: 'My GPT', config: { temperature: 0, max_tokens: 50 } })).toMatchObject({ model: { name: 'my-gpt', config: { provider: 'openai', model: 'gpt-4o', params: { temperature: 0, max_tokens: 50 } } } });
    expect(mapProvider({ 'anthropic:claude-3-5-haiku-20241022': { config: { temperature: 1 } } })).toMatchObject({ model: { config: { provider: 'anthropic', params: { temperature: 1 } } } });
    expect(mapProvider('ollama:chat:llama3.1')).toMatchObject({ model: { config: { provider: 'openai-compatible', model: 'llama3.1', baseURL: 'http://127.0.0.1:11434/v1' } } });
    expect(mapProvider('echo')).toMatchObject({ model: { name: 'echo', config: { provider: 'echo' } } });
  });

  it('never copies a key, and lists providers it cannot map', () => {
    const m = mapProvider({ id: 'openai:gpt-4o', config: { apiKey: 'sk-secret-do-not-copy' } });
    expect(JSON.stringify(m)).not.toContain('sk-secret-do-not-copy');
    expect(mapProvider('bedrock:anthropic.claude-v2').kind).toBe('unmapped');
    expect(mapProvider('file://provider.py').kind).toBe('unmapped');
    expect(mapProvider('openai:embedding:text-embedding-3-small').kind).toBe('unmapped');
  });
});

describe('promptfoo list-valued vars', () => {
  it('expand into every combination, as promptfoo does (2 × 2 = 4)', () => {
    expect(expandVars({ a: [1, 2], b: ['x', 'y'], c: 'k' })).toEqual([
      { a: 1, b: 'x', c: 'k' },
      { a: 1, b: 'y', c: 'k' },
      { a: 2, b: 'x', c: 'k' },
      { a: 2, b: 'y', c: 'k' },
    ]);
    // A list of objects is a value, not a set of alternatives.
    expect(expandVars({ items: [{ sku: 1 }] })).toEqual([{ items: [{ sku: 1 }] }]);
  });
});
