import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { closestName } from '../util/suggest.js';
import type { Issue } from '../errors.js';
import type { JsonSchema } from '../types.js';
import type { YamlFile } from './yamlFile.js';

/**
 * Checks a parsed YAML file against a JSON Schema with ajv and turns each ajv error into an
 * Issue at the right line, worded for a person: the key path, what is wrong, the valid choices.
 */

const compiled = new WeakMap<JsonSchema, ValidateFunction>();
let ajv: Ajv | undefined;

function validatorFor(schema: JsonSchema): ValidateFunction {
  let fn = compiled.get(schema);
  if (!fn) {
    // verbose: errors carry their parentSchema, which lists the valid keys for hints.
    // validateSchema: false: these are llm-eval's own schemas (checked against the meta-schema
    // in test/config/schemasAreValid.test.ts); compiling the meta-schema costs every run ~30 ms.
    ajv ??= new Ajv({ allErrors: true, strict: false, verbose: true, validateSchema: false });
    fn = ajv.compile(schema);
    compiled.set(schema, fn);
  }
  return fn;
}

function pathOf(instancePath: string): string[] {
  return instancePath === '' ? [] : instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function displayPath(path: Array<string | number>): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' || /^\d+$/.test(String(seg)) ? `[${seg}]` : out ? `.${seg}` : String(seg);
  return out || '(top level)';
}

/** Properties a schema node allows, for "did you mean" and "valid keys are" hints. */
function allowedKeys(schema: JsonSchema | undefined): string[] {
  const props = schema?.['properties'];
  return props && typeof props === 'object' ? Object.keys(props) : [];
}

/** A JSON Schema type as a phrase with its article: `an integer`, `a string`, `a mapping (key: value)`. */
function typeName(type: string): string {
  if (type === 'object') return 'a mapping (key: value)';
  if (type === 'array') return 'a list';
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}

function describe(err: ErrorObject, path: string[]): { path: Array<string | number>; message: string; key?: boolean } {
  const where = displayPath(path);
  switch (err.keyword) {
    case 'additionalProperties': {
      const extra = String((err.params as { additionalProperty: string }).additionalProperty);
      const keys = allowedKeys(err.parentSchema as JsonSchema);
      const guess = closestName(extra, keys);
      const hint = guess ? ` Did you mean \`${guess}\`?` : keys.length ? ` Valid keys: ${keys.join(', ')}.` : '';
      return { path: [...path, extra], key: true, message: `unknown key \`${extra}\` in ${where}.${hint}` };
    }
    case 'required': {
      const missing = String((err.params as { missingProperty: string }).missingProperty);
      return { path, message: `${where} needs \`${missing}\`.` };
    }
    case 'enum': {
      const allowed = (err.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ');
      return { path, message: `${where} must be one of ${allowed}.` };
    }
    case 'type':
      return { path, message: `${where} must be ${typeName((err.params as { type: string }).type)}.` };
    case 'minProperties':
      return { path, message: `${where} must not be empty.` };
    default:
      return { path, message: `${where} ${err.message ?? 'is invalid'}.` };
  }
}

export function checkAgainstSchema(yaml: YamlFile, value: unknown, schema: JsonSchema, basePath: Array<string | number> = []): Issue[] {
  const validate = validatorFor(schema);
  if (validate(value)) return [];
  const seen = new Set<string>();
  const issues: Issue[] = [];
  for (const err of validate.errors ?? []) {
    const d = describe(err, [...basePath.map(String), ...pathOf(err.instancePath)]);
    const key = `${d.path.join('/')}|${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push({ file: yaml.file, line: yaml.lineOf(d.path, { key: d.key }), path: displayPath(d.path), message: d.message });
  }
  return issues;
}
