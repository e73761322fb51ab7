import { pathToFileURL } from 'node:url';
import { ConfigError } from '../errors.js';

const TS_EXT = /\.(ts|mts|cts|tsx)$/;

/**
 * Imports a user's JS or TS module and returns its default export (or its only function
 * export). TypeScript goes through jiti, loaded only when a .ts module is used.
 */
export async function importUserModule<T>(file: string, what: string, exportName = 'default'): Promise<T> {
  let mod: Record<string, unknown>;
  try {
    if (TS_EXT.test(file)) {
      const { createJiti } = await import('jiti');
      const jiti = createJiti(import.meta.url, { interopDefault: false });
      mod = (await jiti.import(file)) as Record<string, unknown>;
    } else {
      mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    }
  } catch (err) {
    throw ConfigError.at(file, 0, `cannot load the module for ${what}: ${err instanceof Error ? err.message : String(err)}`);
  }
  let fn = mod[exportName];
  if (exportName === 'default' && typeof fn !== 'function') {
    const fns = Object.values(mod).filter((v) => typeof v === 'function');
    if (fns.length === 1) fn = fns[0];
  }
  if (typeof fn !== 'function') {
    throw ConfigError.at(file, 0, `the module for ${what} must export a function as \`${exportName}\``);
  }
  return fn as T;
}
