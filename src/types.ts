/**
 * Core types of llm-eval: one definition of each concept, shared by every stage.
 * The data flows config → plan → execute → grade → results → report → gate, and each
 * stage's folder imports its inputs from here rather than from the stage before it.
 */

// ---------------------------------------------------------------- prompts

export type Role = 'system' | 'user' | 'assistant' | 'tool';

export interface ChatMessage {
  role: Role;
  content: string;
  /** An assistant turn's tool calls (the text may then be ""). */
  toolCalls?: ToolCall[];
  /** A `tool` turn answers this call id. */
  toolCallId?: string;
  /** A `tool` turn's tool name (Anthropic needs only the id; kept for transcripts). */
  toolName?: string;
  /** Mark this message as a prompt-cache breakpoint (Anthropic `cache_control`): `true` for 5 minutes, `'1h'` for an hour. */
  cache?: true | '1h';
}

/** A tool the model may call, declared once and sent in each provider's native format. */
export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object. */
  parameters: JsonSchema;
}

/** `auto` (default), `none`, `required` (some tool), or one named tool. */
export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

/** One tool call the model made. */
export interface ToolCall {
  /** The provider's call id (tool results answer it). */
  id: string;
  name: string;
  /** The arguments as the model sent them (a JSON text, possibly invalid). */
  rawArguments: string;
  /** Parsed arguments; absent when `rawArguments` is not valid JSON. */
  arguments?: unknown;
}

/** A JSON Schema object (kept loose on purpose: it is user data handed to ajv or an API). */
export type JsonSchema = Record<string, unknown>;

/** A versioned prompt template as loaded from prompts/<name>/<version>.{yaml,md,txt}. */
export interface PromptTemplate {
  name: string;
  version: string;
  /** `name@version` */
  ref: string;
  /** Absolute path of the template file. */
  file: string;
  /** sha256 of the file's bytes, first 12 hex chars: identifies the exact text in reports. */
  hash: string;
  /** Message templates (Liquid source, not yet rendered). */
  messages: ChatMessage[];
  /** 1-based line in `file` where each message's text starts, so template errors name their line. */
  messageLines?: number[];
  params: Record<string, unknown>;
  responseFormat?: JsonSchema;
  description?: string;
  /** Tools offered to the model (sent as declared: not Liquid-rendered). */
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  /** Absolute path of a shared tools file (`tools: { file }`), read in by the loader. */
  toolsFile?: string;
}

/** A template rendered against one dataset row. */
export interface RenderedPrompt {
  name: string;
  version: string;
  hash: string;
  messages: ChatMessage[];
  responseFormat?: JsonSchema;
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
}

// ---------------------------------------------------------------- datasets

/** One user turn of a multi-turn script row (`turns:`), with checks of that turn's answer. */
export interface ScriptedTurn {
  user: string;
  graders?: GraderConfig[];
}

/** A canned tool result of a row (`toolResults:`): for `tool`, when the call's arguments contain `arguments`. */
export interface RowToolResult {
  tool: string;
  /** Matched as a subset of the call's arguments; absent: any call of the tool. */
  arguments?: Record<string, unknown>;
  result: unknown;
}

/** One golden case as read from a dataset file. */
export interface DatasetRow {
  /** Explicit `id`, else a stable content hash (see datasets/rowId.ts). */
  id: string;
  vars: Record<string, unknown>;
  expected?: unknown;
  tags?: string[];
  /** Human label for judge calibration: 'pass' | 'fail' or a score in 0..1. */
  human?: unknown;
  /** A prior conversation (data, not templates), joined after the template's system message(s). */
  messages?: ChatMessage[];
  /** A multi-turn script: user turns played in order, each answer fed back. */
  turns?: ScriptedTurn[];
  /** Canned tool results for the agent loop, first match wins. */
  toolResults?: RowToolResult[];
  /** Where the row came from, for error messages: file and 1-based line. */
  source: { file: string; line: number };
}

// ---------------------------------------------------------------- config

