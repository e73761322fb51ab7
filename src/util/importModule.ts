import { pathToFileURL } from 'node:url';
import { ConfigError } from '../errors.js';

const TS_EXT = /\.(ts|mts|cts|tsx)$/;

/**
 * The errors Node raises for ESM syntax (`export default`) in a `.js` file of a CommonJS project
 * (what `npm init -y` makes): jiti loads that file instead.
 */
const ESM_IN_COMMONJS = [/Unexpected token 'export'/, /Cannot use import statement outside a module/];
/** CommonJS syntax in a `.js` file of an ESM project (`"type": "module"`): Node itself refuses it. */
const COMMONJS_IN_ESM = /(require|module|exports) is not defined in ES module scope/;

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function importWithJiti(file: string): Promise<Record<string, unknown>> {
  const { createJiti } = await import('jiti');
  const jiti = createJiti(import.meta.url, { interopDefault: false, moduleCache: false });
  return (await jiti.import(file)) as Record<string, unknown>;
}

/** Bumped by reimportUserModulesFromNowOn: Node caches an import by URL, so a new query makes it read the file again. */
let generation = 0;

/**
 * From now on, user modules are imported afresh (watch mode, after a change): an edited script
 * model or grader takes effect. Modules they import themselves stay as first loaded.
 */
export function reimportUserModulesFromNowOn(): void {
  generation++;
}

async function loadModule(file: string): Promise<Record<string, unknown>> {
  if (TS_EXT.test(file)) return importWithJiti(file);
  try {
    const url = pathToFileURL(file).href;
    return (await import(generation === 0 ? url : `${url}?watch=${generation}`)) as Record<string, unknown>;
  } catch (err) {
    // .mjs and .cjs say their module system themselves; only a .js can disagree with its package.
    if (file.endsWith('.js') && ESM_IN_COMMONJS.some((re) => re.test(messageOf(err)))) return importWithJiti(file);
    if (file.endsWith('.js') && COMMONJS_IN_ESM.test(messageOf(err))) {
      throw new Error(`${messageOf(err)}: this .js file uses CommonJS (module.exports) in a "type": "module" project; rename it to .cjs or use \`export default\``, { cause: err });
    }
    throw err;
  }
}

/**
 * Imports a user's JS or TS module (.js in a CommonJS or an ESM project, .mjs, .cjs, .ts) and
 * returns its default export (or its only function export). TypeScript, and a .js whose syntax
 * is not its package's module system, go through jiti, loaded only when needed.
 */
export async function importUserModule<T>(file: string, what: string, exportName = 'default'): Promise<T> {
  let mod: Record<string, unknown>;
  try {
    mod = await loadModule(file);
  } catch (err) {
    throw ConfigError.at(file, 0, `cannot load the module for ${what}: ${messageOf(err)}`);
  }
  let fn = mod[exportName];
  // A CommonJS module (`module.exports = fn`) arrives as its default export; under jiti, as itself.
  if (exportName === 'default' && typeof fn !== 'function' && typeof (mod as unknown) === 'function') fn = mod;
  if (exportName === 'default' && typeof fn !== 'function') {
    const fns = Object.values(mod).filter((v) => typeof v === 'function');
    if (fns.length === 1) fn = fns[0];
  }
  if (typeof fn !== 'function') {
    const empty = Object.keys(mod).length === 0 && file.endsWith('.js');
    const hint = empty ? ' (it exports nothing: with `module.exports` in a "type": "module" project, rename it to .cjs or use `export default`)' : '';
    throw ConfigError.at(file, 0, `the module for ${what} must export a function as \`${exportName}\`${hint}`);
  }
  return fn as T;
}
