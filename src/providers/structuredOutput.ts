import type { JsonSchema } from '../types.js';

/**
 * How a prompt's `responseFormat` (a JSON Schema) is asked of each API:
 * - OpenAI: `response_format: { type: 'json_schema', json_schema: { name, schema, strict } }`,
 *   strict only when the schema meets strict mode's rules (else the API would reject it).
 * - Anthropic: a single tool whose `input_schema` is the schema, forced with `tool_choice`;
 *   the tool's input, as JSON text, is the output. The tool API works on every Claude model,
 *   unlike a JSON instruction it is schema-guided. Tool input must be an object, so other
 *   schemas are wrapped in `{ value: … }` and unwrapped on the way back.
 */

/** `[a-zA-Z0-9_-]{1,64}`, as both APIs require for schema and tool names. */
export function schemaName(schema: JsonSchema, fallback = 'response'): string {
  const title = typeof schema['title'] === 'string' ? schema['title'] : '';
  const name = title.replace(/[^a-zA-Z0-9_-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 64);
  return name || fallback;
}

/**
 * OpenAI strict mode needs every object to list all its properties as required and forbid
 * additional ones. Checked recursively through properties, items, anyOf and $defs.
 */
export function isStrictCompatible(schema: unknown): boolean {
  if (!schema || typeof schema !== 'object') return true;
  if (Array.isArray(schema)) return schema.every(isStrictCompatible);
  const s = schema as Record<string, unknown>;
  const props = s['properties'];
  if (s['type'] === 'object' || props) {
    if (s['additionalProperties'] !== false) return false;
    const keys = props && typeof props === 'object' ? Object.keys(props) : [];
    const required = Array.isArray(s['required']) ? (s['required'] as unknown[]) : [];
    if (!keys.every((k) => required.includes(k))) return false;
  }
  for (const k of ['properties', '$defs', 'definitions']) {
    const v = s[k];
    if (v && typeof v === 'object' && !Object.values(v).every(isStrictCompatible)) return false;
  }
  for (const k of ['items', 'anyOf', 'oneOf', 'allOf']) if (s[k] !== undefined && !isStrictCompatible(s[k])) return false;
  return true;
}

export function openaiResponseFormat(schema: JsonSchema): Record<string, unknown> {
  return { type: 'json_schema', json_schema: { name: schemaName(schema), schema, strict: isStrictCompatible(schema) } };
}

export interface AnthropicStructuredTool {
  /** The tool definition and the `tool_choice` that forces it. */
  tools: Array<Record<string, unknown>>;
  tool_choice: { type: 'tool'; name: string };
  name: string;
  /** True when a non-object schema was wrapped in `{ value }`. */
  wrapped: boolean;
}

export function anthropicStructuredTool(schema: JsonSchema): AnthropicStructuredTool {
  const name = schemaName(schema, 'respond');
  const wrapped = schema['type'] !== 'object';
  const input_schema = wrapped ? { type: 'object', properties: { value: schema }, required: ['value'] } : schema;
  return {
    name,
    wrapped,
    tools: [{ name, description: 'Give the final answer as this tool\'s input; it must match the schema.', input_schema }],
    tool_choice: { type: 'tool', name },
  };
}

/** The output text of a forced-tool answer: the tool input as JSON (unwrapped when it was wrapped). */
export function toolInputText(input: unknown, wrapped: boolean): string {
  const value = wrapped && input && typeof input === 'object' ? (input as Record<string, unknown>)['value'] : input;
  return JSON.stringify(value ?? null);
}
