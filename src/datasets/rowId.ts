import { valueHash } from '../util/hash.js';

/**
 * The one case id function. A row's id is its explicit `id`, else a hash of its content
 * (vars and expected, key order ignored), so the same row keeps the same id across runs and
 * file formats: baselines pair cases by it. A row's conversation (`messages`, `turns`), when it
 * has one, is part of its content; a row without one hashes exactly as before.
 */
export function rowId(explicitId: unknown, vars: Record<string, unknown>, expected: unknown, conversation?: unknown): string {
  if (typeof explicitId === 'string' && explicitId.trim() !== '') return explicitId.trim();
  if (typeof explicitId === 'number' && Number.isFinite(explicitId)) return String(explicitId);
  if (conversation !== undefined) return 'h' + valueHash({ vars, expected: expected ?? null, conversation }, 11);
  return 'h' + valueHash({ vars, expected: expected ?? null }, 11);
}
