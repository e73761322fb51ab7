import path from 'node:path';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { ChatMessage, ModelProvider, ModelResponse, ProviderFactory, TokenUsage, ToolCall, ToolDefinition } from '../types.js';
import { ConfigError, ProviderError } from '../errors.js';
import { lastUserText } from './echo.js';
import { importUserModule } from '../util/importModule.js';

/**
 * A user's own code as a model: `export default async (prompt, ctx) => ({ output, toolCalls?, tokens?, costUsd? })`.
 * `prompt` is the rendered last user message; `ctx` has `messages` (tool turns included), `vars`,
 * `params`, `model`, `responseFormat`, `tools` and `signal`. A plain string return value is taken
 * as the output. `toolCalls: [{ name, arguments, id? }]` answers with tool calls.
 */
export type ScriptProviderFn = (
  prompt: string,
  ctx: {
    messages: ChatMessage[];
    vars: Record<string, unknown>;
    params: Record<string, unknown>;
    model?: string;
    responseFormat?: Record<string, unknown>;
    tools?: ToolDefinition[];
    signal?: AbortSignal;
  },
) => unknown;

interface ScriptResult {
  output: string;
  toolCalls?: ToolCall[];
  tokens?: Partial<TokenUsage>;
  costUsd?: number;
}

/**
 * `[{ name, arguments (object or JSON text), id? }]` → tool calls. Ids default to
 * `call_<turn>_<n>` (`turn`: messages so far), unique within a conversation as a provider's are.
 */
function toolCallsOf(value: unknown, file: string, turn: number): ToolCall[] | undefined {
  if (value === undefined) return undefined;
  const bad = (): ProviderError =>
    new ProviderError('bad-request', `script provider ${file} returned bad toolCalls ${JSON.stringify(value)?.slice(0, 80)}; return [{ name, arguments }]`);
  if (!Array.isArray(value)) throw bad();
  return value.map((c: unknown, i): ToolCall => {
    if (!c || typeof c !== 'object' || typeof (c as { name?: unknown }).name !== 'string') throw bad();
    const { name, id, arguments: args } = c as { name: string; id?: unknown; arguments?: unknown };
    const callId = typeof id === 'string' && id !== '' ? id : `call_${turn}_${i + 1}`;
    if (typeof args !== 'string') return { id: callId, name, rawArguments: JSON.stringify(args ?? {}), arguments: args ?? {} };
    const call: ToolCall = { id: callId, name, rawArguments: args };
    try {
      call.arguments = JSON.parse(args) as unknown;
    } catch {
      // Not valid JSON: kept as raw text, as a provider would.
    }
    return call;
  });
}

function toScriptResult(value: unknown, file: string, turn: number): ScriptResult {
  if (typeof value === 'string') return { output: value };
  if (value && typeof value === 'object' && 'output' in value) {
    const v = value as { output: unknown; toolCalls?: unknown; tokens?: Partial<TokenUsage>; costUsd?: unknown };
    const output = typeof v.output === 'string' ? v.output : JSON.stringify(v.output);
    return { output, toolCalls: toolCallsOf(v.toolCalls, file, turn), tokens: v.tokens, costUsd: typeof v.costUsd === 'number' ? v.costUsd : undefined };
  }
  throw new ProviderError('bad-request', `script provider ${file} returned ${JSON.stringify(value)?.slice(0, 80)}; return a string or { output, toolCalls?, tokens?, costUsd? }`);
}

const script: ProviderFactory = {
  name: 'script',
  validate(model) {
    if (!model.module) return [{ field: 'module', message: 'a script model needs `module: path/to/provider.js` (a module whose default export is `async (prompt, ctx) => ({ output })`)' }];
    return [];
  },
  async create(model, ctx): Promise<ModelProvider> {
    const file = path.resolve(ctx.configDir, model.module ?? '');
    if (!existsSync(file)) throw ConfigError.at(file, 0, `script provider module not found (model "${model.name}"); check \`module:\``);
    const fn = await importUserModule<ScriptProviderFn>(file, `model "${model.name}"`);
    return {
      id: `script:${path.basename(file)}`,
      identity: { provider: 'script', module: pathToFileURL(file).href },
      endpoint: `script:${file}`,
      cacheable: false,
      async generate(req, opts): Promise<ModelResponse> {
        const started = performance.now();
        let value: unknown;
        try {
          value = await fn(lastUserText(req), {
            messages: req.messages,
            vars: opts.vars ?? {},
            params: req.params,
            model: req.model,
            responseFormat: req.responseFormat,
            tools: req.tools,
            signal: opts.signal,
          });
        } catch (err) {
          if (err instanceof ProviderError) throw err;
          throw new ProviderError('bad-request', `script provider ${path.basename(file)} threw: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
        }
        const result = toScriptResult(value, path.basename(file), req.messages.length);
        const usage = result.tokens
          ? { input: result.tokens.input ?? 0, output: result.tokens.output ?? 0, cachedInput: result.tokens.cachedInput ?? 0 }
          : undefined;
        const response: ModelResponse = { text: result.output, usage, latencyMs: performance.now() - started, cached: false, costUsd: result.costUsd };
        if (result.toolCalls?.length) response.toolCalls = result.toolCalls;
        return response;
      },
    };
  },
};

export default script;
