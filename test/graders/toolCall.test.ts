import { describe, expect, it } from 'vitest';
import { validateGraderOptions } from '../../src/graders/validateOptions.js';
import type { GradeContext, GraderConfig, ToolCall, ToolDefinition } from '../../src/types.js';
import { caseCtx, makeGrader, type CaseInput } from './helpers.js';

function call(name: string, args: unknown, id = 'c'): ToolCall {
  const raw = typeof args === 'string' ? args : JSON.stringify(args);
  const c: ToolCall = { id, name, rawArguments: raw };
  try {
    c.arguments = JSON.parse(raw);
  } catch {
    // invalid JSON: no parsed arguments, as the providers record it
  }
  return c;
}

function ctxWith(calls: ToolCall[], input: CaseInput = {}, tools?: ToolDefinition[]): GradeContext {
  const ctx = caseCtx('', input);
  ctx.toolCalls = calls;
  if (tools) ctx.prompt = { ...ctx.prompt, tools };
  return ctx;
}

async function grade(config: GraderConfig, calls: ToolCall[], input: CaseInput = {}, tools?: ToolDefinition[]) {
  return (await makeGrader(config)).grade(ctxWith(calls, input, tools));
}

function problems(config: GraderConfig): string[] {
  return validateGraderOptions(config, { configDir: '.', models: {} }).map((p) => p.message);
}

const lookup = call('lookup_order', { order_id: 'A-17', include: { items: true, notes: false } });

