/**
 * promptfoo providers → llm-eval models. The common ids map one to one (`openai:gpt-4o-mini`,
 * `openai:chat:gpt-4o`, `anthropic:messages:claude-…`, `ollama:chat:llama3`, `echo`); anything
 * else (HTTP, Python, Bedrock, …) is listed as not mapped.
 */

export interface MappedModel {
  /** The llm-eval model name (a key under `models:`). */
  name: string;
  config: Record<string, unknown>;
  notes: string[];
}

export type ProviderMapping = { kind: 'model'; model: MappedModel } | { kind: 'unmapped'; id: string; reason: string };

/** promptfoo `config` keys that are request parameters, and their llm-eval names. */
const PARAM_KEYS: Record<string, string> = {
  temperature: 'temperature',
  max_tokens: 'max_tokens',
  maxTokens: 'max_tokens',
  top_p: 'top_p',
  topP: 'top_p',
  seed: 'seed',
  stop: 'stop',
  presence_penalty: 'presence_penalty',
  frequency_penalty: 'frequency_penalty',
};

/** A model name from a provider id: lower case, only [a-z0-9-]. */
export function modelNameOf(id: string): string {
  const name = id.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return name || 'model';
}

function paramsOf(config: Record<string, unknown>, notes: string[]): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    const mapped = PARAM_KEYS[key];
    if (mapped) params[mapped] = value;
    else if (!['apiBaseUrl', 'apiHost', 'apiKeyEnvar', 'apiKey'].includes(key)) notes.push(`config.${key} not carried over`);
  }
  return params;
}

/**
 * Maps one entry of promptfoo's `providers:` (a string id, `{ id, label?, config? }`, or the
 * one-key map form `{ "openai:gpt-4o": { config } }`).
 */
export function mapProvider(entry: unknown): ProviderMapping {
  let id: string;
  let label: string | undefined;
  let config: Record<string, unknown> = {};
  if (typeof entry === 'string') id = entry;
  else if (entry !== null && typeof entry === 'object' && typeof (entry as { id?: unknown }).id === 'string') {
    const e = entry as { id: string; label?: unknown; config?: unknown };
    id = e.id;
    if (typeof e.label === 'string') label = e.label;
    if (e.config !== null && typeof e.config === 'object') config = e.config as Record<string, unknown>;
  } else if (entry !== null && typeof entry === 'object' && Object.keys(entry).length === 1) {
    const [key, value] = Object.entries(entry as Record<string, unknown>)[0]!;
    const v = (value ?? {}) as { label?: unknown; config?: unknown };
    id = key;
    if (typeof v.label === 'string') label = v.label;
    if (v.config !== null && typeof v.config === 'object') config = v.config as Record<string, unknown>;
  } else {
    return { kind: 'unmapped', id: JSON.stringify(entry) ?? String(entry), reason: 'not a provider id or { id, config }' };
  }
  if (id.startsWith('file://')) return { kind: 'unmapped', id, reason: 'a provider defined in a file: write it as a `script` model (models.NAME.provider: script)' };

  const notes: string[] = [];
  const parts = id.split(':');
  const vendor = parts[0] ?? '';
  const name = label ? modelNameOf(label) : undefined;
  const params = paramsOf(config, notes);
  const withParams = (c: Record<string, unknown>): Record<string, unknown> => (Object.keys(params).length ? { ...c, params } : c);
  const baseURL = typeof config['apiBaseUrl'] === 'string' ? config['apiBaseUrl'] : typeof config['apiHost'] === 'string' ? `https://${config['apiHost']}/v1` : undefined;
  const apiKeyEnv = typeof config['apiKeyEnvar'] === 'string' ? config['apiKeyEnvar'] : undefined;
  if (config['apiKey'] !== undefined) notes.push('config.apiKey not copied: keys belong in environment variables (apiKeyEnv)');

  /** A vendor-hosted model, with the config's endpoint and key variable when it names them. */
  const hosted = (provider: string, model: string): ProviderMapping => {
    const c: Record<string, unknown> = { provider, model };
    if (baseURL) c['baseURL'] = baseURL;
    if (apiKeyEnv) c['apiKeyEnv'] = apiKeyEnv;
    return { kind: 'model', model: { name: name ?? modelNameOf(model), config: withParams(c), notes } };
  };
  if (id === 'echo') return { kind: 'model', model: { name: name ?? 'echo', config: { provider: 'echo' }, notes } };
  if (vendor === 'openai' || vendor === 'azureopenai') {
    if (vendor === 'azureopenai') return { kind: 'unmapped', id, reason: 'Azure OpenAI: use provider openai-compatible with your deployment\'s baseURL' };
    const kind = parts.length >= 3 ? parts[1] : 'chat';
    const model = parts.length >= 3 ? parts.slice(2).join(':') : parts.slice(1).join(':');
    if (kind !== 'chat' && kind !== 'responses') return { kind: 'unmapped', id, reason: `OpenAI ${kind} endpoint: llm-eval calls Chat Completions only` };
    if (!model) return { kind: 'unmapped', id, reason: 'no model named' };
    if (kind === 'responses') notes.push('the Responses API endpoint became Chat Completions');
    return hosted('openai', model);
  }
  if (vendor === 'anthropic') {
    const model = parts.length >= 3 ? parts.slice(2).join(':') : parts.slice(1).join(':');
    if (!model) return { kind: 'unmapped', id, reason: 'no model named' };
    return hosted('anthropic', model);
  }
  if (vendor === 'ollama') {
    const model = parts.length >= 3 ? parts.slice(2).join(':') : parts.slice(1).join(':');
    if (!model) return { kind: 'unmapped', id, reason: 'no model named' };
    // Ollama serves an OpenAI-compatible API under /v1; local models cost nothing.
    const c: Record<string, unknown> = { provider: 'openai-compatible', model, baseURL: baseURL ?? 'http://127.0.0.1:11434/v1', apiKeyEnv: apiKeyEnv ?? 'OLLAMA_API_KEY', price: { input: 0, output: 0 } };
    notes.push('Ollama through its OpenAI-compatible API; set OLLAMA_API_KEY to any value');
    return { kind: 'model', model: { name: name ?? modelNameOf(model), config: withParams(c), notes } };
  }
  return { kind: 'unmapped', id, reason: `provider "${vendor}" has no llm-eval equivalent (providers: openai, anthropic, openai-compatible, script, echo)` };
}
