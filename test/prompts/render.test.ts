import { describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { PromptRenderer } from '../../src/prompts/render.js';
import { TemplateError } from '../../src/prompts/templateError.js';
import type { ChatMessage, DatasetRow, PromptTemplate } from '../../src/types.js';

function template(messages: ChatMessage[], extra: Partial<PromptTemplate> = {}): PromptTemplate {
  return {
    name: 'classify-ticket',
    version: 'v2',
    ref: 'classify-ticket@v2',
    file: '/repo/prompts/classify-ticket/v2.yaml',
    hash: 'abcdef123456',
    messages,
    messageLines: messages.map((_, i) => 10 + i * 5),
    params: {},
    ...extra,
  };
}

function row(vars: Record<string, unknown>, line = 14): DatasetRow {
  return { id: 'r1', vars, source: { file: 'datasets/t.jsonl', line } };
}

describe('render', () => {
  it('renders every message with the row vars at the top level', () => {
    const t = template(
      [
        { role: 'system', content: 'Route to one of: {{ queues | join: ", " }}' },
        { role: 'user', content: 'Ticket from {{ customer.name }}: {{ ticket }}' },
      ],
      { responseFormat: { type: 'object' } },
    );
    const out = new PromptRenderer().render(t, { queues: ['billing', 'tech'], customer: { name: 'Ada' }, ticket: 'refund please' });
    expect(out).toEqual({
      name: 'classify-ticket',
      version: 'v2',
      hash: 'abcdef123456',
      messages: [
        { role: 'system', content: 'Route to one of: billing, tech' },
        { role: 'user', content: 'Ticket from Ada: refund please' },
      ],
      responseFormat: { type: 'object' },
    });
  });

  it('iterates with {% for %}', () => {
    const t = template([{ role: 'user', content: '{% for m in history %}[{{ forloop.index }}] {{ m }}\n{% endfor %}' }]);
    expect(new PromptRenderer().render(t, { history: ['hi', 'help'] }).messages[0]!.content).toBe('[1] hi\n[2] help\n');
  });

  it('lets {% if %}, {% unless %} and | default test a variable the row does not provide', () => {
    const t = template([
      { role: 'user', content: '{% if note %}Note: {{ note }}. {% endif %}{% unless lang %}English. {% endunless %}Tone: {{ tone | default: "neutral" }}' },
    ]);
    const r = new PromptRenderer();
    expect(r.render(t, {}).messages[0]!.content).toBe('English. Tone: neutral');
    expect(r.render(t, { note: 'VIP', lang: 'fr', tone: 'warm' }).messages[0]!.content).toBe('Note: VIP. Tone: warm');
  });

  it('treats an empty string as false in {% if %}, as an empty CSV cell means "not given"', () => {
    const t = template([{ role: 'user', content: '{% if note %}Note: {{ note }}{% else %}none{% endif %}' }]);
    expect(new PromptRenderer().render(t, { note: '' }).messages[0]!.content).toBe('none');
  });

  it('fails on a variable the vars do not provide, naming prompt, variable and template line', () => {
    const t = template([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Channel: {{ channel }}\nTicket: {{ ticket }}' },
    ]);
    const err = (() => {
      try {
        new PromptRenderer().render(t, { channel: 'email', body: 'x' });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues).toEqual([
      {
        file: '/repo/prompts/classify-ticket/v2.yaml',
        line: 16, // the user message starts at line 15; {{ ticket }} is its 2nd line
        message: 'prompt classify-ticket@v2 uses variable "ticket", which was not provided (provided: channel, body)',
      },
    ]);
  });

  it('does not let {% assign %} leak into the caller\'s vars', () => {
    const vars = { a: 1 };
    new PromptRenderer().render(template([{ role: 'user', content: '{% assign b = 2 %}{{ a }}{{ b }}' }]), vars);
    expect(vars).toEqual({ a: 1 });
  });
});

describe('checkRowAgainstTemplate', () => {
  const t = template([{ role: 'user', content: 'Ticket: {{ ticket }} via {{ channel }}' }]);

  it('returns an issue at the row\'s dataset line naming prompt, variable and the row\'s vars', () => {
    expect(new PromptRenderer().checkRowAgainstTemplate(row({ body: 'hi', channel: 'email' }), t)).toEqual({
      file: 'datasets/t.jsonl',
      line: 14,
      message: 'prompt classify-ticket@v2 uses variable "ticket", which this row does not provide (row vars: body, channel)',
    });
  });

  it('names every missing variable at once', () => {
    expect(new PromptRenderer().checkRowAgainstTemplate(row({}), t)?.message).toBe(
      'prompt classify-ticket@v2 uses variables "ticket", "channel", which this row does not provide (the row has no vars)',
    );
  });

  it('returns null for a row that renders', () => {
    expect(new PromptRenderer().checkRowAgainstTemplate(row({ ticket: 't', channel: 'c' }), t)).toBeNull();
  });

  it('reports a Liquid syntax error at the template file and line', () => {
    const broken = template([
      { role: 'system', content: 'ok' },
      { role: 'user', content: 'line one\n{% if x %}never closed' },
    ]);
    const r = new PromptRenderer();
    const issue = r.checkRowAgainstTemplate(row({ x: 1 }), broken);
    expect(issue).toEqual({
      file: '/repo/prompts/classify-ticket/v2.yaml',
      line: 16,
      message: 'prompt classify-ticket@v2: Liquid syntax error in the user message: tag {% if x %} not closed',
    });
    expect(r.syntaxIssues(broken)).toEqual([issue]);
  });

  it('reports an unknown filter as a syntax error', () => {
    const r = new PromptRenderer();
    const issues = r.syntaxIssues(template([{ role: 'user', content: '{{ ticket | upcasee }}' }]));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toContain('undefined filter: upcasee');
  });
});

describe('missingVariables', () => {
  const t = template([
    { role: 'system', content: '{% if persona %}You are {{ persona_name }}.{% endif %}' },
    { role: 'user', content: '{{ a }} {{ c.d }} {{ a }} {% for x in items %}{{ x }}{% endfor %}' },
  ]);
  const r = new PromptRenderer();

  it('lists required variables in order, leaving out ones only tested by if', () => {
    expect(r.missingVariables(t, {})).toEqual(['a', 'c', 'items']);
  });

  it('names a missing property of a value the row provides', () => {
    expect(r.missingVariables(t, { a: 1, c: {}, items: [] })).toEqual(['c.d']);
  });

  it('is empty when the vars satisfy the template', () => {
    expect(r.missingVariables(t, { a: 1, c: { d: 2 }, items: [1] })).toEqual([]);
  });

  it('names a missing property of a loop variable once', () => {
    const loop = template([{ role: 'user', content: '{% for t in tickets %}{{ t.body }}{% endfor %}' }]);
    expect(r.missingVariables(loop, { tickets: [{ subject: 's' }] })).toEqual(['t.body']);
  });

  it('requires what a taken branch needs', () => {
    expect(r.missingVariables(t, { persona: true, a: 1, c: { d: 1 }, items: [] })).toEqual(['persona_name']);
  });
});

describe('renderString', () => {
  it('renders a grader value against its scope', () => {
    expect(new PromptRenderer().renderString('{{ expected.category | downcase }}', { expected: { category: 'Billing' } })).toBe('billing');
  });

  it('throws a TemplateError naming the undefined variable and what the scope has', () => {
    const err = (() => {
      try {
        new PromptRenderer().renderString('{{ expected.categry }}', { vars: {}, expected: { category: 'x' } });
      } catch (e) {
        return e;
      }
    })() as TemplateError;
    expect(err).toBeInstanceOf(TemplateError);
    expect(err.variable).toBe('expected.categry');
    expect(err.message).toBe('template "{{ expected.categry }}" uses variable "expected.categry", which is not defined (defined: vars, expected)');
  });

  it('throws a TemplateError for a syntax error', () => {
    expect(() => new PromptRenderer().renderString('{{ x ', {})).toThrow(/Liquid syntax error: output "\{\{ x " not closed/);
  });
});

describe('parse cache', () => {
  it('parses each template source once across 10k renders', () => {
    const r = new PromptRenderer();
    const parse = vi.spyOn(r.liquid, 'parse');
    const t = template([
      { role: 'system', content: 'Classify. {% if hint %}Hint: {{ hint }}{% endif %}' },
      { role: 'user', content: 'Ticket {{ i }}: {{ body }}' },
    ]);
    for (let i = 0; i < 10_000; i++) {
      const out = r.render(t, { i, body: `b${i}` });
      if (i === 9_999) expect(out.messages[1]!.content).toBe('Ticket 9999: b9999');
    }
    for (let i = 0; i < 1_000; i++) r.renderString('{{ expected }}', { expected: i });
    expect(parse).toHaveBeenCalledTimes(3);
  });

  it('does not re-parse a broken template for every row', () => {
    const r = new PromptRenderer();
    const parse = vi.spyOn(r.liquid, 'parse');
    const t = template([{ role: 'user', content: '{% if %}' }]);
    for (let i = 0; i < 100; i++) r.checkRowAgainstTemplate(row({}), t);
    expect(parse).toHaveBeenCalledTimes(1);
  });
});