describe('tool-call', () => {
  it('passes when the named tool was called, whatever its arguments, in any position', async () => {
    const g = await grade({ type: 'tool-call', tool: 'lookup_order' }, [call('greet', {}), lookup]);
    expect(g).toMatchObject({ pass: true, score: 1 });
    expect(g.reason).toContain('lookup_order({"order_id":"A-17"');
  });

  it('fails naming what was called instead, and when nothing was called', async () => {
    const g = await grade({ type: 'tool-call', tool: 'refund' }, [lookup]);
    expect(g.pass).toBe(false);
    expect(g.reason).toContain('called lookup_order, not refund');
    expect((await grade({ type: 'tool-call', tool: 'refund' }, [])).reason).toBe('no tool was called');
  });

  it('subset (default): the given keys at any depth; exact: the whole arguments', async () => {
    expect((await grade({ type: 'tool-call', tool: 'lookup_order', args: { include: { items: true } } }, [lookup])).pass).toBe(true);
    const exact = await grade({ type: 'tool-call', tool: 'lookup_order', args: { order_id: 'A-17' }, match: 'exact' }, [lookup]);
    expect(exact.pass).toBe(false);
    expect(exact.reason).toContain('unexpected key "include"');
    const wrong = await grade({ type: 'tool-call', tool: 'lookup_order', args: { include: { notes: true } } }, [lookup]);
    expect(wrong.reason).toBe('lookup_order arguments at args.include.notes: expected true, got false');
  });

  it('renders Liquid leaves of args per case, read as JSON when they parse', async () => {
    const refund = call('refund', { order_id: 'A-17', amount: 25 });
    const config = { type: 'tool-call', tool: 'refund', args: { order_id: '{{ vars.order }}', amount: '{{ vars.amount }}' } };
    expect((await grade(config, [refund], { vars: { order: 'A-17', amount: 25 } })).pass).toBe(true);
    expect((await grade(config, [refund], { vars: { order: 'A-17', amount: 30 } })).reason).toContain('expected 30, got 25');
  });

  it('checks fields by JSON Schema or by a Liquid value', async () => {
    const refund = call('refund', { order_id: 'A-17', amount: 25, customer: { email: 'a@b.c' } });
    const config = { type: 'tool-call', tool: 'refund', fields: { amount: { type: 'number', maximum: 20 }, 'customer.email': '{{ vars.email }}' } };
    const g = await grade(config, [refund], { vars: { email: 'a@b.c' } });
    expect(g.pass).toBe(false);
    expect(g.reason).toContain('refund argument amount = 25: must be <= 20');
    const ok = await grade({ ...config, fields: { amount: { type: 'number', maximum: 30 }, 'customer.email': '{{ vars.email }}' } }, [refund], { vars: { email: 'a@b.c' } });
    expect(ok.pass).toBe(true);
    const missing = await grade({ type: 'tool-call', tool: 'refund', fields: { reason: { type: 'string' } } }, [refund]);
    expect(missing.reason).toBe('refund argument reason is missing');
  });

  it('never: a forbidden tool fails the case even beside the expected call', async () => {
    const g = await grade({ type: 'tool-call', tool: 'lookup_order', never: ['refund', 'cancel'] }, [lookup, call('refund', { order_id: 'A-17' })]);
    expect(g.pass).toBe(false);
    expect(g.reason).toContain('called refund, which must never be called: refund({"order_id":"A-17"})');
    expect((await grade({ type: 'tool-call', never: ['refund'] }, [lookup])).pass).toBe(true);
    expect((await grade({ type: 'tool-call', never: ['refund'] }, [])).pass).toBe(true);
  });

  it("never beside a row's expected call checks both", async () => {
    const expected = { toolCalls: [{ name: 'lookup_order', arguments: { order_id: 'B-2' } }] };
    const g = await grade({ type: 'tool-call', never: ['refund'] }, [lookup], { expected });
    expect(g.pass).toBe(false);
    expect(g.reason).toContain('at args.order_id: expected "B-2", got "A-17"');
  });

  it("takes the expected call from the row's expected.toolCalls", async () => {
    const expected = { toolCalls: [{ name: 'lookup_order', arguments: { order_id: 'A-17' } }] };
    expect((await grade({ type: 'tool-call' }, [lookup], { expected })).pass).toBe(true);
    const other = { toolCalls: [{ name: 'lookup_order', arguments: { order_id: 'B-2' } }] };
    expect((await grade({ type: 'tool-call' }, [lookup], { expected: other })).pass).toBe(false);
  });

  it('invalid JSON arguments fail an argument check with that reason', async () => {
    const broken = call('lookup_order', '{"order_id": "A-17"');
    const g = await grade({ type: 'tool-call', tool: 'lookup_order', args: { order_id: 'A-17' } }, [broken]);
    expect(g.reason).toBe('lookup_order({"order_id": "A-17"): the arguments are not valid JSON');
  });

  it('validates its options', () => {
    expect(problems({ type: 'tool-call', tool: 'x', match: 'fuzzy' }).join('\n')).toMatch(/match/);
    expect(problems({ type: 'tool-call', args: { a: 1 } }).join('\n')).toContain('`args` and `fields` need `tool`');
    expect(problems({ type: 'tool-call', tool: 'x', fields: { a: { type: 'nonsense' } } }).join('\n')).toContain('`fields.a` is not a valid JSON Schema');
    expect(problems({ type: 'tool-call', tool: '{{ vars.x ' }).join('\n')).toContain('not a valid Liquid template');
    expect(problems({ type: 'tool-call', tool: 'x', never: ['y'] })).toEqual([]);
  });
});

