import type { GraderConfig } from '../types.js';

/** How a grader is named in reports: its `name` option, else its type. */
export function graderName(config: GraderConfig): string {
  return typeof config.name === 'string' && config.name !== '' ? config.name : config.type;
}