export type CacheMode = 'on' | 'off' | 'replay' | 'refresh';

/** USD per 1M tokens. */
export interface ModelPrice {
  input: number;
  output: number;
  /** Input tokens read from the prompt cache (OpenAI cached input, Anthropic cache hits). */
  cachedInput?: number;
  /** Input tokens written to the prompt cache with the default 5-minute TTL (Anthropic). */
  cacheWrite?: number;
  /** Input tokens written to the prompt cache with a 1-hour TTL (Anthropic). */
  cacheWrite1h?: number;
}

export interface ResolvedModel {
  /** Name under `models:` in the config. */
  name: string;
  provider: string;
  /** Provider-side model id (optional for echo/script). */
  model?: string;
  baseURL?: string;
  /** Name of the env var holding the key (never the key itself). */
  apiKeyEnv?: string;
  params: Record<string, unknown>;
  price?: ModelPrice;
  /** For the script provider: module path, resolved against the config dir. */
  module?: string;
  /** Stream responses where the API supports it (default true). */
  stream: boolean;
  /** Max calls in flight to this model's endpoint (default: the run's concurrency). */
  concurrency?: number;
  /** Send this model's uncached calls as provider batches (execute/batch/); `run --batch` sets it for all. */
  batch?: boolean;
}

export interface GraderConfig {
  type: string;
  /** Display name; defaults to the type (plus an index when a suite repeats a type). */
  name?: string;
  [option: string]: unknown;
}

export interface RegressionGateConfig {
  alpha: number;
  margin: number;
}

export interface GateConfig {
  minPassRate?: number;
  maxCostUsd?: number;
  regression?: RegressionGateConfig;
  passAllRepeats?: boolean;
  [rule: string]: unknown;
}

export interface ResolvedVariant {
  name: string;
  /** The model's name under `models:`. */
  model: string;
  /** Prompt reference as written (`name` or `name@version`), resolved to a template. */
  prompt: PromptTemplate;
  /** Model params merged: model.params ← prompt.params ← variant.params. */
  params: Record<string, unknown>;
}

export interface ResolvedSuite {
  name: string;
  description?: string;
  /** Absolute path of the dataset file. */
  dataset: string;
  variants: ResolvedVariant[];
  repeat: number;
  graders: GraderConfig[];
  /** Undefined: the default rule (any failing or errored case fails the run). */
  gate?: GateConfig;
  /**
   * Classification metrics: `{ expected }` the Liquid template giving a row's label (forces
   * classification), `{ max }` the most labels auto-detection accepts, `true` / `false` to force it.
   */
  labels?: { expected?: string; max?: number } | boolean;
  /** Extra suite options owned by later features (judge, canary...), validated by them. */
  options: Record<string, unknown>;
}

export interface RunDefaults {
  concurrency: number;
  timeoutMs: number;
  retries: number;
  cache: CacheMode;
  /** Batch mode (execute/batch/): what happens to a request a batch failed or expired. */
  batchRetry?: 'interactive' | 'batch' | 'none';
  /** Between status reads of a submitted batch (ms). */
  batchPollMs?: number;
  /** Per-batch limits below the provider's own (for tests and smaller batches). */
  batchMaxRequests?: number;
  batchMaxBytes?: number;
}

export interface ResolvedConfig {
  /** Absolute path of llm-eval.yaml. */
  file: string;
  /** Folder holding llm-eval.yaml: every relative path resolves against it. */
  dir: string;
  /** sha256 of the config's text, first 12 hex chars. */
  hash: string;
  models: Record<string, ResolvedModel>;
  suites: ResolvedSuite[];
  defaults: RunDefaults;
  /** Absolute path of the reports folder. */
  outDir: string;
  /** Absolute path of the cache folder. */
  cacheDir: string;
  /** Absolute path of the prompts folder. */
  promptsDir: string;
}

// ---------------------------------------------------------------- plan

