// The benchmark's projects: one llm-eval project and one promptfoo project that make exactly
// the same calls and apply the same two checks (output equals the expected text; output is
// JSON valid against a schema). The fake server answers with the last user message, so every
// case passes when the harness renders and grades correctly (the bench checks the pass count).
import { mkdirSync, writeFileSync, createWriteStream, rmSync, existsSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';

export const MODEL = 'gpt-4o-mini';
export const CATEGORIES = ['billing', 'shipping', 'account', 'other'];
export const SYSTEM_TEMPLATE =
  'You route customer support tickets to a queue. Read the ticket and answer with a single JSON object ' +
  '{"n": <the ticket number>, "category": <one of billing, shipping, account, other>} and nothing else. ' +
  'Ticket: {{ ticket }}';
export const USER_TEMPLATE = '{"n": {{ n }}, "category": "{{ category }}"}';
export const SCHEMA = {
  type: 'object',
  required: ['n', 'category'],
  properties: { n: { type: 'integer', minimum: 0 }, category: { enum: CATEGORIES } },
  additionalProperties: false,
};

const WORDS = 'my order was charged twice and the parcel never arrived please help me reset the password on the account before friday thanks'.split(' ');

/** A deterministic row: the same n always gives the same case. */
export function row(n) {
  const category = CATEGORIES[n % CATEGORIES.length];
  const words = [];
  for (let i = 0; i < 24; i++) words.push(WORDS[(n * 7 + i * 3) % WORDS.length]);
  const vars = { n, ticket: `#${n}: ${words.join(' ')}`, category };
  return { id: `c${String(n).padStart(6, '0')}`, vars, expected: `{"n": ${n}, "category": "${category}"}` };
}

async function writeLines(file, count, toLine) {
  const out = createWriteStream(file);
  for (let n = 0; n < count; n++) {
    if (!out.write(toLine(n) + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/**
 * Writes the llm-eval project into `dir`: two models (one per fake server: `fake50` with the
 * benchmark latency, `fast` with a low one for the 100k memory run) and one suite per dataset size.
 */
export async function writeLlmEvalProject(dir, { baseURL, fastBaseURL, sizes }) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'prompts', 'classify'), { recursive: true });
  mkdirSync(path.join(dir, 'datasets'), { recursive: true });
  mkdirSync(path.join(dir, 'schemas'), { recursive: true });
  writeFileSync(
    path.join(dir, 'prompts', 'classify', 'v1.yaml'),
    `messages:\n  - role: system\n    content: ${JSON.stringify(SYSTEM_TEMPLATE)}\n  - role: user\n    content: ${JSON.stringify(USER_TEMPLATE)}\n`,
  );
  writeFileSync(path.join(dir, 'schemas', 'answer.schema.json'), JSON.stringify(SCHEMA, null, 2) + '\n');
  const suites = [];
  for (const { name, cases, model } of sizes) {
    await writeLines(path.join(dir, 'datasets', `${name}.jsonl`), cases, (n) => JSON.stringify(row(n)));
    suites.push(
      `  ${name}:\n    prompt: classify@v1\n    dataset: datasets/${name}.jsonl\n    model: ${model}\n    graders:\n` +
        `      - { type: exact }\n      - { type: json-schema, schema: schemas/answer.schema.json }\n`,
    );
  }
  writeFileSync(
    path.join(dir, 'llm-eval.yaml'),
    `models:\n` +
      `  fake50: { provider: openai, model: ${MODEL}, baseURL: "${baseURL}", params: { temperature: 0 } }\n` +
      `  fast: { provider: openai, model: ${MODEL}, baseURL: "${fastBaseURL}", params: { temperature: 0 } }\n` +
      `suites:\n${suites.join('')}` +
      `defaults: { concurrency: 64, retries: 2, timeoutMs: 60000, cache: off }\n`,
  );
}

/** The promptfoo project for the same cases: openai provider at the fake server, equals + is-json with the schema. */
export async function writePromptfooProject(dir, { baseURL, cases, concurrency }) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // promptfoo renders the file with Nunjucks, then reads it as a chat messages array.
  const prompt = JSON.stringify(
    [
      { role: 'system', content: SYSTEM_TEMPLATE },
      { role: 'user', content: USER_TEMPLATE },
    ],
    null,
    2,
  );
  writeFileSync(path.join(dir, 'prompt.json'), prompt + '\n');
  await writeLines(path.join(dir, 'tests.jsonl'), cases, (n) => {
    const r = row(n);
    return JSON.stringify({ description: r.id, vars: { ...r.vars, expected: r.expected } });
  });
  const config = {
    description: 'llm-eval bench',
    prompts: ['file://prompt.json'],
    providers: [{ id: `openai:chat:${MODEL}`, config: { apiBaseUrl: baseURL, apiKey: 'sk-bench-0123456789abcdef', temperature: 0 } }],
    defaultTest: {
      assert: [
        { type: 'equals', value: '{{ expected }}' },
        { type: 'is-json', value: SCHEMA },
      ],
    },
    tests: 'file://tests.jsonl',
    evaluateOptions: { maxConcurrency: concurrency, showProgressBar: false },
  };
  writeFileSync(path.join(dir, 'promptfooconfig.yaml'), JSON.stringify(config, null, 2) + '\n');
}

export function exists(file) {
  return existsSync(file);
}
