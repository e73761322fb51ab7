import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import type { GraderConfig, GraderFactory } from '../types.js';
import { optionsValidator } from './validateOptions.js';

/**
 * The options a grader's schema describes, as a TypeScript type, plus the `type` and `name`
 * every grader entry carries. An option with a `default` stays optional: the config loader does
 * not fill defaults in, the grader applies them.
 */
export type OptionsOf<S extends JSONSchema> = FromSchema<S, { keepDefaultedPropertiesOptional: true }> & { type: string; name?: string };

/** The options described by a set of schema properties: for helpers shared by several graders (`textOptionsSchema`). */
export type OptionsOfProperties<P extends Readonly<Record<string, JSONSchema>>> = FromSchema<{ type: 'object'; properties: P; additionalProperties: false }, { keepDefaultedPropertiesOptional: true }>;

/** A grader definition whose options type is derived from its schema: what `defineGrader` takes. */
export type GraderDefinition<S extends JSONSchema, Options> = Omit<GraderFactory<Options>, 'optionsSchema'> & { optionsSchema: S };

/** A defined grader type, as registered, plus a type guard for its own entries. */
export type DefinedGrader<Options> = GraderFactory & {
  /** True when an entry is of this type and matches its schema, which narrows it to the typed options. */
  accepts(entry: GraderConfig): entry is GraderConfig & Options;
};

/** What a per-case grader records when it declares nothing else. */
export const PASS_SCORE_METRICS = {
  pass: 'whether the output passed',
  score: 'how well, from 0 to 1',
} as const;

/**
 * Defines a grader type from one source: its options schema, written `as const` in place (the
 * `const` type parameter keeps its literals), gives both the validation the config loader runs
 * and the options type `validate`, `needsExpected` and `create` receive, so no grader declares a
 * second options interface or casts its config. The result is registered with `registerGrader`.
 */
// `Options` is a defaulted type parameter, not written as OptionsOf<S> in the parameter type:
// TypeScript then evaluates FromSchema once per grader, on its concrete schema, instead of
// generically (which it rejects as "excessively deep").
export function defineGrader<const S extends JSONSchema, Options = OptionsOf<S>>(definition: GraderDefinition<S, NoInfer<Options>>): DefinedGrader<Options> {
  const factory: GraderFactory<Options> = { metrics: PASS_SCORE_METRICS, ...definition, optionsSchema: definition.optionsSchema as Record<string, unknown> };
  // The registry holds every type with its options erased to GraderConfig. This is the one place
  // the typed options meet the erased ones: validateGraderOptions checks an entry against
  // `optionsSchema` before `validate` or `create` ever sees it.
  const erased = factory as unknown as GraderFactory;
  const accepts = (entry: GraderConfig): entry is GraderConfig & Options => entry.type === definition.type && optionsValidator(erased)(entry);
  return Object.assign(erased, { accepts });
}