/** One unit of work: a dataset row under one variant, one repeat. */
export interface EvalCase {
  /** Stable key of this unit: `${suite}/${variant}/${row.id}#${repeat}` (see plan/caseKey.ts). */
  key: string;
  suite: string;
  variant: string;
  row: DatasetRow;
  /** 0-based repeat index. */
  repeat: number;
  /**
   * The case's place in the run's expansion (0-based; counting every row × variant × repeat of
   * the selected suites, finished or not), the same in every pass over it (plan/expand.ts).
   */
  ordinal: number;
}

// ---------------------------------------------------------------- providers

export interface TokenUsage {
  /**
   * Every input token: uncached, read from the prompt cache and written to it (OpenAI's
   * convention; providers normalise to it). `cachedInput` and `cacheWrite` are parts of it.
   */
  input: number;
  /** Every output token, reasoning included. */
  output: number;
  /** Of `input`, tokens read from the prompt cache. */
  cachedInput: number;
  /** Of `input`, tokens written to the prompt cache, all TTLs (Anthropic `cache_creation_input_tokens`). Absent: none. */
  cacheWrite?: number;
  /** Of `cacheWrite`, tokens written with a 1-hour TTL (the rest had the default 5 minutes). Absent: none. */
  cacheWrite1h?: number;
  /** Of `output`, tokens spent on reasoning (OpenAI reasoning tokens, Anthropic thinking): priced as output, once. Absent: not reported. */
  reasoning?: number;
}

export interface ModelRequest {
  /** The provider-side model id. */
  model?: string;
  messages: ChatMessage[];
  params: Record<string, unknown>;
  responseFormat?: JsonSchema;
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
}

export interface ModelResponse {
  text: string;
  /** Tool calls the model made, in order (absent when none). */
  toolCalls?: ToolCall[];
  usage?: TokenUsage;
  latencyMs: number;
  /** Time to first token, when streamed. */
  ttftMs?: number;
  cached: boolean;
  /** A provider that knows its own cost (script) may report it; otherwise cost/ prices usage. */
  costUsd?: number | null;
  /** Provider-specific extras worth keeping (finish reason, response id). */
  meta?: Record<string, unknown>;
  /** An embeddings call's vector (its `text` is ""). */
  embedding?: number[];
}

/** An embeddings call's answer: one vector per input text, in order. */
export interface EmbeddingResponse {
  vectors: number[][];
  usage?: TokenUsage;
  latencyMs: number;
}

export interface GenerateOptions {
  signal?: AbortSignal;
  timeoutMs: number;
  /** The dataset row's vars, for script providers (not part of the request or its cache key). */
  vars?: Record<string, unknown>;
}

/** A configured model endpoint. Implementations: providers/<name>.ts. */
export interface ModelProvider {
  /** `provider:model` for messages and reports. */
  readonly id: string;
  /**
   * The parts of this endpoint that make a response what it is (provider, model, base URL):
   * combined with the request into the cache key. Never includes a secret.
   */
  readonly identity: Record<string, unknown>;
  /** Calls in flight are grouped per endpoint for rate limiting. */
  readonly endpoint: string;
  /** False for local providers (echo, script): their answers are not cached. Default true. */
  readonly cacheable?: boolean;
  generate(req: ModelRequest, opts: GenerateOptions): Promise<ModelResponse>;
  /** Embeddings of `texts` (openai, openai-compatible); absent on providers that have none. */
  embed?(texts: string[], opts: GenerateOptions): Promise<EmbeddingResponse>;
  /** The provider's batch API (submit now, collect later at the batch price); absent when it has none. */
  batch?: ProviderBatchApi;
}

/** One request's line in a provider batch, as the executor tracks it. */
export interface BatchOutcome {
  customId: string;
  /** The reply body of a request that succeeded (what an interactive call would have returned). */
  body?: unknown;
  /** Why it did not (errored, expired, canceled). */
  error?: { kind: 'expired' | 'failed'; message: string };
}

export interface BatchProgress {
  ended: boolean;
  total: number;
  succeeded: number;
  failed: number;
}

