import type { GraderConfig } from '../types.js';
import { graderName } from './name.js';
import { getGraderFactory } from './registry.js';

/**
 * Which graders compare each output with the row's `expected`, so a row without one would make
 * its case error after the model was paid for. Each grader declares it (`needsExpected` on its
 * definition); the dataset scan reports such a row at its line, before any call.
 */

/** Why this grader needs every row to have an `expected`, or undefined when it does not. */
export function expectedNeed(g: GraderConfig, configDir: string): string | undefined {
  return getGraderFactory(g.type)?.needsExpected?.(g, configDir);
}

/**
 * The declaration of a grader that uses the row's `expected` unless one of these options gives
 * the reference itself (`exact` without `value`, `contains` without `value` or `values`).
 */
export function expectedUnlessSet(options: readonly string[]): (g: GraderConfig) => string | undefined {
  return (g) => {
    if (options.some((o) => g[o] !== undefined)) return undefined;
    return `grader ${graderName(g)} has no \`${options.join('` or `')}\`, so it compares the output with the row's \`expected\``;
  };
}
