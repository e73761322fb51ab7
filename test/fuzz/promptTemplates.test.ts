/**
 * Properties of prompt templates on any input:
 *  - a template file's bytes (.yaml, .md, .txt; valid ones broken by edits, or free text) parse
 *    into a template or a ConfigError naming the file and a line ≥ 0;
 *  - a template that parsed, rendered with any row, gives messages or a ConfigError; checking a
 *    row against it (what validation does) returns an issue, never throws;
 *  - any Liquid snippet (a grader's `value`) renders to text or a TemplateError;
 *  - any prompt reference loads a template or a ConfigError (no path escapes, no crash).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseTemplateFile } from '../../src/prompts/parseTemplate.js';
import { PromptRenderer } from '../../src/prompts/render.js';
import { loadPromptTemplate } from '../../src/prompts/loader.js';
import { TemplateError } from '../../src/prompts/templateError.js';
import type { DatasetRow, PromptTemplate } from '../../src/types.js';
import { FUZZ_RUNS, expectConfigError, mutatedOrRandom } from './mutate.js';

const YAML_TEMPLATE = `description: route a ticket
params: { temperature: 0, max_tokens: 64 }
responseFormat:
  type: object
  properties: { category: { type: string } }
  required: [category]
messages:
  - role: system
    content: |
      You route tickets to one of: {{ queues | join: ", " }}.
  - role: user
    content: "Ticket from {{ customer.name | default: 'someone' }}: {{ ticket }}"
  - { role: assistant, content: "{% if hint %}Hint: {{ hint }}{% endif %}" }
`;

const MD_TEMPLATE = `---
system: You are terse.
params: { temperature: 0.2 }
description: a markdown prompt
---

{% for m in history %}[{{ forloop.index }}] {{ m }}
{% endfor %}Answer: {{ question | upcase }}
{% unless short %}Explain.{% endunless %}
`;

const TXT_TEMPLATE = `Q: {{ question }}
{% assign n = items | size %}{{ n }} items{% if n > 1 %}, first {{ items | first }}{% endif %}
{% comment %}ignored{% endcomment %}{% raw %}{{ literal }}{% endraw %}
`;

const BASES: Record<string, string> = { '.yaml': YAML_TEMPLATE, '.md': MD_TEMPLATE, '.txt': TXT_TEMPLATE };

const VAR_NAMES = ['queues', 'customer', 'ticket', 'hint', 'history', 'question', 'short', 'items', 'n', 'x', 'xs'];

/** Rows that provide some, all or none of the variables, with values of any JSON shape. */
const vars = fc.dictionary(fc.oneof(fc.constantFrom(...VAR_NAMES), fc.string({ maxLength: 5 })), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 8 });

const LIQUID_PIECES = [
  'text ', '\n', '{{ ', ' }}', '{% ', ' %}', '{{ x }}', '{{ x.y }}', '{{ xs[0] }}', '{{ x | upcase }}', '{{ x | nope }}', '{{ x | default: "d" }}',
  '{{ x | divided_by: 0 }}', '{{ x | modulo: 0 }}', '{{ x | json }}', '{{ x | split: "," | join: "-" }}', '{{ x | truncate: 3 }}',
  '{{ x | date: "%Y" }}', '{{ x | slice: 1, 2 }}', '{% if x %}', '{% elsif xs %}', '{% else %}', '{% endif %}', '{% unless x %}', '{% endunless %}',
  '{% for i in xs %}', '{{ i }}', '{{ forloop.index }}', '{% break %}', '{% endfor %}', '{% assign a = x %}', '{{ a }}', '{% capture c %}', '{% endcapture %}',
  '{% case x %}', '{% when 1 %}', '{% endcase %}', '{% raw %}', '{% endraw %}', '{% comment %}', '{% endcomment %}', '{% liquid echo x %}',
  '{%- if x -%}', '{{- x -}}', '"', "'", '|', ':', '.', '[', ']', '{', '}', '%',
];

const liquidSource = fc.oneof(
  fc.array(fc.constantFrom(...LIQUID_PIECES), { maxLength: 25 }).map((ps) => ps.join('')),
  mutatedOrRandom([YAML_TEMPLATE, MD_TEMPLATE, TXT_TEMPLATE]),
);

