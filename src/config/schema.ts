import type { JsonSchema } from '../types.js';
import { REDACT_MODES } from './redactMode.js';
import { MAX_CONCURRENCY } from './limits.js';

/**
 * The JSON Schema of llm-eval.yaml (structure only; references between sections, files on disk
 * and grader options are checked in config/resolve.ts). The shipped schema/llm-eval.schema.json
 * is this plus each grader's options (config/shippedSchema.ts), for editor completion.
 */

const nonNegative = { type: 'number', minimum: 0 };

export const priceSchema: JsonSchema = {
  type: 'object',
  description: 'USD per 1M tokens; overrides the built-in price table.',
  properties: { input: nonNegative, output: nonNegative, cachedInput: nonNegative, cacheWrite: nonNegative, cacheWrite1h: nonNegative },
  required: ['input', 'output'],
  additionalProperties: false,
};

export const modelSchema: JsonSchema = {
  type: 'object',
  description: 'A named model target that variants refer to.',
  properties: {
    provider: { type: 'string', description: 'openai | anthropic | openai-compatible | script | echo' },
    model: { type: 'string', description: 'Provider-side model id, e.g. gpt-4o-mini. Optional for echo and script.' },
    baseURL: { type: 'string', description: 'API base URL (openai-compatible; overrides OPENAI_BASE_URL / ANTHROPIC_BASE_URL).' },
    apiKeyEnv: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'Name of the environment variable holding the API key.' },
    params: { type: 'object', description: 'Request parameters (temperature, max_tokens, ...).' },
    price: priceSchema,
    module: { type: 'string', description: 'script provider: path of a JS/TS module exporting `async (prompt, ctx) => ({ output })`.' },
    stream: { type: 'boolean', description: 'Stream responses (default true) to record time to first token.' },
    concurrency: { type: 'integer', minimum: 1, maximum: MAX_CONCURRENCY, description: 'Max calls in flight to this model.' },
    batch: { type: 'boolean', description: 'Send uncached calls as provider batches (50% price; openai, anthropic, or an openai-compatible server with a Batch API).' },
  },
  required: ['provider'],
  additionalProperties: false,
};

export const variantSchema: JsonSchema = {
  type: 'object',
  properties: {
    prompt: { type: 'string', description: 'Prompt reference: name (latest version) or name@version.' },
    model: { type: 'string', description: 'Name of a model under `models:`.' },
    params: { type: 'object', description: "Overrides the model's params." },
  },
  additionalProperties: false,
};

export const graderBaseSchema: JsonSchema = {
  type: 'object',
  properties: {
    type: { type: 'string' },
    name: { type: 'string', description: 'Display name in reports.' },
  },
  required: ['type'],
};

export const gateSchema: JsonSchema = {
  type: 'object',
  description: 'When set, only the rules named here decide whether the suite passes.',
  properties: {
    minPassRate: { type: 'number', minimum: 0, maximum: 1 },
    maxCostUsd: nonNegative,
    regression: {
      type: 'object',
      properties: {
        alpha: { type: 'number', exclusiveMinimum: 0, maximum: 0.5 },
        margin: { type: 'number', minimum: 0, maximum: 1 },
      },
      additionalProperties: false,
    },
    passAllRepeats: { type: 'boolean' },
  },
  additionalProperties: false,
};

export const suiteSchema: JsonSchema = {
  type: 'object',
  properties: {
    description: { type: 'string' },
    prompt: { type: 'string', description: 'Default prompt for variants: name or name@version.' },
    model: { type: 'string', description: 'With no `variants`: the one model to run (the variant is named after it).' },
    dataset: { type: 'string', description: 'Path of a .jsonl, .csv, .yaml/.yml or .json dataset.' },
    variants: { type: 'object', additionalProperties: variantSchema, minProperties: 1 },
    repeat: { type: 'integer', minimum: 1, maximum: 1000 },
    graders: { type: 'array', items: graderBaseSchema },
    gate: gateSchema,
    labels: {
      type: ['object', 'boolean'],
      description:
        'Classification metrics. `{ expected }`: the Liquid template giving each row\'s label (the suite is a classification suite); `{ max }`: the most distinct labels auto-detection accepts (default 10); `true` / `false`: always / never a classification suite.',
      properties: { expected: { type: 'string' }, max: { type: 'integer', minimum: 2 } },
      additionalProperties: false,
    },
    batch: { type: 'boolean', description: "Send this suite's candidate calls as provider batches (50% price), as `batch: true` on its variants' models." },
    canary: { type: 'boolean', description: 'Plant a canary token in the system prompt and fail any output that contains it.' },
    redact: { enum: [...REDACT_MODES], description: 'Mask personal data (e-mails, phones, cards, IBANs, SSNs, IPs) in every written artifact: results.jsonl outputs, vars and reasons, JUnit, HTML, Markdown, terminal. The cache keeps raw responses.' },
    nonInferiority: {
      type: 'object',
      properties: { margin: { type: 'number', minimum: 0, maximum: 1 }, incumbent: { type: 'string' } },
      additionalProperties: false,
    },
    agent: {
      type: 'object',
      description: 'Run the agent loop: model → tool calls → tool results (from the row\'s `toolResults` or the `tools` module) → model, at most `maxSteps` model calls per turn.',
      properties: { maxSteps: { type: 'integer', minimum: 1, maximum: 100 } },
      required: ['maxSteps'],
      additionalProperties: false,
    },
    tools: {
      type: 'object',
      description: 'Tool results for the agent loop from your code: `module` default-exports `async (call, ctx) => result`.',
      properties: { module: { type: 'string' } },
      required: ['module'],
      additionalProperties: false,
    },
  },
  required: ['dataset'],
  additionalProperties: false,
};

export const configSchema: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'llm-eval.yaml',
  type: 'object',
  properties: {
    models: { type: 'object', additionalProperties: modelSchema, minProperties: 1 },
    suites: { type: 'object', additionalProperties: suiteSchema, minProperties: 1 },
    defaults: {
      type: 'object',
      properties: {
        concurrency: { type: 'integer', minimum: 1, maximum: MAX_CONCURRENCY },
        timeoutMs: { type: 'integer', minimum: 1 },
        retries: { type: 'integer', minimum: 0, maximum: 20 },
        cache: { enum: ['on', 'off', 'replay', 'refresh'] },
        batchRetry: { enum: ['interactive', 'batch', 'none'], description: 'Batch mode: a request a batch failed or expired is retried interactively (default), in a follow-up batch, or recorded as an error.' },
        batchPollMs: { type: 'integer', minimum: 1, description: 'Batch mode: time between status reads (default 30000).' },
        batchMaxRequests: { type: 'integer', minimum: 1, description: "Batch mode: requests per batch, below the provider's limit." },
        batchMaxBytes: { type: 'integer', minimum: 1, description: "Batch mode: bytes per batch, below the provider's limit." },
      },
      additionalProperties: false,
    },
    paths: {
      type: 'object',
      description: 'Where things live, relative to llm-eval.yaml.',
      properties: {
        prompts: { type: 'string' },
        reports: { type: 'string' },
        cache: { type: 'string' },
      },
      additionalProperties: false,
    },
  },
  required: ['models', 'suites'],
  additionalProperties: false,
};