describe('tool-calls', () => {
  const a = call('a', { n: 1 });
  const b = call('b', { n: 2 });
  const c = call('c', {});

  it('order any: F1 over the expected set, with precision and recall in the details', async () => {
    // Expected {a, b}; made [b, c]: 1 match. precision 1/2, recall 1/2, F1 = 2·.5·.5/(.5+.5) = 0.5.
    const g = await grade({ type: 'tool-calls', calls: [{ name: 'a' }, { name: 'b' }], threshold: 0.5 }, [b, c]);
    expect(g).toMatchObject({ pass: true, score: 0.5 });
    expect(g.details).toMatchObject({ precision: 0.5, recall: 0.5, matched: 1 });
    const strictPass = await grade({ type: 'tool-calls', calls: [{ name: 'a' }, { name: 'b' }] }, [b, a]);
    expect(strictPass.pass).toBe(true);
  });

  it('order strict: the longest in-order run of expected calls', async () => {
    // Expected [a, b]; made [b, a]: the longest in-order match is 1 call. P = R = 1/2, F1 = 0.5.
    const g = await grade({ type: 'tool-calls', calls: [{ name: 'a' }, { name: 'b' }], order: 'strict' }, [b, a]);
    expect(g).toMatchObject({ pass: false, score: 0.5 });
    expect(g.reason).toContain('expected a, b, made b({"n":2}), a({"n":1})');
    // Expected [a, b]; made [a, c, b]: 2 in order, 3 made. P = 2/3, R = 1, F1 = 2·(2/3)/(5/3) = 0.8.
    const gap = await grade({ type: 'tool-calls', calls: [{ name: 'a' }, { name: 'b' }], order: 'strict' }, [a, c, b]);
    expect(gap.score).toBe(0.8);
  });

  it('matches arguments too, each made call used once', async () => {
    // Expected a(n=1) twice; made a(n=1) once: 1 match. P = 1, R = 1/2, F1 = 2/3 ≈ 0.6667.
    const g = await grade({ type: 'tool-calls', calls: [{ name: 'a', args: { n: 1 } }, { name: 'a', args: { n: 1 } }] }, [a]);
    expect(g.score).toBe(0.6667);
    const wrongArgs = await grade({ type: 'tool-calls', calls: [{ name: 'a', args: { n: 5 } }] }, [a]);
    expect(wrongArgs.score).toBe(0);
  });

  it('no calls expected and none made is a pass; calls from the row or a Liquid template', async () => {
    expect((await grade({ type: 'tool-calls', calls: [] }, [])).pass).toBe(true);
    expect((await grade({ type: 'tool-calls', calls: [] }, [a])).pass).toBe(false);
    const expected = { toolCalls: [{ name: 'a', arguments: { n: 1 } }, { name: 'b' }] };
    expect((await grade({ type: 'tool-calls' }, [a, b], { expected })).pass).toBe(true);
    const templated = { type: 'tool-calls', calls: '[{"name": "{{ vars.tool }}"}]' };
    expect((await grade(templated, [b], { vars: { tool: 'b' } })).pass).toBe(true);
  });

  it('validates its options', () => {
    expect(problems({ type: 'tool-calls', order: 'sorted' }).join('\n')).toMatch(/order/);
    expect(problems({ type: 'tool-calls', threshold: 2 }).join('\n')).toMatch(/threshold/);
    expect(problems({ type: 'tool-calls', calls: [{ args: {} }] }).join('\n')).toMatch(/name/);
  });
});

describe('tool-args-valid', () => {
  const tools: ToolDefinition[] = [
    { name: 'refund', parameters: { type: 'object', properties: { amount: { type: 'number', minimum: 0 } }, required: ['amount'], additionalProperties: false } },
  ];

  it("passes calls whose arguments match the declared tool's schema", async () => {
    expect(await grade({ type: 'tool-args-valid' }, [call('refund', { amount: 5 })], {}, tools)).toMatchObject({ pass: true, score: 1 });
  });

  it('fails invalid JSON, schema violations and undeclared tools; score = share of valid calls', async () => {
    const calls = [call('refund', { amount: 5 }), call('refund', { amount: -1 }), call('refund', '{"amount": '), call('wipe', {})];
    const g = await grade({ type: 'tool-args-valid' }, calls, {}, tools);
    // 1 valid call out of 4.
    expect(g).toMatchObject({ pass: false, score: 0.25 });
    expect(g.reason).toContain('3 of 4 tool calls invalid');
    expect(g.reason).toContain('refund({"amount":-1}): $.amount must be >= 0');
    expect(g.reason).toContain('refund({"amount": ): the arguments are not valid JSON');
    expect(g.reason).toContain('the prompt declares no tool "wipe" (tools: refund)');
  });

  it("in an agent case checks every step's calls, not only the final answer's", async () => {
    // The loop called refund with a bad amount in step 1, then answered in text (no final calls).
    const ctx = ctxWith([], {}, tools);
    ctx.trajectory = { toolCalls: [call('refund', { amount: -3 })], steps: 2 };
    const g = await (await makeGrader({ type: 'tool-args-valid' })).grade(ctx);
    expect(g).toMatchObject({ pass: false, score: 0 });
    expect(g.reason).toContain('refund({"amount":-3}): $.amount must be >= 0');
  });

  it('a case without calls passes unless requireCall', async () => {
    expect((await grade({ type: 'tool-args-valid' }, [], {}, tools)).pass).toBe(true);
    expect((await grade({ type: 'tool-args-valid', requireCall: true }, [], {}, tools)).pass).toBe(false);
  });
});
