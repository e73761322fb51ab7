import type { ProviderFactory } from '../types.js';
import { ProviderError } from '../errors.js';
import { requireApiKey } from './env.js';
import { createOpenAIChatProvider } from './openaiChat.js';
import { redactUrl, registerUrlSecrets } from '../util/redactUrl.js';

/**
 * `provider: openai-compatible`: any server speaking Chat Completions (Azure, vLLM, Ollama,
 * LiteLLM, OpenRouter). `baseURL:` is required. The key comes only from `apiKeyEnv`: never
 * OPENAI_API_KEY, which must not leak to a third-party URL. Without `apiKeyEnv` the server
 * is taken to need no key (the SDK still wants a string, so a placeholder is sent).
 */

const NO_KEY = 'no-key';

/** The configured base URL without trailing slashes; its credentials registered as secrets. */
function trimmed(url: string): string {
  registerUrlSecrets(url);
  return url.replace(/\/+$/, '');
}

const openaiCompatible: ProviderFactory = {
  name: 'openai-compatible',
  validate(model) {
    const issues: Array<{ field?: string; message: string }> = [];
    if (!model.baseURL) issues.push({ field: 'baseURL', message: 'an openai-compatible model needs `baseURL:` (e.g. http://127.0.0.1:11434/v1)' });
    if (!model.model) issues.push({ field: 'model', message: 'an openai-compatible model needs `model:` (the id the server knows)' });
    return issues;
  },
  identity(model) {
    return { provider: 'openai-compatible', model: model.model, baseURL: model.baseURL ? redactUrl(trimmed(model.baseURL)) : undefined };
  },
  create(model, ctx) {
    if (!model.baseURL) throw new ProviderError('bad-request', `model "${model.name}" (openai-compatible) needs \`baseURL:\``);
    const baseURL = trimmed(model.baseURL);
    const apiKey = model.apiKeyEnv ? requireApiKey(model, ctx.env, model.apiKeyEnv) : NO_KEY;
    return createOpenAIChatProvider({
      vendor: 'openai-compatible',
      model,
      apiKey,
      keyVar: model.apiKeyEnv,
      baseURL,
      // A self-hosted server's capacity is shared by every model it serves.
      endpoint: redactUrl(baseURL),
      identity: { provider: 'openai-compatible', model: model.model, baseURL: redactUrl(baseURL) },
      env: ctx.env,
    });
  },
};

export default openaiCompatible;
