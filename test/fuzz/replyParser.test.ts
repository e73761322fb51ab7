/**
 * Properties of the reply parsers on any 200 reply, through the fake LLM server and the real
 * SDKs (OpenAI and Anthropic, streamed and not): a body that is a valid reply broken by edits, a
 * reply whose fields hold odd values (null, [], "", negative or fractional counts, strings), or
 * free text, under any content type. Every call ends in one of two ways:
 *  - an output: text is a string, usage (when given) is whole token counts ≥ 0, and an empty
 *    text only when the body held an explicit empty string (never a silent empty pass);
 *  - a typed ProviderError with a message (never a TypeError or an SDK's own exception).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startFakeLlm, type FakeApi, type FakeLlm } from '../fake-llm/server.js';
import { testModel } from '../fake-llm/testConfig.js';
import { openaiCompletion, openaiStreamEvents } from '../fake-llm/openaiWire.js';
import { anthropicMessage, anthropicStreamEvents } from '../fake-llm/anthropicWire.js';
import { loadProviderFactory } from '../../src/providers/registry.js';
import { ProviderError } from '../../src/errors.js';
import type { ModelProvider, ModelRequest } from '../../src/types.js';
import { FUZZ_RUNS, mutatedOrRandom } from './mutate.js';

const USAGE = { input: 12, output: 3, cachedInput: 2 };

const GOOD: Record<FakeApi, { json: string; sse: string }> = {
  openai: {
    json: openaiCompletion('m', 'an answer', USAGE, 'stop'),
    sse: openaiStreamEvents('m', ['an ', 'answer'], USAGE, 'stop', true).join(''),
  },
  anthropic: {
    json: anthropicMessage('m', { kind: 'text', text: 'an answer' }, USAGE, 'end_turn'),
    sse: anthropicStreamEvents('m', { kind: 'text', text: 'an answer' }, ['an ', 'answer'], USAGE, 'end_turn').join(''),
  },
};

/** Values that break a field's type: what half-compatible servers put where a string or count belongs. */
const odd = fc
  .constantFrom<unknown>(null, undefined, [], {}, '', 'x', 0, -1, 1.5, 1e309, '12', true, [{}], [null], { text: 1 })
  .map((v) => structuredClone(v)); // a fresh copy each time: one object set at two paths would be circular

/** A valid reply with one or more fields set to odd values (by path). */
function withOddFields(base: string, paths: string[][]): fc.Arbitrary<string> {
  return fc.array(fc.tuple(fc.constantFrom(...paths), odd), { minLength: 1, maxLength: 3 }).map((edits) => {
    const o = JSON.parse(base) as Record<string, unknown>;
    for (const [p, value] of edits) {
      let at: Record<string, unknown> | undefined = o;
      for (const key of p.slice(0, -1)) at = at && typeof at[key] === 'object' && at[key] !== null ? (at[key] as Record<string, unknown>) : undefined;
      if (at) at[p[p.length - 1]!] = value;
    }
    return JSON.stringify(o);
  });
}

const FIELDS: Record<FakeApi, string[][]> = {
  openai: [['choices'], ['choices', '0'], ['choices', '0', 'message'], ['choices', '0', 'message', 'content'], ['choices', '0', 'message', 'refusal'], ['usage'], ['usage', 'prompt_tokens'], ['usage', 'completion_tokens'], ['usage', 'prompt_tokens_details']],
  anthropic: [['content'], ['content', '0'], ['content', '0', 'type'], ['content', '0', 'text'], ['usage'], ['usage', 'input_tokens'], ['usage', 'output_tokens'], ['usage', 'cache_read_input_tokens']],
};

/** SSE frames of a valid stream, one frame's JSON given odd fields. */
function sseWithOddFrame(api: FakeApi): fc.Arbitrary<string> {
  const frames = GOOD[api].sse.split('\n\n').filter(Boolean);
  return fc.tuple(fc.nat({ max: frames.length - 1 }), fc.array(fc.tuple(fc.constantFrom('choices', 'delta', 'usage', 'message', 'content_block', 'type', 'index', 'text', 'content'), odd), { minLength: 1, maxLength: 2 })).map(([i, edits]) =>
    frames
      .map((f, j) => {
        const at = f.indexOf('data: {');
        if (j !== i || at < 0) return f;
        const o = JSON.parse(f.slice(at + 6)) as Record<string, unknown>;
        for (const [k, v] of edits) {
          const inner = [o, o['delta'], o['message'], (o['choices'] as unknown[] | undefined)?.[0]].find((x) => x && typeof x === 'object' && k in (x as object)) as Record<string, unknown> | undefined;
          (inner ?? o)[k] = v;
        }
        return f.slice(0, at) + 'data: ' + JSON.stringify(o);
      })
      .join('\n\n') + '\n\n',
  );
}

function body(api: FakeApi, stream: boolean): fc.Arbitrary<string> {
  const good = stream ? GOOD[api].sse : GOOD[api].json;
  return fc.oneof(
    mutatedOrRandom([good]),
    stream ? sseWithOddFrame(api) : withOddFields(GOOD[api].json, FIELDS[api]),
    fc.jsonValue({ maxDepth: 3 }).map((v) => (stream ? `data: ${JSON.stringify(v)}\n\n` : JSON.stringify(v))),
  );
}

const contentType = fc.constantFrom('application/json', 'text/event-stream', 'text/html; charset=utf-8', 'text/plain', 'application/problem+json', '');

const request: ModelRequest = { model: 'm', messages: [{ role: 'user', content: 'hello' }], params: {} };

let llm: FakeLlm;
beforeAll(async () => {
  llm = await startFakeLlm({ record: false });
});
afterAll(() => llm.close());

async function providerFor(api: FakeApi, stream: boolean): Promise<ModelProvider> {
  const factory = (await loadProviderFactory(api))!;
  const baseURL = api === 'openai' ? llm.openaiBaseURL : llm.anthropicBaseURL;
  const model = testModel('fuzzed', { provider: api, model: 'm', baseURL, stream });
  return factory.create(model, { configDir: '.', env: { OPENAI_API_KEY: 'sk-fuzz-000000000', ANTHROPIC_API_KEY: 'sk-fuzz-000000000' } });
}

describe('reply parsers on any 200 reply', () => {
  for (const api of ['openai', 'anthropic'] as const) {
    for (const stream of [false, true]) {
      it(`${api}, ${stream ? 'streamed' : 'not streamed'}: an output or a typed error, never a crash or a silent empty answer`, { timeout: 120_000 }, async () => {
        const provider = await providerFor(api, stream);
        await fc.assert(
          fc.asyncProperty(body(api, stream), contentType, async (text, type) => {
            llm.setBehaviour({ type: 'raw', contentType: type, body: text });
            let res;
            try {
              res = await provider.generate(request, { timeoutMs: 5000 });
            } catch (err) {
              if (!(err instanceof ProviderError)) throw new Error(`expected a ProviderError, got ${err instanceof Error ? `${err.constructor.name}: ${err.stack}` : String(err)}`);
              expect(err.message.length).toBeGreaterThan(0);
              return;
            }
            expect(typeof res.text).toBe('string');
            if (res.usage) for (const n of [res.usage.input, res.usage.output, res.usage.cachedInput]) expect(Number.isInteger(n) && n >= 0, `usage ${JSON.stringify(res.usage)}`).toBe(true);
            if (res.text === '') expect(text, 'an empty output needs an explicit empty string in the reply').toContain('""');
          }),
          { numRuns: FUZZ_RUNS },
        );
      });
    }
  }
});
