import type { ProviderFactory, ResolvedModel, ProviderContext } from '../types.js';
import { keyVarOf, requireApiKey, resolveBaseURL } from './env.js';
import { createOpenAIChatProvider } from './openaiChat.js';
import { redactUrl } from '../util/redactUrl.js';

/**
 * `provider: openai`: Chat Completions at api.openai.com (or OPENAI_BASE_URL / `baseURL:`),
 * key from OPENAI_API_KEY or `apiKeyEnv`. A missing key fails here, before any request.
 */

const KEY_VAR = 'OPENAI_API_KEY';
const BASE_URL_VAR = 'OPENAI_BASE_URL';
const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

function baseURLOf(model: ResolvedModel, ctx: ProviderContext): string {
  return resolveBaseURL(model, ctx.env, BASE_URL_VAR, DEFAULT_BASE_URL);
}

const openai: ProviderFactory = {
  name: 'openai',
  validate(model) {
    return model.model ? [] : [{ field: 'model', message: 'an openai model needs `model:` (e.g. gpt-4o-mini)' }];
  },
  identity(model, ctx) {
    return { provider: 'openai', model: model.model, baseURL: redactUrl(baseURLOf(model, ctx)) };
  },
  create(model, ctx) {
    const apiKey = requireApiKey(model, ctx.env, KEY_VAR);
    const baseURL = baseURLOf(model, ctx);
    return createOpenAIChatProvider({
      vendor: 'openai',
      model,
      apiKey,
      keyVar: keyVarOf(model, KEY_VAR),
      baseURL,
      // OpenAI rate-limits per model: a 429 on one model should not slow another.
      endpoint: `${redactUrl(baseURL)}#${model.model}`,
      identity: { provider: 'openai', model: model.model, baseURL: redactUrl(baseURL) },
      env: ctx.env,
    });
  },
};

export default openai;
