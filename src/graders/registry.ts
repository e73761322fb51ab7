import type { GraderFactory } from '../types.js';

/**
 * Grader types by name. Built-ins register themselves in graders/builtins.ts; a user grader
 * is the `script` type. Config validation and the shipped JSON Schema both read this registry,
 * so a grader's options are defined once, next to its code.
 */
const graders = new Map<string, GraderFactory>();

export function registerGrader(factory: GraderFactory): void {
  graders.set(factory.type, factory);
}

export function getGraderFactory(type: string): GraderFactory | undefined {
  return graders.get(type);
}

export function graderTypes(): string[] {
  return [...graders.keys()].sort();
}

export function allGraderFactories(): GraderFactory[] {
  return [...graders.values()];
}
