import type { ValidateFunction } from 'ajv';
import type { JsonSchema } from '../types.js';
import { toolCallText } from '../util/toolCallText.js';
import { defineGrader } from './define.js';
import { graderName } from './name.js';
import { compileSchema, describeSchemaErrors } from './schemaSource.js';

/**
 * `tool-args-valid`: every tool call names a tool the prompt declares, and its arguments are
 * valid JSON that matches that tool's `parameters` schema (ajv). In a conversation case (agent
 * loop, scripted turns) that is every call of every step, not only the final answer's. A case
 * without calls passes unless `requireCall: true`. Score: the share of valid calls.
 */
const toolArgsValid = defineGrader({
  type: 'tool-args-valid',
  description: "Every tool call's arguments are valid JSON matching the declared tool's `parameters` schema (ajv).",
  optionsSchema: {
    type: 'object',
    properties: {
      requireCall: { type: 'boolean', description: 'Fail a case that made no tool call (default false).' },
    },
    additionalProperties: false,
  },
  create(o) {
    const name = graderName(o);
    // Compiled once per schema object: every case of a template shares its tools' objects.
    const compiled = new WeakMap<JsonSchema, ValidateFunction | string>();
    const validatorOf = (schema: JsonSchema): ValidateFunction | string => {
      let v = compiled.get(schema);
      if (v === undefined) {
        try {
          v = compileSchema(schema);
        } catch (err) {
          v = `its parameters schema does not compile: ${err instanceof Error ? err.message : String(err)}`;
        }
        compiled.set(schema, v);
      }
      return v;
    };
    return {
      name,
      grade(ctx) {
        const calls = ctx.trajectory?.toolCalls ?? ctx.toolCalls ?? [];
        if (calls.length === 0) {
          return o.requireCall ? { pass: false, score: 0, reason: 'no tool was called' } : { pass: true, score: 1, reason: 'no tool calls to check' };
        }
        const declared = new Map((ctx.prompt.tools ?? []).map((t) => [t.name, t.parameters]));
        const problems: string[] = [];
        for (const call of calls) {
          const shown = toolCallText(call, 80);
          const schema = declared.get(call.name);
          if (!schema) {
            problems.push(`${shown}: the prompt declares no tool "${call.name}"${declared.size ? ` (tools: ${[...declared.keys()].join(', ')})` : ''}`);
            continue;
          }
          if (call.arguments === undefined) {
            problems.push(`${shown}: the arguments are not valid JSON`);
            continue;
          }
          const validate = validatorOf(schema);
          if (typeof validate === 'string') problems.push(`${call.name}: ${validate}`);
          else if (!validate(call.arguments)) problems.push(`${shown}: ${describeSchemaErrors(validate.errors, 2)}`);
        }
        const valid = calls.length - problems.length;
        const score = valid / calls.length;
        const details = { calls: calls.length, valid };
        if (problems.length === 0) return { pass: true, score: 1, reason: `${calls.length} tool call${calls.length === 1 ? '' : 's'} with valid arguments`, details };
        return { pass: false, score, reason: `${problems.length} of ${calls.length} tool calls invalid: ${problems.slice(0, 3).join('; ')}`, details };
      },
    };
  },
});

export default toolArgsValid;
