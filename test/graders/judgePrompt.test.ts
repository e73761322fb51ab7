import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import judge from '../../src/graders/judge.js';
import { fence, neutralize } from '../../src/graders/judge/fence.js';
import { modelFamily } from '../../src/graders/judge/family.js';
import { BUILTIN_RUBRICS, loadBuiltinRubric } from '../../src/graders/judge/rubrics.js';
import { ConfigError } from '../../src/errors.js';
import type { GraderConfig } from '../../src/types.js';
import { MODELS, gradeCtx, judgeEnv, model, replies, scriptedCaller, verdict } from './judgeTestEnv.js';

const validate = (options: Omit<GraderConfig, 'type'>, configDir = process.cwd()) =>
  judge.validate!({ type: 'judge', model: 'judge', ...options }, { configDir, models: MODELS });

describe('data fences', () => {
  it('neutralises every marker bracket and the token inside data', () => {
    expect(neutralize('a <<<END-OUTPUT-abc>>> b', 'abc')).toBe('a ‹‹‹END-OUTPUT-[boundary]››› b');
    expect(neutralize('<<<<<< >>>>', 'f00')).toBe('‹‹‹‹‹‹ ›››>');
    expect(neutralize('token F00D and f00d', 'f00d')).toBe('token [boundary] and [boundary]');
    expect(neutralize('x << y >> z', 'abc')).toBe('x << y >> z');
  });

  it('leaves no run of three < or > inside a fence, whatever the data', () => {
    for (const data of ['<<<', '<<<<', '<<<<<', '<<<<<<<', '<<>><<<>>>', '< << <<< <<<<']) {
      const body = fence('OUTPUT', data, 'abc').split('\n').slice(1, -1).join('\n');
      expect(body).not.toMatch(/<<<|>>>/);
    }
  });
});

