import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import type { JsonSchema } from '../types.js';
import { stableJson } from '../util/hash.js';

// ajv-formats is CommonJS: under NodeNext its default import is typed as the module namespace;
// at runtime it is the plugin function, which also carries itself as `.default`.
const addFormats = formatsModule.default;

/** A schema option: inline, or a path relative to the config folder. */
export type SchemaOption = JsonSchema | string;

export type LoadedSchema = { ok: true; schema: JsonSchema; file?: string } | { ok: false; message: string };

/** Reads a `schema` option: an inline object as is, a `.json`, `.yaml` or `.yml` file parsed. */
export function loadSchema(option: SchemaOption, configDir: string): LoadedSchema {
  if (typeof option !== 'string') return { ok: true, schema: option };
  const file = path.resolve(configDir, option);
  if (!existsSync(file)) return { ok: false, message: `schema file ${option} not found (paths are relative to the folder of llm-eval.yaml)` };
  let data: unknown;
  try {
    const text = readFileSync(file, 'utf8');
    data = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `schema file ${option} cannot be parsed: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, message: `schema file ${option} must hold a JSON Schema object` };
  }
  return { ok: true, schema: data as JsonSchema, file };
}

type AjvInstance = Ajv | Ajv2019 | Ajv2020;

/** The Ajv flavour a schema declares with `$schema` (draft-07 when it does not say). */
function ajvFor(schema: JsonSchema, fresh: boolean): AjvInstance {
  const declared = typeof schema['$schema'] === 'string' ? schema['$schema'] : '';
  if (/draft-0[34]/.test(declared)) throw new Error(`${declared} is not supported: use draft-07, 2019-09 or 2020-12`);
  const flavour = declared.includes('2020-12') ? '2020-12' : declared.includes('2019-09') ? '2019-09' : 'draft-07';
  const kept = fresh ? undefined : sharedAjv.get(flavour);
  if (kept) return kept;
  // strict: false because users bring schemas written for other tools (OpenAI's `strict`,
  // `example`, vendor keywords): ajv would refuse them over keywords it does not know.
  const opts = { allErrors: true, strict: false, logger: false as const };
  const ajv: AjvInstance = flavour === '2020-12' ? new Ajv2020(opts) : flavour === '2019-09' ? new Ajv2019(opts) : new Ajv(opts);
  addFormats(ajv);
  if (!fresh) sharedAjv.set(flavour, ajv);
  return ajv;
}

/** One Ajv instance per draft for schemas without `$id` (each instance compiles its meta-schema, ~30 ms). */
const sharedAjv = new Map<string, AjvInstance>();
/** Validators by schema content: the check at load and the grader's creation compile it once. */
const compiledByContent = new Map<string, ValidateFunction>();

/**
 * Compiles a schema into a validator, once per schema content for the process. A schema that
 * declares an `$id` (or an anchor) anywhere gets an Ajv instance of its own, so two graders' schemas with the
 * same `$id` never collide. Call it once per grader, never per case.
 */
export function compileSchema(schema: JsonSchema): ValidateFunction {
  const key = stableJson(schema);
  let fn = compiledByContent.get(key);
  if (!fn) {
    fn = ajvFor(schema, /"\$(id|anchor|dynamicAnchor)"/.test(key)).compile(schema);
    compiledByContent.set(key, fn);
  }
  return fn;
}

/** The compile error of a schema, if any (for validate()). */
export function schemaCompileError(schema: JsonSchema): string | undefined {
  try {
    compileSchema(schema);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** Ajv errors as short sentences: `$.items[0].sku: must have required property 'sku'`. */
export function describeSchemaErrors(errors: ErrorObject[] | null | undefined, max = 3): string {
  if (!errors?.length) return 'does not match the schema';
  const lines = errors.slice(0, max).map((e) => {
    const at = e.instancePath === '' ? '$' : `$${e.instancePath.replace(/\/([^/]*)/g, (_, seg: string) => (/^\d+$/.test(seg) ? `[${seg}]` : `.${seg.replace(/~1/g, '/').replace(/~0/g, '~')}`))}`;
    const extra = e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: unknown }).additionalProperty)})` : '';
    const allowed = e.keyword === 'enum' ? `: ${((e.params as { allowedValues?: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')}` : '';
    return `${at} ${e.message ?? e.keyword}${extra}${allowed}`;
  });
  const more = errors.length > max ? ` (+${errors.length - max} more)` : '';
  return `${lines.join('; ')}${more}`;
}