/** What a submitted batch is tagged with: the run and the submission intent it answers. */
export interface BatchTag {
  run: string;
  intent: string;
}

/** How a batch body is built from its entries: `head`, the entries with `separator` between them, `tail`. */
export interface BatchFraming {
  head: string;
  separator: string;
  tail: string;
  /** The body's media type. */
  type: string;
}

/** A provider's batch endpoints through its official SDK (providers/batch/). */
export interface ProviderBatchApi {
  /** The provider's price table key for the batch discount. */
  readonly vendor: 'openai' | 'anthropic';
  /** The provider's per-batch limits. */
  readonly limits: { maxRequests: number; maxBytes: number };
  /** One request as its batch entry (JSON-serialisable, carrying `custom_id`). */
  entry(customId: string, req: ModelRequest): Record<string, unknown>;
  /** How entries are joined into the body `submit` sends (OpenAI: JSON lines; Anthropic: `{"requests":[…]}`). */
  readonly framing: BatchFraming;
  /**
   * Creates one batch from `body` (the entries as `framing` joins them: a file on disk, sent as it
   * is read, never whole in memory); returns its id. `tag` names the run and the submission
   * intent (state.ts) where the provider keeps metadata; `uploaded` hears of an input file before
   * the batch is created (OpenAI).
   */
  submit(body: Blob, tag: BatchTag, uploaded?: (inputFileId: string) => Promise<void>): Promise<string>;
  /** Ids of the provider's batches that may be the one an intent created (resolving a kill between create and record). */
  find(intent: BatchTag & { createdAt: string; requests: number }): Promise<string[]>;
  status(batchId: string): Promise<BatchProgress>;
  /** Every request's outcome of an ended batch. */
  results(batchId: string): AsyncIterable<BatchOutcome>;
  /** A succeeded request's reply body as the answer an interactive call gives. */
  parse(req: ModelRequest, body: unknown): ModelResponse;
}

export interface ProviderContext {
  /** Folder of llm-eval.yaml, for resolving module paths. */
  configDir: string;
  env: NodeJS.ProcessEnv;
}

export interface ProviderFactory {
  name: string;
  /** Extra config validation (e.g. `module` required for script). Returns messages keyed by field. */
  validate?(model: ResolvedModel): Array<{ field?: string; message: string }>;
  create(model: ResolvedModel, ctx: ProviderContext): Promise<ModelProvider> | ModelProvider;
  /**
   * The provider's `identity` computed from config alone (no key, no SDK): lets the cache
   * answer (e.g. `--cache replay`) without creating the provider. Must equal the created
   * provider's `identity`.
   */
  identity?(model: ResolvedModel, ctx: ProviderContext): Record<string, unknown>;
}

/**
 * Calls a configured model by name through the whole call pipeline (cache, retry, rate limit,
 * budget, cost). The runner uses it for candidates; judges use it for their own calls.
 */
export interface ModelCaller {
  call(modelName: string, req: Omit<ModelRequest, 'model'>, opts?: CallOptions): Promise<CallResult>;
  /**
   * Embeds each text with an embeddings model, through the same pipeline as `call`: each text
   * is one cached entry (the same text is embedded once), priced and budgeted like a call.
   */
  embed?(modelName: string, texts: string[], opts?: CallOptions): Promise<EmbedResult[]>;
}

/** One text's embedding, with what it cost (0 and `cached` when the cache answered). */
export interface EmbedResult {
  embedding: number[];
  usage?: TokenUsage;
  costUsd: number | null;
  cached: boolean;
  attempts: number;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Spend is tracked apart for candidates and judges. Default 'candidate'. */
  purpose?: 'candidate' | 'judge';
  /** The dataset row's vars, handed to script providers (not part of the request or its cache key). */
  vars?: Record<string, unknown>;
  /**
   * Which sample of a repeated request this is (the case's repeat index): samples are cached
   * apart so `repeat: 3` records three answers, not one answer three times. Default 0.
   */
  sample?: number;
}

