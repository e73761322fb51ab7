import path from 'node:path';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { ChatMessage, ModelProvider, ModelResponse, ProviderFactory, TokenUsage, ToolCall, ToolChoice, ToolDefinition } from '../types.js';
import { toolCallOf } from './toolCall.js';
import { ConfigError, ProviderError } from '../errors.js';
import { lastUserText } from './echo.js';
import { importUserModule } from '../util/importModule.js';

/**
 * A user's own code as a model: `export default async (prompt, ctx) => ({ output, toolCalls?, tokens?, costUsd? })`.
 * `prompt` is the rendered last user message; `ctx` has `messages` (tool turns included), `vars`,
 * `params`, `model`, `responseFormat`, `tools`, `toolChoice` and `signal`. A plain string return
 * value is taken as the output. `toolCalls: [{ name, arguments, id? }]` are the model's tool calls
 * (`arguments` an object, or a string sent as is, like a model's possibly invalid JSON); `output`
 * may then be "".
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
    toolChoice?: ToolChoice;
    signal?: AbortSignal;
  },
) => unknown;

interface ScriptResult {
  output: string;
  toolCalls?: ToolCall[];
  tokens?: Partial<TokenUsage>;
  costUsd?: number;
}

function toScriptResult(value: unknown, file: string, turn: number): ScriptResult {
  if (typeof value === 'string') return { output: value };
  if (value && typeof value === 'object' && ('output' in value || 'toolCalls' in value)) {
    const v = value as { output?: unknown; toolCalls?: unknown; tokens?: Partial<TokenUsage>; costUsd?: unknown };
    const output = v.output === undefined ? '' : typeof v.output === 'string' ? v.output : JSON.stringify(v.output);
    const result: ScriptResult = { output, tokens: v.tokens, costUsd: typeof v.costUsd === 'number' ? v.costUsd : undefined };
    if (v.toolCalls !== undefined) result.toolCalls = scriptCalls(v.toolCalls, file, turn);
    return result;
  }
  throw new ProviderError('bad-request', `script provider ${file} returned ${JSON.stringify(value)?.slice(0, 80)}; return a string or { output, toolCalls?, tokens?, costUsd? }`);
}

/**
 * A script's `toolCalls` as calls; ids it leaves out become `call_<turn>_<n>` (`turn`: messages
 * so far), unique within a conversation as a provider's are.
 */
function scriptCalls(value: unknown, file: string, turn: number): ToolCall[] {
  if (!Array.isArray(value)) throw new ProviderError('bad-request', `script provider ${file} returned toolCalls that is not a list; return [{ name, arguments }]`);
  return value.map((c: unknown, i) => {
    const call = c as { name?: unknown; arguments?: unknown; id?: unknown } | null;
    if (!call || typeof call !== 'object' || typeof call.name !== 'string') {
      throw new ProviderError('bad-request', `script provider ${file} returned toolCalls[${i}] without a "name"; return [{ name, arguments }]`);
    }
    const raw = typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {});
    return toolCallOf(typeof call.id === 'string' && call.id !== '' ? call.id : `call_${turn}_${i + 1}`, call.name, raw);
  });
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
            toolChoice: req.toolChoice,
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
        if (result.toolCalls && result.toolCalls.length > 0) response.toolCalls = result.toolCalls;
        return response;
      },
    };
  },
};

export default script;