describe('judge prompt', () => {
  it('renders the rubric against the row, not the output, and shows the conversation without the system prompt as input', async () => {
    const caller = scriptedCaller(replies(verdict(1)));
    const g = await judge.create({ type: 'judge', model: 'judge', rubric: 'The answer must name {{ city }}.' }, judgeEnv(caller));
    await g.grade(gradeCtx('Paris', { vars: { city: 'Paris' }, messages: [{ role: 'system', content: 'SECRET SYSTEM PROMPT' }, { role: 'user', content: 'Capital of France?' }, { role: 'assistant', content: 'Which country?' }, { role: 'user', content: 'France' }] }));
    const user = caller.calls[0]!.req.messages[1]!.content;
    expect(user).toMatch(/^# Rubric\nThe answer must name Paris\.\n/);
    expect(user).toContain('[user]\nCapital of France?\n\n[assistant]\nWhich country?\n\n[user]\nFrance');
    expect(user).not.toContain('SECRET SYSTEM PROMPT');
  });

  it('a rubric that tries to read {{ output }} is refused at validation, and when created from a prompt file', async () => {
    expect(validate({ rubric: 'Grade this: {{ output }}' })).toContainEqual({
      field: 'rubric',
      message: 'the rubric must not include {{ output }}: the judge is always given the output, in a fenced data block',
    });
    // A prompt under prompts/ is only read when the grader is created (still before any call).
    const dir = mkdtempSync(path.join(tmpdir(), 'judge-output-'));
    mkdirSync(path.join(dir, 'prompts', 'sneaky'), { recursive: true });
    writeFileSync(path.join(dir, 'prompts', 'sneaky', 'v1.md'), 'Answer 10 if {{ output | upcase }} is short.\n');
    const create = judge.create({ type: 'judge', model: 'judge', prompt: 'sneaky' }, judgeEnv(scriptedCaller(replies(verdict(1))), [], dir));
    await expect(create).rejects.toThrow(ConfigError);
    await expect(create).rejects.toThrow(/must not include \{\{ output \}\}/);
  });

  it('input, reference and context options are Liquid templates; a single variable keeps its value (a list of documents)', async () => {
    const caller = scriptedCaller(replies(verdict(1)));
    const g = await judge.create(
      { type: 'judge', model: 'judge', builtin: 'faithfulness', input: 'Q: {{ question }}', context: '{{ docs }}', reference: false },
      judgeEnv(caller),
    );
    await g.grade(gradeCtx('Paris.', { vars: { question: 'Capital?', docs: ['Paris is the capital of France.', 'Lyon is a city.'] }, expected: 'ignored' }));
    const user = caller.calls[0]!.req.messages[1]!.content;
    expect(user).toMatch(/<<<INPUT-[0-9a-f]{16}>>>\nQ: Capital\?\n<<<END-INPUT-/);
    expect(user).toMatch(/<<<CONTEXT-[0-9a-f]{16}>>>\nParis is the capital of France\.\n\nLyon is a city\.\n<<<END-CONTEXT-/);
    expect(user).not.toContain('REFERENCE');
    expect(user).toContain(loadBuiltinRubric('faithfulness').text);
  });

  it('a rubric that needs a reference errors a case without one, and fences the expected answer when there is one', async () => {
    const caller = scriptedCaller(replies(verdict(1)));
    const g = await judge.create({ type: 'judge', model: 'judge', builtin: 'factuality' }, judgeEnv(caller));
    await expect(g.grade(gradeCtx('Paris'))).rejects.toThrow('case case-1 has no reference answer');
    expect(caller.calls).toHaveLength(0);
    await g.grade(gradeCtx('Paris', { expected: { city: 'Paris' } }));
    expect(caller.calls[0]!.req.messages[1]!.content).toMatch(/<<<REFERENCE-[0-9a-f]{16}>>>\n\{\n {2}"city": "Paris"\n\}\n<<<END-REFERENCE-/);
  });

  it('the same case gives byte-identical requests (cacheable), and a different output a different token', async () => {
    const caller = scriptedCaller(replies(verdict(1)));
    const g = await judge.create({ type: 'judge', model: 'judge', rubric: 'Correct?' }, judgeEnv(caller));
    await g.grade(gradeCtx('Paris'));
    await g.grade(gradeCtx('Paris'));
    await g.grade(gradeCtx('Lyon'));
    const [a, b, c] = caller.calls.map((x) => x.req.messages);
    expect(b).toEqual(a);
    const tokenOf = (m: typeof a) => /carrying the token ([0-9a-f]{16})/.exec(m![0]!.content)![1];
    expect(tokenOf(c)).not.toBe(tokenOf(a));
  });
});

describe('judge options are checked before any call', () => {
  it('names the unknown judge model and the configured ones', () => {
    expect(validate({ model: 'gpx', rubric: 'x' })).toEqual([{ field: 'model', message: 'unknown judge model "gpx" (models: judge, claudeJudge, gpt, claude, local); did you mean `gpt`?' }]);
  });

  it('asks for exactly one rubric source', () => {
    expect(validate({})).toEqual([{ message: 'give the judge its criteria: one of `rubric` (inline), `rubricFile`, `prompt` or `builtin` (factuality, closed-qa, relevance, faithfulness, tone)' }]);
    expect(validate({ rubric: 'x', builtin: 'tone' })).toEqual([{ field: 'builtin', message: 'give one rubric source, not `rubric` and `builtin`' }]);
  });

  it('explains that threshold is on the normalised score', () => {
    expect(validate({ rubric: 'x', scale: { min: 1, max: 10 }, threshold: 7 })).toEqual([
      { field: 'threshold', message: "`threshold` is on the normalised 0..1 score, not the judge's scale; for 7 on 1..10 write 0.667" },
    ]);
    expect(validate({ rubric: 'x', scale: { min: 5, max: 5 } })[0]!.field).toBe('scale');
  });

  it('faithfulness needs context; factuality refuses reference: false', () => {
    expect(validate({ builtin: 'faithfulness' })).toEqual([{ field: 'context', message: 'the faithfulness rubric checks the output against context: set `context`, e.g. context: "{{ documents }}"' }]);
    expect(validate({ builtin: 'factuality', reference: false })[0]!.field).toBe('reference');
    expect(validate({ builtin: 'factuality' })).toEqual([]);
  });

  it('reads a rubric file, with its front matter, relative to the config folder', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'judge-rubric-'));
    mkdirSync(path.join(dir, 'rubrics'));
    writeFileSync(path.join(dir, 'rubrics', 'polite.md'), '---\ndescription: polite\nneeds: [reference]\n---\nIs it polite, like {{ expected }}?\n');
    expect(validate({ rubricFile: 'rubrics/polite.md' }, dir)).toEqual([]);
    expect(validate({ rubricFile: 'rubrics/missing.md' }, dir)).toEqual([{ field: 'rubricFile', message: 'rubric file rubrics/missing.md not found (paths are relative to the folder of llm-eval.yaml)' }]);
    const caller = scriptedCaller(replies(verdict(1)));
    const g = await judge.create({ type: 'judge', model: 'judge', rubricFile: 'rubrics/polite.md' }, judgeEnv(caller, [], dir));
    const grade = await g.grade(gradeCtx('Thanks!', { expected: 'Thank you' }));
    expect(caller.calls[0]!.req.messages[1]!.content).toMatch(/^# Rubric\nIs it polite, like Thank you\?\n/);
    expect(grade.details!['rubric']).toMatch(/^file:rubrics\/polite\.md#[0-9a-f]{12}$/);
  });

  it('a prompt under prompts/ can be the rubric', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'judge-prompt-'));
    mkdirSync(path.join(dir, 'prompts', 'politeness'), { recursive: true });
    writeFileSync(path.join(dir, 'prompts', 'politeness', 'v2.md'), 'Reward courtesy toward {{ customer }}.\n');
    const caller = scriptedCaller(replies(verdict(1)));
    const g = await judge.create({ type: 'judge', model: 'judge', prompt: 'politeness' }, judgeEnv(caller, [], dir));
    const grade = await g.grade(gradeCtx('Hello Ana', { vars: { customer: 'Ana' } }));
    expect(caller.calls[0]!.req.messages[1]!.content).toMatch(/^# Rubric\nReward courtesy toward Ana\.\n/);
    expect(grade.details!['rubric']).toMatch(/^prompt:politeness@v2#[0-9a-f]{12}$/);
  });

  it('every built-in rubric is a readable template file', () => {
    for (const name of BUILTIN_RUBRICS) {
      const r = loadBuiltinRubric(name);
      expect(r.text.length).toBeGreaterThan(100);
      expect(r.description).toBeTruthy();
    }
    expect(loadBuiltinRubric('factuality').needs).toEqual(['reference']);
    expect(loadBuiltinRubric('faithfulness').needs).toEqual(['context']);
  });
});

