/**
 * Secrets never leave the process: every value registered here is replaced by `[REDACTED]`
 * in anything written to a report, log, cache file or error message. Writers call
 * `redactSecrets` on text and `redactDeep` on values just before they hit disk or a terminal.
 */

const secrets = new Set<string>();
/** Each secret as it appears inside a JSON string (quotes and backslashes escaped), for `jsonHoldsSecret`. */
const secretsInJson = new Set<string>();

/** Env vars whose values are always secret, besides every model's `apiKeyEnv`. */
export const STANDARD_KEY_VARS = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'AZURE_OPENAI_API_KEY', 'OPENROUTER_API_KEY'];

export function registerSecret(value: string | undefined): void {
  // Very short values would redact ordinary words; real keys are long.
  if (value && value.length >= 8) {
    secrets.add(value);
    secretsInJson.add(JSON.stringify(value).slice(1, -1));
  }
}

export function registerSecretsFromEnv(env: NodeJS.ProcessEnv, extraVars: Iterable<string> = []): void {
  for (const name of [...STANDARD_KEY_VARS, ...extraVars]) registerSecret(env[name]);
}

export function redactSecrets(text: string): string {
  if (secrets.size === 0) return text;
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join('[REDACTED]');
  return out;
}

/** Redacts every string inside a JSON-like value (returns a copy only where something changed). */
export function redactDeep<T>(value: T): T {
  if (secrets.size === 0) return value;
  if (typeof value === 'string') return redactSecrets(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v);
    return out as T;
  }
  return value;
}

/**
 * `redactDeep` for values that seldom hold a secret (every case record): looks first, without
 * copying, and copies only a value that holds one.
 */
export function redactDeepIfAny<T>(value: T): T {
  return secrets.size > 0 && holdsSecret(value) ? redactDeep(value) : value;
}

/**
 * Whether JSON text (a value already serialized) holds a registered secret, as written in a JSON
 * string: one substring search per secret over the text, instead of a walk over the value.
 */
export function jsonHoldsSecret(json: string): boolean {
  for (const s of secretsInJson) if (json.includes(s)) return true;
  return false;
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Whether `redactDeep(value)` would differ from `value`: a string holding a registered secret,
 * or an object that is not a plain one (redactDeep rebuilds those as plain objects).
 */
function holdsSecret(value: unknown): boolean {
  if (typeof value === 'string') {
    for (const s of secrets) if (value.includes(s)) return true;
    return false;
  }
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (holdsSecret(value[i])) return true;
    return false;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return true;
  for (const key in value) if (hasOwn.call(value, key) && holdsSecret((value as Record<string, unknown>)[key])) return true;
  return false;
}

/** For tests: forget registered secrets. */
export function clearSecrets(): void {
  secrets.clear();
  secretsInJson.clear();
}
