import type { ModelProvider, ModelRequest, ModelResponse, ProviderFactory } from '../types.js';

/** Offline provider: answers with the rendered text of the last user message. For smoke tests. */
export function lastUserText(req: ModelRequest): string {
  for (let i = req.messages.length - 1; i >= 0; i--) {
    const m = req.messages[i]!;
    if (m.role === 'user') return m.content;
  }
  return '';
}

const echo: ProviderFactory = {
  name: 'echo',
  create(model): ModelProvider {
    return {
      id: `echo${model.model ? ':' + model.model : ''}`,
      identity: { provider: 'echo' },
      endpoint: 'echo',
      cacheable: false,
      async generate(req): Promise<ModelResponse> {
        const started = performance.now();
        const text = lastUserText(req);
        return { text, latencyMs: performance.now() - started, cached: false, costUsd: 0 };
      },
    };
  },
};

export default echo;