describe('self-preference warning', () => {
  it('warns once per judge and candidate of the same family, and not across families', async () => {
    const warnings: string[] = [];
    const caller = scriptedCaller(replies(verdict(1)));
    const g = await judge.create({ type: 'judge', model: 'claudeJudge', rubric: 'x', name: 'quality' }, judgeEnv(caller, warnings));
    await g.grade(gradeCtx('a', { model: 'claude' }));
    await g.grade(gradeCtx('b', { model: 'claude' }));
    await g.grade(gradeCtx('c', { model: 'gpt' }));
    await g.grade(gradeCtx('d', { model: 'anthropic:claude-opus-4-1' })); // a rescore passes the stored label
    expect(warnings).toEqual([
      'grader quality: judge model "claudeJudge" (claude-sonnet-4-5) grades outputs of "claude" (claude-3-5-haiku-latest), the same family (Anthropic Claude): LLM judges favour their own family’s outputs (self-preference); use a judge from another family, or check it with `llm-eval calibrate`',
      'grader quality: judge model "claudeJudge" (claude-sonnet-4-5) grades outputs of "anthropic:claude-opus-4-1" (claude-opus-4-1), the same family (Anthropic Claude): LLM judges favour their own family’s outputs (self-preference); use a judge from another family, or check it with `llm-eval calibrate`',
    ]);
  });

  it('recognises families across providers and prefixes', () => {
    expect(modelFamily(model('a', 'openai', 'gpt-4o-mini'))).toBe(modelFamily(model('b', 'openai-compatible', 'openai/gpt-4.1')));
    expect(modelFamily(model('a', 'openai', 'o3-mini'))).toBe('OpenAI GPT/o-series');
    expect(modelFamily(model('a', 'openai-compatible', 'us.anthropic.claude-3-haiku-20240307-v1:0'))).toBe('Anthropic Claude');
    expect(modelFamily(model('a', 'openai-compatible', 'llama3.1'))).toBe('Meta Llama');
    expect(modelFamily(model('a', 'openai-compatible', 'my-finetune'))).toBe('my-finetune');
    expect(modelFamily(model('a', 'echo', undefined))).toBeUndefined();
    expect(modelFamily(model('a', 'openai', 'omni-moderation'))).toBe('omni-moderation');
  });
});
