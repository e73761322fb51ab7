import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'dotenv';
import type { ResolvedModel } from '../types.js';
import { ProviderError } from '../errors.js';
import { registerSecret } from '../util/secrets.js';
import { registerUrlSecrets } from '../util/redactUrl.js';

/**
 * Where a provider's key and base URL come from: the model's `apiKeyEnv` / `baseURL`, else the
 * SDK's standard variable, else the vendor default. A `.env` beside llm-eval.yaml fills in
 * variables the environment does not already set.
 */

/**
 * Reads `<dir>/.env` into `env` without overriding variables already set. Returns the names
 * it set. Runs once at start-up (sync read is fine there).
 */
export function loadDotEnv(dir: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const file = path.join(dir, '.env');
  if (!existsSync(file)) return [];
  const parsed = parse(readFileSync(file));
  const set: string[] = [];
  for (const [name, value] of Object.entries(parsed)) {
    if (env[name] !== undefined) continue;
    env[name] = value;
    set.push(name);
  }
  return set;
}

/** The env var holding a model's key: its `apiKeyEnv`, else the SDK's standard one. */
export function keyVarOf(model: ResolvedModel, standardVar: string): string {
  return model.apiKeyEnv ?? standardVar;
}

export function missingKeyError(varName: string, modelName: string): ProviderError {
  return new ProviderError('auth', `${varName} is not set (needed by model "${modelName}"); export it or set apiKeyEnv`);
}

/**
 * The key for a model, registered as a secret so it is redacted wherever it could be written.
 * Throws ProviderError 'auth' naming the variable when it is unset or empty.
 */
export function requireApiKey(model: ResolvedModel, env: NodeJS.ProcessEnv, standardVar: string): string {
  const varName = keyVarOf(model, standardVar);
  const key = env[varName];
  if (!key) throw missingKeyError(varName, model.name);
  registerSecret(key);
  return key;
}

/**
 * The base URL for a model: `baseURL:`, else the SDK's variable (e.g. OPENAI_BASE_URL), else the
 * vendor's. Credentials in it (userinfo, `?api-key=`) are registered as secrets; write it only
 * through `redactUrl`.
 */
export function resolveBaseURL(model: ResolvedModel, env: NodeJS.ProcessEnv, standardVar: string, fallback: string): string {
  const url = model.baseURL ?? env[standardVar] ?? fallback;
  registerUrlSecrets(url);
  return url.replace(/\/+$/, '');
}