let dir: string;
const renderer = new PromptRenderer();

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'llm-eval-fuzz-prompts-'));
  mkdirSync(path.join(dir, 'prompts', 'classify'), { recursive: true });
  mkdirSync(path.join(dir, 'prompts', 'chat'), { recursive: true });
  writeFileSync(path.join(dir, 'prompts', 'classify', 'v1.md'), MD_TEMPLATE);
  writeFileSync(path.join(dir, 'prompts', 'classify', 'v10.txt'), TXT_TEMPLATE);
  writeFileSync(path.join(dir, 'prompts', 'chat', 'v2.yaml'), YAML_TEMPLATE);
  writeFileSync(path.join(dir, 'secret.txt'), 'outside the prompts folder');
});

function parses(file: string, text: string): PromptTemplate | undefined {
  try {
    return parseTemplateFile(file, Buffer.from(text, 'utf8'), 'p', 'v1');
  } catch (err) {
    expectConfigError(err, file);
    return undefined;
  }
}

function rendersOrReports(t: PromptTemplate, rowVars: Record<string, unknown>): void {
  for (const issue of renderer.syntaxIssues(t)) expect(issue.line).toBeGreaterThanOrEqual(0);
  try {
    const out = renderer.render(t, rowVars);
    expect(out.messages).toHaveLength(t.messages.length);
    for (const m of out.messages) expect(typeof m.content).toBe('string');
  } catch (err) {
    expectConfigError(err);
  }
  const row: DatasetRow = { id: 'r', vars: rowVars, source: { file: path.join(dir, 'd.jsonl'), line: 3 } };
  const issue = renderer.checkRowAgainstTemplate(row, t);
  if (issue) expect(Number.isInteger(issue.line) && issue.line >= 1).toBe(true);
  // A variable found missing is one validation reports for this row, by name.
  const missing = renderer.missingVariables(t, rowVars);
  if (missing.length > 0 && renderer.syntaxIssues(t).length === 0) {
    expect(issue?.message).toContain(`"${missing[0]}"`);
  }
}

describe('prompt templates on bad input', () => {
  it('parse and render every base template', () => {
    for (const [ext, text] of Object.entries(BASES)) {
      const t = parseTemplateFile(path.join(dir, `base${ext}`), Buffer.from(text), 'p', 'v1');
      expect(t.messages.length).toBeGreaterThan(0);
    }
  });

  for (const [ext, base] of Object.entries(BASES)) {
    it(`${ext}: mutated and random files parse or give a ConfigError; parsed ones render or give one`, () => {
      const file = path.join(dir, `t${ext}`);
      fc.assert(
        fc.property(mutatedOrRandom([base]), vars, (text, rowVars) => {
          const t = parses(file, text);
          if (t) rendersOrReports(t, rowVars);
        }),
        { numRuns: FUZZ_RUNS },
      );
    });
  }

  it('any Liquid snippet renders to text or a TemplateError', () => {
    fc.assert(
      fc.property(liquidSource, vars, (source, scope) => {
        try {
          expect(typeof renderer.renderString(source, scope)).toBe('string');
        } catch (err) {
          if (!(err instanceof TemplateError)) throw new Error(`expected a TemplateError, got ${String((err as Error)?.stack ?? err)}`, { cause: err });
        }
      }),
      { numRuns: FUZZ_RUNS * 2 },
    );
  });

  it('any prompt reference loads a template or gives a ConfigError', async () => {
    const promptsDir = path.join(dir, 'prompts');
    const ref = fc.oneof(
      fc.constantFrom('classify', 'classify@v1', 'classify@v10', 'chat@v2', 'classify@v3', '../secret', '..', '.', '@', 'a@b@c', 'classify@', '@v1', '', ' classify ', 'chat/../classify', '/etc/passwd'),
      fc.string({ maxLength: 12 }),
      fc.constantFrom('classify', 'chat', '..').chain((n) => fc.string({ maxLength: 6 }).map((v) => `${n}@${v}`)),
    );
    await fc.assert(
      fc.asyncProperty(ref, async (r) => {
        try {
          const t = await loadPromptTemplate(promptsDir, r);
          // Whatever the reference, a template comes from inside the prompts folder.
          expect(path.relative(promptsDir, t.file).startsWith('..')).toBe(false);
        } catch (err) {
          // The loader has no line for a bad reference; loadConfig places it at the reference.
          expectConfigError(err, undefined, { wholeFileAllowed: true });
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('anchors and aliases that expand too far are a ConfigError at a line', () => {
    const bomb = ['params:', '  a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 8; i++) bomb.push(`  ${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`);
    bomb.push('messages: [{ role: user, content: hi }]');
    const file = path.join(dir, 'bomb.yaml');
    expect(() => parseTemplateFile(file, Buffer.from(bomb.join('\n')), 'p', 'v1')).toThrow(/expand too far/);
    expect(parses(file, bomb.join('\n'))).toBeUndefined();
  });
});