export interface CallResult extends ModelResponse {
  /** null when the model has no known price. */
  costUsd: number | null;
  /** Number of attempts made (1 = no retry). */
  attempts: number;
}

// ---------------------------------------------------------------- graders

export interface Grade {
  pass: boolean;
  /** 0..1 */
  score: number;
  reason: string;
  /** Spend on grading calls (judge), reported apart from the candidate's. */
  costUsd?: number | null;
  tokens?: TokenUsage;
  /** Grader-specific details (e.g. PII kinds found), kept in the case line. */
  details?: Record<string, unknown>;
}

export interface GradeContext {
  output: string;
  /** The model's tool calls (absent when it made none). */
  toolCalls?: ToolCall[];
  row: DatasetRow;
  /** `vars`, `expected` and `row` for rendering a grader's Liquid `value`. */
  scope: Record<string, unknown>;
  prompt: RenderedPrompt;
  suite: string;
  variant: string;
  /**
   * The model that produced the output, as its case record names it (`provider:model-id`, e.g.
   * `openai:gpt-4o-mini`; see providers/label.ts): the same in a run, a rescore (read back from
   * results.jsonl) and a dry run, and still meaningful when the config no longer has the model.
   * Empty where there is no candidate model (calibration on human-labelled outputs).
   */
  model: string;
  costUsd: number | null;
  /** null when unknown (a stored case re-graded without its timing). */
  latencyMs: number | null;
  tokens?: TokenUsage;
  signal?: AbortSignal;
  /** The whole conversation of the case (prompt, prior turns, answers, tool calls and results). */
  transcript?: ChatMessage[];
  /** The tool calls the model made in this case, in order, and its model calls (steps). */
  trajectory?: { toolCalls: ToolCall[]; steps: number };
}

export interface Grader {
  /** Display name in reports (`exact`, `judge:politeness`, ...). */
  name: string;
  grade(ctx: GradeContext): Promise<Grade> | Grade;
}

/** What a grader may use beyond its options: templates, files, other models. */
export interface GraderEnv {
  configDir: string;
  /** Renders a Liquid template (compiled once, cached) against a scope. */
  render(template: string, scope: Record<string, unknown>): string;
  /** Calls a configured model (for judges). */
  models: ModelCaller;
  /** Config of the configured models, for judge bias warnings. */
  modelConfigs: Record<string, ResolvedModel>;
  warn(message: string): void;
  /** Absolute path of the prompts folder, for judges whose rubric is a prompt (default: configDir/prompts). */
  promptsDir?: string;
}

/** A problem with a grader's options, keyed by the option concerned. */
export interface GraderOptionProblem {
  field?: string;
  message: string;
}

/**
 * A grader type: its options schema, what it records, when it runs, and how it is built. Define
 * one with `defineGrader` (graders/define.ts), which derives `Options` from `optionsSchema`, so
 * the schema is the one source of both validation and the TypeScript type. The registry holds
 * them with their options erased to `GraderConfig`; options reach `validate` and `create` only
 * after they matched the schema.
 */
export interface GraderFactory<Options = GraderConfig> {
  type: string;
  /** One-line description for docs and `init`. */
  description: string;
  /** JSON Schema of the grader's options (without `type`/`name`); also shipped in the config schema. */
  optionsSchema: JsonSchema;
  /**
   * `case` (default): grades each output as its case finishes. `run`: compares outputs across
   * variants once the cases have run (pairwise): the runner never creates it per case, it runs
   * it over results.jsonl.
   */
  scope?: 'case' | 'run';
  /** What each of its grades records, name → meaning (default: `pass` and `score`). */
  metrics?: Readonly<Record<string, string>>;
  /**
   * Why this grader, so configured, compares each output with the row's `expected` (so a row
   * without one is reported at its line before any call); undefined when it does not.
   */
  needsExpected?(options: Options, configDir: string): string | undefined;
  /** A suite option that, set to `true`, adds this grader to the suite (`canary: true`). */
  suiteOption?: string;
  /** Checks beyond the schema; returns messages keyed by option. */
  validate?(options: Options, ctx: { configDir: string; models: Record<string, ResolvedModel> }): GraderOptionProblem[];
  /** Checks that need the suite (its variant names); for a run-scope grader. */
  suiteProblems?(options: Options, suite: { variants: string[] }): GraderOptionProblem[];
  create(options: Options, env: GraderEnv): Grader | Promise<Grader>;
}

