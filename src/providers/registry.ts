import type { ProviderFactory } from '../types.js';

/**
 * Provider names → lazily imported factories, so an SDK is loaded only when a model uses it
 * (start-up stays fast). Each module default-exports its ProviderFactory.
 */
const loaders: Record<string, () => Promise<{ default: ProviderFactory }>> = {
  echo: () => import('./echo.js'),
  script: () => import('./script.js'),
  openai: () => import('./openai.js'),
  anthropic: () => import('./anthropic.js'),
  'openai-compatible': () => import('./openaiCompatible.js'),
};

export function providerNames(): string[] {
  return Object.keys(loaders).sort();
}

export async function loadProviderFactory(name: string): Promise<ProviderFactory | undefined> {
  const load = loaders[name];
  return load ? (await load()).default : undefined;
}