// ---------------------------------------------------------------- results

/** A tool result fed back to the model in an agent loop. */
export interface ToolResultRecord {
  callId: string;
  name: string;
  content: string;
  /** Set when neither the row nor the tools module had a result (the model got an error text). */
  missing?: boolean;
}

/** One model call of a conversation: an agent step, or a turn's only call. */
export interface StepRecord {
  output: string;
  toolCalls?: ToolCall[];
  toolResults?: ToolResultRecord[];
  tokens: TokenUsage | null;
  costUsd: number | null;
  latencyMs: number;
  cached: boolean;
}

/** One played turn of a multi-turn script. */
export interface TurnRecord {
  user: string;
  output: string;
  /** Every tool call of the turn (over its agent steps). */
  toolCalls?: ToolCall[];
  /** Model calls the turn took (1 without the agent loop). */
  steps: number;
  tokens: TokenUsage | null;
  costUsd: number | null;
  latencyMs: number;
  grades: GradeRecord[];
  pass: boolean;
}

export interface GradeRecord {
  grader: string;
  pass: boolean;
  score: number;
  reason: string;
  costUsd?: number | null;
  details?: Record<string, unknown>;
}

export interface CaseError {
  /** 'provider' | 'grader' | 'render' | 'timeout' | 'budget' ... */
  kind: string;
  message: string;
  /** For a grader error caused by a failed model call (a judge's): that call's ProviderError kind. */
  provider?: string;
  /** The provider's id for the failed request (OpenAI `x-request-id`, Anthropic `request-id`), to quote to its support. */
  requestId?: string;
}

/** Errored cases of one variant that share a message (results/errorDigest.ts). */
export interface ErrorGroup {
  kind: string;
  message: string;
  cases: number;
  /** The provider's request id of the group's first case that has one, to quote to its support. */
  requestId?: string;
}

/** One line of results.jsonl: the single source of truth for a finished case. */
export interface CaseRecord {
  suite: string;
  variant: string;
  caseId: string;
  repeat: number;
  vars: Record<string, unknown>;
  expected?: unknown;
  tags?: string[];
  prompt: { name: string; version: string; hash: string };
  model: string;
  output: string | null;
  /** The model's tool calls, in order (absent when it made none). */
  toolCalls?: ToolCall[];
  pass: boolean;
  score: number;
  grades: GradeRecord[];
  tokens: TokenUsage | null;
  costUsd: number | null;
  /** Spend on judge calls for this case. */
  judgeCostUsd?: number | null;
  latencyMs: number | null;
  ttftMs?: number | null;
  cached: boolean;
  error: CaseError | null;
  /** Model calls of the agent loop (suite `agent:`); tokens, cost and latency above are their sums. */
  steps?: StepRecord[];
  /** Turns of a multi-turn script row; tokens, cost and latency above are their sums. */
  turns?: TurnRecord[];
  /** The whole conversation of a conversation case (row messages, turns or agent loop). */
  transcript?: ChatMessage[];
}

export interface LatencySummary {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface ConfusionMatrix {
  labels: string[];
  /** matrix[i][j] = count of expected labels[i] predicted as labels[j]. */
  matrix: number[][];
}

export interface ClassificationMetrics {
  accuracy: number;
  perLabel: Record<string, { precision: number; recall: number; f1: number; support: number }>;
  macroF1: number;
  confusion: ConfusionMatrix;
}

/**
 * What must match for two runs of a suite × variant to be compared case by case. Each field is
 * a short hash or id, null when the run did not record it (then it is not compared).
 * Measurement fields (dataset, graders, judgeModels) changing makes a diff suspect; treatment
 * fields (prompt, model, params) changing is usually the point of the comparison.
 */
export interface VariantFingerprint {
  /** Hash of the case ids and contents (vars, expected) the variant ran. */
  dataset: string | null;
  /** `name@version#hash` of the prompt template. */
  prompt: string | null;
  /** Hash of the suite's grader configs (display names ignored). */
  graders: string | null;
  /** Judge models used by the graders, as `provider:model`, sorted. */
  judgeModels: string[] | null;
  /** `provider:model` of the candidate. */
  model: string | null;
  /** Hash of the merged request params. */
  params: string | null;
}

/** Repeat statistics of one variant (stats/repeats.ts). */
export interface RepeatStats {
  /** Cases summarised. */
  cases: number;
  /** The k of pass@k and pass^k: the smallest repeat count over the cases. */
  k: number;
  /** Mean over cases of the case's pass probability (passes / n). */
  meanPassProbability: number;
  /** Mean over cases of unbiased pass@k: the chance at least one of k tries passes. */
  passAtK: number;
  /** Mean over cases of unbiased pass^k: the chance all k tries pass. */
  passHatK: number;
  /** Cases whose repeats disagree (some pass, some fail). */
  flaky: number;
  alwaysPass: number;
  neverPass: number;
  /** histogram[j] = cases whose pass probability rounds to j/k (0: never passes, k: always). */
  histogram: number[];
  /** Flaky case ids, most uncertain first (pass probability nearest ½), capped. */
  flakyCases: string[];
}

export interface VariantSummary {
  name: string;
  model: string;
  prompt: string;
  promptHash: string;
  /** Finished case records (rows × repeats). */
  cases: number;
  passed: number;
  failed: number;
  errors: number;
  passRate: number;
  /** Wilson 95% interval with the case as the unit (repeats pooled within a case: see passRateInterval). */
  passRateCI95: [number, number];
  /** How passRateCI95 was computed: its unit is the case; `samples` counts cases × repeats. */
  passRateInterval?: { method: 'wilson' | 'wilson-clustered-by-case'; cases: number; samples: number };
  meanScore: number;
  costUsd: number | null;
  judgeCostUsd: number | null;
  /** Set when some judge calls had no known price: judgeCostUsd leaves them out, so the true judge cost is unknown. */
  judgeCostUnknown?: boolean;
  tokens: TokenUsage;
  latencyMs: LatencySummary;
  /** Time to first token over the streamed, uncached answers; absent when none was streamed. */
  ttftMs?: { p50: number | null; p95: number | null };
  cachedCases: number;
  /** Tool calls the model made: in all, cases with at least one, and per tool name (absent when none). */
  toolCalls?: { calls: number; cases: number; byTool: Record<string, number> };
  /** When cases errored: the most frequent distinct error messages, with how many cases each hit. */
  errorMessages?: ErrorGroup[];
  /** How many distinct error messages there were in all (more than `errorMessages` lists). */
  distinctErrors?: number;
  classification?: ClassificationMetrics;
  /** What makes this variant's results comparable with another run's (results/fingerprint.ts). */
  fingerprint?: VariantFingerprint;
  /** Per-case pass probability, pass@k, pass^k and flaky cases over repeats (stats/repeats.ts). */
  repeats?: RepeatStats;
  /** Model calls per conversation case (agent steps, scripted turns), when the variant had any. */
  steps?: StepsSummary;
}

/** Model calls per case of a variant's conversation cases (agent loop, multi-turn scripts). */
export interface StepsSummary {
  /** Conversation cases counted. */
  cases: number;
  /** Model calls over those cases. */
  total: number;
  mean: number;
  max: number;
}

/** What report.json shows for one pairwise grader and one pair of variants (report.suites[i].pairwise). */
export interface PairwiseSummary {
  /** The grader's display name. */
  grader: string;
  /** The judge model's name under `models:`. */
  judge: string;
  /** The rubric's id with its content hash. */
  rubric: string;
  a: string;
  b: string;
  /** Cases (row × repeat) judged in both orders. */
  cases: number;
  /** A better in both orders. */
  wins: number;
  /** Both orders called it a tie, or they disagreed. */
  ties: number;
  /** B better in both orders. */
  losses: number;
  winRate: number;
  tieRate: number;
  lossRate: number;
  /** Cases whose two orders gave different verdicts (counted as ties): position bias, or noise. */
  orderDisagreement: number;
  orderDisagreementRate: number;
  /**
   * Of the decisive single-order verdicts, how many picked the response shown first: near half
   * is unbiased; far from it, the judge prefers a position.
   */
  firstShownPicked: number;
  decisiveVerdicts: number;
  /** Cases where one of the two variants has no output (it errored): not judged. */
  missing: number;
  /** Cases the judge could not decide (no valid verdict, failed call): not counted in the rates. */
  errors: number;
  costUsd: number | null;
  /** Set when some judge calls had no known price: costUsd leaves them out, so the true cost is unknown. */
  costUnknown?: boolean;
  /** Case keys (`caseId#repeat`) where the orders disagreed, first ones only. */
  disagreementCases: string[];
  /** The first judge errors, to say what went wrong. */
  errorSamples: Array<{ caseId: string; repeat: number; message: string }>;
  /** Set when the pair could not be compared at all (e.g. a variant not in this run). */
  skipped?: string;
}

export interface SuiteSummary {
  name: string;
  variants: VariantSummary[];
  /** Pairwise judge results over the suite's variants (graders/judge/pairwise). */
  pairwise?: PairwiseSummary[];
}

export interface GateFailure {
  suite?: string;
  variant?: string;
  rule: string;
  message: string;
  /** Case ids to look at first. */
  cases?: string[];
}

export interface GateVerdict {
  passed: boolean;
  failures: GateFailure[];
}

/** A case whose outcome moved between a baseline (or run A) and this run (or run B). */
export interface CaseChange {
  suite: string;
  variant: string;
  caseId: string;
  change: 'newly-failing' | 'newly-passing' | 'added' | 'removed';
  /** Passes out of repeats, before and after (absent for added/removed). */
  before?: { passes: number; n: number };
  after?: { passes: number; n: number };
}

/** Run vs baseline (or run vs run), per suite × variant; filled by comparison/compare.ts. */
export interface ComparisonReport {
  /** What this run was compared against: a baseline file or a run id. */
  against: string;
  variants: Array<{
    suite: string;
    variant: string;
    pairedCases: number;
    passRateBefore: number;
    passRateAfter: number;
    /** after − before, with its 95% interval. */
    diff: number;
    diffCI95: [number, number];
    pValue: number | null;
    significant: boolean;
    /** Spend of the paired cases before and after (USD; null when unpriced). */
    cost?: { before: number | null; after: number | null; ratio: number | null };
    /** This run's side of the pair: `n` samples over the paired cases. */
    after?: { n: number };
  }>;
  /** Newly failing first, then newly passing, added, removed. */
  changes: CaseChange[];
  /** Fingerprint differences that make the comparison suspect (changed dataset, graders...). */
  warnings: string[];
}

export type RunStatus = 'completed' | 'interrupted' | 'budget-exceeded' | 'provider-down' | 'batch-pending';

/** report.json */
export interface RunReport {
  schemaVersion: 1;
  runId: string;
  createdAt: string;
  finishedAt?: string;
  status: RunStatus;
  config: { hash: string; file: string };
  gate: GateVerdict;
  suites: SuiteSummary[];
  totals: { cases: number; passed: number; costUsd: number | null; judgeCostUsd: number | null; tokens: TokenUsage };
  warnings: string[];
  /** Present when the run was compared against a baseline. */
  comparison?: ComparisonReport;
}
